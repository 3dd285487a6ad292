/**
 * What must outlive one invocation, kept in Twilio Sync maps (never in memory: many instances run).
 * - calls: a waiting caller's details by reference, for the texts about them.
 * - outcomes: each call's single outcome; creating the item is an atomic first-wins claim (54208 on a second try).
 *   Also each call's pull (who took the caller, and where the dequeue sends them), claimed the same way, and its
 *   ring-all escalation (the calls to members' mobiles, claimed once per caller).
 * - team: members who paused their new-call texts, and a member's OPEN/CLOSED override of the business hours
 *   (in the same map, so the one read that finds who paused also finds it).
 * - voicemails: what a voicemail's page shows, kept as long as its links work (VOICEMAIL_LINK_DAYS), apart from the
 *   short-lived call state above. The transcript is its own item, so the two callbacks never overwrite each other.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from './caller';
import { Config } from './config';
import type { Override } from './schedule';
import { failureOf, TwilioClient } from './twilio-api';

export const MAPS = { calls: 'pull-phone-calls', outcomes: 'pull-phone-outcomes', team: 'pull-phone-team', voicemails: 'pull-phone-voicemails' } as const;
type MapName = (typeof MAPS)[keyof typeof MAPS];

/** What is stored of a waiting caller: the team-facing description (caller.ts), kept by reference. */
export type CallRecord = Caller;

export type Outcome = 'connected' | 'voicemail' | 'callback' | 'missed';

export interface OutcomeRecord {
  outcome: Outcome;
  /** The member who connected or sent the caller to voicemail, when one did. */
  member?: string;
  /** Length of the voicemail, kept for the transcription callback, which does not carry it. */
  seconds?: number;
}

/** A member's pull of a waiting caller: claimed before the dequeue, so only one member is ever told the caller is theirs. */
export interface PullRecord {
  member: string;
  memberNumber: string;
  action: 'accept' | 'voicemail';
  /** Where the dequeue sends the caller; the Enqueue action redirects there too (TWILIO-NOTES.md: which one runs is unverified). */
  url: string;
  /** Twilio answered the dequeue with a failure: the same member's next reply retries it if the caller still waits. */
  unsure?: boolean;
  /**
   * Twilio never answered the dequeue: it may still be carried out, so it is never sent again (a second dequeue
   * could land beside it, and Twilio may let both succeed).
   */
  unanswered?: boolean;
}

/** One call of a caller's ring-all escalation: the REST call to a member's mobile. */
export interface RingCall {
  sid: string;
  /** The member's number (E.164). */
  member: string;
}

/** Not a phone number, so it never collides with a paused member's key. */
export const HOURS_OVERRIDE_KEY = 'hours-override';

export interface TeamState {
  /** Members (E.164) who texted OFF. */
  paused: Set<string>;
  /** A member's OPEN/CLOSED, as stored: it may have expired by now (schedule.ts hoursAt compares `until`). */
  override: Override | undefined;
}

/** A voicemail as its page shows it. */
export interface VoicemailRecord {
  callSid: string;
  recordingSid: string;
  reference: string;
  name?: string;
  number?: string;
  place: string;
  /** ISO times: when the call came in (when known) and when the message was recorded. */
  calledAt?: string;
  recordedAt: string;
  seconds: number;
  /** Seconds from the call coming in to the message starting, when known. */
  waitedSeconds?: number;
  /** Members who opened the page, first time each. */
  opened: { name: string; at: string }[];
}

export interface Voicemail {
  record: VoicemailRecord;
  transcript: string | undefined;
}

const ITEM_EXISTS = 54208;
const NAME_TAKEN = 54301;
const ONE_DAY = 86_400;
const RETRY_MS = 100;

export class Store {
  private readonly service;

  constructor(client: TwilioClient, private readonly config: Config) {
    this.service = client.sync.v1.services(config.syncServiceSid);
  }

  /** Members (E.164) who texted OFF. */
  async pausedMembers(): Promise<Set<string>> {
    return (await this.teamState()).paused;
  }

  /** Who paused, and the hours override. One request: a team is far smaller than a page of 100. */
  async teamState(): Promise<TeamState> {
    try {
      const page = await this.items(MAPS.team).page({ pageSize: 100 });
      const override = page.instances.find((item) => item.key === HOURS_OVERRIDE_KEY)?.data as unknown;
      return {
        paused: new Set(page.instances.map((item) => item.key).filter((key) => key !== HOURS_OVERRIDE_KEY)),
        override: isOverride(override) ? override : undefined,
      };
    } catch (error) {
      if (failureOf(error).status === 404) return { paused: new Set(), override: undefined };
      throw error;
    }
  }

  /**
   * Replaces any earlier override. Sync deletes it roughly `ttlSeconds` later: its TTL is documented as approximate
   * (twilio.com/docs/sync/objects-ttl), so readers compare `until` themselves and the TTL only clears the map.
   */
  async setHoursOverride(override: Override, ttlSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const created = await this.create(MAPS.team, HOURS_OVERRIDE_KEY, override, ttl);
    if (!created) await this.items(MAPS.team)(HOURS_OVERRIDE_KEY).update({ data: override, ttl });
  }

  async setPaused(number: string, paused: boolean): Promise<void> {
    if (paused) {
      await this.create(MAPS.team, number, { paused: true }, undefined);
      return;
    }
    try {
      await this.items(MAPS.team)(number).remove();
    } catch (error) {
      if (failureOf(error).status !== 404) throw error;
    }
  }

  /** By reference, so a reply naming a caller finds them in one request. A newer caller with the same reference replaces an older one. */
  async saveCall(record: CallRecord): Promise<void> {
    const ttl = this.config.maxWaitSeconds + 3600;
    const created = await this.create(MAPS.calls, record.reference, record, ttl);
    if (!created) await this.items(MAPS.calls)(record.reference).update({ data: record, ttl });
  }

  async callByReference(reference: string): Promise<CallRecord | undefined> {
    const data = await this.fetch(MAPS.calls, reference);
    return isCallRecord(data) ? data : undefined;
  }

  /** True for the one invocation that settles this call's outcome; false if another already did. */
  async claimOutcome(callSid: string, record: OutcomeRecord): Promise<boolean> {
    return this.claim(MAPS.outcomes, callSid, record);
  }

  /**
   * Undo a "connected" outcome for a caller who never talked after all (a ring-all taker who left before coming into
   * the room), so their voicemail or missed call is reported as usual. Any other outcome stays.
   */
  async releaseConnected(callSid: string): Promise<void> {
    const outcome = await this.outcomeOf(callSid);
    if (outcome?.outcome !== 'connected') return;
    try {
      await this.items(MAPS.outcomes)(callSid).remove();
    } catch (error) {
      if (failureOf(error).status !== 404) throw error;
    }
  }

  /** Claim the pull of a waiting caller; when another member was first, their pull is returned (if it can be read). */
  async claimPull(callSid: string, record: PullRecord): Promise<{ won: true } | { won: false; by: PullRecord | undefined }> {
    if (await this.claim(MAPS.outcomes, `${callSid}-pull`, record)) return { won: true };
    return { won: false, by: await this.pullOf(callSid).catch(() => undefined) };
  }

  async pullOf(callSid: string): Promise<PullRecord | undefined> {
    const data = await this.fetch(MAPS.outcomes, `${callSid}-pull`);
    return isPullRecord(data) ? data : undefined;
  }

  /** The pull's dequeue was left unsure (see PullRecord.unsure and .unanswered). */
  async markPullUnsure(callSid: string, record: PullRecord, unanswered: boolean): Promise<void> {
    await this.items(MAPS.outcomes)(`${callSid}-pull`).update({ data: { ...record, unsure: true, ...(unanswered ? { unanswered: true } : {}) } });
  }

  /** True for the one invocation that rings the team about this caller: each member is rung once per caller. */
  async claimRing(callSid: string): Promise<boolean> {
    return this.claim(MAPS.outcomes, `${callSid}-ring`, { calls: [] });
  }

  /** The calls placed for the escalation, so whoever takes the caller can end the others. */
  async saveRingCalls(callSid: string, calls: RingCall[]): Promise<void> {
    await this.items(MAPS.outcomes)(`${callSid}-ring`).update({ data: { calls } });
  }

  async ringCallsOf(callSid: string): Promise<RingCall[]> {
    const data = await this.fetch(MAPS.outcomes, `${callSid}-ring`);
    const calls = (data as { calls?: unknown } | undefined)?.calls;
    if (!Array.isArray(calls)) return [];
    return calls.filter((c): c is RingCall => typeof c === 'object' && c !== null
      && typeof (c as RingCall).sid === 'string' && typeof (c as RingCall).member === 'string');
  }

  async outcomeOf(callSid: string): Promise<OutcomeRecord | undefined> {
    const data = await this.fetch(MAPS.outcomes, callSid);
    return isOutcomeRecord(data) ? data : undefined;
  }

  /** Guards a notice against Twilio repeating a callback: true only the first time for this key. */
  async claimNotice(callSid: string, kind: string): Promise<boolean> {
    return this.claim(MAPS.outcomes, `${callSid}-${kind}-notice`, { sent: true });
  }

  /**
   * First-wins create that survives a lost answer: a request that timed out may still have created the item,
   * so each claim carries a token of this attempt; after a failure the create is tried once more, and an
   * existing item with our own token is our claim.
   */
  private async claim(map: MapName, key: string, data: object): Promise<boolean> {
    const token = randomUUID();
    const record = { ...data, claim: token };
    try {
      return await this.create(map, key, record, ONE_DAY);
    } catch (error) {
      if (!isTransient(error)) throw error;
    }
    if (await this.create(map, key, record, ONE_DAY)) return true;
    const existing = await this.fetch(map, key);
    return typeof existing === 'object' && existing !== null && (existing as Record<string, unknown>).claim === token;
  }

  /** Whether that notice was claimed (so sent, or being sent) for this call. */
  async noticeClaimed(callSid: string, kind: string): Promise<boolean> {
    return (await this.fetch(MAPS.outcomes, `${callSid}-${kind}-notice`)) !== undefined;
  }

  /** Keep a voicemail for its page; a repeated callback keeps the first. */
  async saveVoicemail(id: string, record: VoicemailRecord, ttl: number): Promise<void> {
    await this.create(MAPS.voicemails, id, record, ttl);
  }

  async saveTranscript(id: string, text: string, ttl: number): Promise<void> {
    await this.create(MAPS.voicemails, `${id}-transcript`, { text }, ttl);
  }

  /** The voicemail and its transcript, in one round of two parallel reads. */
  async voicemail(id: string): Promise<Voicemail | undefined> {
    const [record, transcript] = await Promise.all([this.fetch(MAPS.voicemails, id), this.fetch(MAPS.voicemails, `${id}-transcript`)]);
    if (!isVoicemailRecord(record)) return undefined;
    const text = (transcript as { text?: unknown } | undefined)?.text;
    return { record, transcript: typeof text === 'string' ? text : undefined };
  }

  /**
   * Note that a member opened the page (first time only). Read-modify-write: two members opening in the same
   * instant can lose one mark, which only means one name is missing from "opened by" until they open it again.
   */
  async markOpened(id: string, record: VoicemailRecord, name: string, at: Date, expiresAt: number): Promise<VoicemailRecord> {
    if (record.opened.some((o) => o.name === name)) return record;
    const updated = { ...record, opened: [...record.opened, { name, at: at.toISOString() }] };
    // Sync's docs do not say whether an update without a TTL keeps the old one: the remaining lifetime is sent again.
    const ttl = Math.max(1, Math.ceil((expiresAt - at.getTime()) / 1000));
    await this.items(MAPS.voicemails)(id).update({ data: updated, ttl });
    return updated;
  }

  /** Forget a voicemail: its links open nothing after this. */
  async deleteVoicemail(id: string): Promise<void> {
    await Promise.all([id, `${id}-transcript`].map(async (key) => {
      try {
        await this.items(MAPS.voicemails)(key).remove();
      } catch (error) {
        if (failureOf(error).status !== 404) throw error;
      }
    }));
  }

  private items(map: MapName) {
    return this.service.syncMaps(map).syncMapItems;
  }

  private async fetch(map: MapName, key: string): Promise<unknown> {
    const read = async (): Promise<unknown> => {
      try {
        return (await this.items(map)(key).fetch()).data;
      } catch (error) {
        if (failureOf(error).status === 404) return undefined;
        throw error;
      }
    };
    // A read is safe to repeat; a passing fault (429, 5xx, a dropped connection) gets one more try.
    return read().catch(async (error: unknown) => {
      if (!isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      return read();
    });
  }

  private async create(map: MapName, key: string, data: object, ttl: number | undefined): Promise<boolean> {
    return createItem(this.service, map, key, data, ttl);
  }
}

type SyncService = ReturnType<TwilioClient['sync']['v1']['services']>;

/**
 * Create-if-absent, the one atomic first-wins write Sync documents (54208 on a second create). The maps are
 * made on first use, so a fresh account needs no setup step. Shared by every store of Pull Phone's Sync maps.
 */
export async function createItem(service: SyncService, map: string, key: string, data: object, ttl: number | undefined): Promise<boolean> {
  const attempt = async (): Promise<boolean> => {
    try {
      await service.syncMaps(map).syncMapItems.create({ key, data, ...(ttl === undefined ? {} : { ttl }) });
      return true;
    } catch (error) {
      if (failureOf(error).code === ITEM_EXISTS) return false;
      throw error;
    }
  };
  try {
    return await attempt();
  } catch (error) {
    if (failureOf(error).status !== 404) throw error;
    try {
      await service.syncMaps.create({ uniqueName: map });
    } catch (made) {
      if (failureOf(made).code !== NAME_TAKEN) throw made;
    }
    return attempt();
  }
}

function isTransient(error: unknown): boolean {
  const { status } = failureOf(error);
  return status === undefined || status === 429 || status >= 500;
}

function isCallRecord(data: unknown): data is CallRecord {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  return typeof r.callSid === 'string' && typeof r.reference === 'string' && typeof r.place === 'string';
}

function isPullRecord(data: unknown): data is PullRecord {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  return typeof r.member === 'string' && typeof r.memberNumber === 'string' && typeof r.url === 'string'
    && (r.action === 'accept' || r.action === 'voicemail');
}

function isOverride(data: unknown): data is Override {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  return typeof r.open === 'boolean' && typeof r.until === 'number' && Number.isFinite(r.until) && typeof r.by === 'string';
}

function isOutcomeRecord(data: unknown): data is OutcomeRecord {
  if (typeof data !== 'object' || data === null) return false;
  const outcome = (data as Record<string, unknown>).outcome;
  return outcome === 'connected' || outcome === 'voicemail' || outcome === 'callback' || outcome === 'missed';
}

function isVoicemailRecord(data: unknown): data is VoicemailRecord {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  return typeof r.recordingSid === 'string' && typeof r.recordedAt === 'string' && typeof r.seconds === 'number' && Array.isArray(r.opened);
}

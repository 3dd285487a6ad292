/**
 * What must outlive one invocation, kept in Twilio Sync maps (never in memory: many instances run).
 * - calls: a waiting caller's details by reference, for the texts about them.
 * - outcomes: each call's single outcome; creating the item is an atomic first-wins claim (54208 on a second try).
 *   Also each call's pull (who took the caller, and where the dequeue sends them), claimed the same way.
 * - team: members who paused their new-call texts.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from './caller';
import { Config } from './config';
import { failureOf, TwilioClient } from './twilio-api';

export const MAPS = { calls: 'pull-phone-calls', outcomes: 'pull-phone-outcomes', team: 'pull-phone-team' } as const;
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
  /** Twilio never said whether the dequeue happened: the same member's next reply may try it again. */
  unsure?: boolean;
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

  /** Members (E.164) who texted OFF. One request: a team is far smaller than a page of 100. */
  async pausedMembers(): Promise<Set<string>> {
    try {
      const page = await this.items(MAPS.team).page({ pageSize: 100 });
      return new Set(page.instances.map((item) => item.key));
    } catch (error) {
      if (failureOf(error).status === 404) return new Set();
      throw error;
    }
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

  /** Claim the pull of a waiting caller; when another member was first, their pull is returned (if it can be read). */
  async claimPull(callSid: string, record: PullRecord): Promise<{ won: true } | { won: false; by: PullRecord | undefined }> {
    if (await this.claim(MAPS.outcomes, `${callSid}-pull`, record)) return { won: true };
    return { won: false, by: await this.pullOf(callSid).catch(() => undefined) };
  }

  async pullOf(callSid: string): Promise<PullRecord | undefined> {
    const data = await this.fetch(MAPS.outcomes, `${callSid}-pull`);
    return isPullRecord(data) ? data : undefined;
  }

  /** The pull's dequeue was left unsure (see PullRecord.unsure). */
  async markPullUnsure(callSid: string, record: PullRecord): Promise<void> {
    await this.items(MAPS.outcomes)(`${callSid}-pull`).update({ data: { ...record, unsure: true } });
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

  /** Create-if-absent. The maps are made on first use, so a fresh account needs no setup step. */
  private async create(map: MapName, key: string, data: object, ttl: number | undefined): Promise<boolean> {
    const attempt = async (): Promise<boolean> => {
      try {
        await this.items(map).create({ key, data, ...(ttl === undefined ? {} : { ttl }) });
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
      await this.createMap(map);
      return attempt();
    }
  }

  private async createMap(map: MapName): Promise<void> {
    try {
      await this.service.syncMaps.create({ uniqueName: map });
    } catch (error) {
      if (failureOf(error).code !== NAME_TAKEN) throw error;
    }
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

function isOutcomeRecord(data: unknown): data is OutcomeRecord {
  if (typeof data !== 'object' || data === null) return false;
  const outcome = (data as Record<string, unknown>).outcome;
  return outcome === 'connected' || outcome === 'voicemail' || outcome === 'callback' || outcome === 'missed';
}

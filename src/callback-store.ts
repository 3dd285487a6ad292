/**
 * Callbacks owed, in Twilio Sync (map pull-phone-callbacks), every write a first-wins create (createItem) or a
 * guarded delete:
 * - `ref-0101`: a caller owed a call back under a lasting reference (CALLBACK_DAYS), and who called them back.
 * - `num-+15125550101`: which reference a number is owed under, so CALL +number settles the same callback.
 * - `claim-+15125550101`: who is calling that customer back right now (one member per customer, whichever way they
 *   asked: CALL 0101 or CALL +number), with the attempt's token; it frees itself after CLAIM_SECONDS if a release is lost.
 * - `fail-<attempt>`: the team is told once per failed attempt, however many callbacks report it.
 * - `text-<CallSid>`, `day-+15125550101`: MISSED_CALL_TEXT once per call and at most once a day per number.
 */
import { CALLBACK_DAYS } from './callback';
import { Config } from './config';
import { createItem } from './store';
import { failureOf, TwilioClient } from './twilio-api';

export const CALLBACK_MAP = 'pull-phone-callbacks';

const DAY = 86_400;

/**
 * Longer than any attempt before it is settled: the member's ring (MEMBER_RING_SECONDS), the press (PRESS_SECONDS),
 * the customer's ring (at most RING_SECONDS 60 + 5) and Twilio's slack, with room to spare.
 */
export const CLAIM_SECONDS = 600;

export interface CallbackRecord {
  callSid: string;
  reference: string;
  kind: 'missed' | 'callback' | 'voicemail';
  number: string;
  name?: string;
  /** Milliseconds since the epoch when the team was told. */
  at: number;
  /** The member who reached the caller, once one did. */
  calledBackBy?: string;
}

export interface CallbackClaim {
  member: string;
  memberNumber: string;
  /** How the team names the customer: `JANE (0101)` or the number. */
  label: string;
  /** This attempt's token: only its own steps release the claim or report it failed. */
  attempt: string;
  /** The member pressed 1: the Dial action, not the status callback, settles the attempt now. */
  dialing?: boolean;
}

/** A callback owed, as STATUS lists it. */
export interface Owed {
  record: CallbackRecord;
  /** Who is calling them back right now, if anyone. */
  by: string | undefined;
}

export class CallbackStore {
  private readonly service;

  constructor(client: TwilioClient, config: Config) {
    this.service = client.sync.v1.services(config.syncServiceSid);
  }

  /**
   * A lasting reference: the first candidate nobody else holds, created if absent, so an older caller's reference is
   * never taken over. A repeated report for the same call gets the same one. Undefined if every candidate is held.
   */
  async allocate(record: Omit<CallbackRecord, 'reference'>, candidates: readonly string[]): Promise<string | undefined> {
    for (const reference of candidates) {
      if (await this.create(`ref-${reference}`, { ...record, reference }, CALLBACK_DAYS * DAY)) {
        // Which reference a number is owed under: the newest wins (CALL +number settles the latest).
        await this.put(`num-${record.number}`, { reference }, CALLBACK_DAYS * DAY);
        return reference;
      }
      const held = await this.record(reference);
      if (held?.callSid === record.callSid) return reference;
    }
    return undefined;
  }

  async record(reference: string): Promise<CallbackRecord | undefined> {
    const data = await this.fetch(`ref-${reference}`);
    return isCallbackRecord(data) ? data : undefined;
  }

  /** The reference this number is owed a callback under, if any. */
  async referenceOf(number: string): Promise<string | undefined> {
    const data = await this.fetch(`num-${number}`);
    const reference = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).reference : undefined;
    return typeof reference === 'string' ? reference : undefined;
  }

  /** One member per customer: first wins; the loser learns who holds it (if it can be read). */
  async claim(number: string, claim: CallbackClaim): Promise<{ won: true } | { won: false; by: CallbackClaim | undefined }> {
    if (await this.create(`claim-${number}`, claim, CLAIM_SECONDS)) return { won: true };
    return { won: false, by: await this.claimOf(number).catch(() => undefined) };
  }

  async claimOf(number: string): Promise<CallbackClaim | undefined> {
    const data = await this.fetch(`claim-${number}`);
    return isCallbackClaim(data) ? data : undefined;
  }

  /** The member pressed 1 (CallbackClaim.dialing). */
  async markDialing(number: string, claim: CallbackClaim): Promise<void> {
    await this.items()(`claim-${number}`).update({ data: { ...claim, dialing: true } });
  }

  /**
   * Free the customer for another member, only if this attempt still holds them: a late report of an old attempt
   * never frees a newer one. Read, then delete: two releases of one attempt delete the same item, harmlessly.
   */
  async release(number: string, attempt: string): Promise<CallbackClaim | undefined> {
    const held = await this.claimOf(number);
    if (held?.attempt !== attempt) return undefined;
    await this.remove(`claim-${number}`);
    return held;
  }

  /** True the first time an attempt's failure is reported. */
  async firstFailure(attempt: string): Promise<boolean> {
    return this.create(`fail-${attempt}`, { sent: true }, DAY);
  }

  /** Remember who reached the caller; the reference then is no longer owed. */
  async markCalledBack(record: CallbackRecord, member: string, now: number): Promise<void> {
    const ttl = Math.max(60, Math.ceil((record.at + CALLBACK_DAYS * DAY * 1000 - now) / 1000));
    await this.items()(`ref-${record.reference}`).update({ data: { ...record, calledBackBy: member }, ttl });
  }

  /**
   * MISSED_CALL_TEXT's two first-wins creates, in parallel: once for this call, and once today for this number.
   * Sync's TTL is approximate (twilio.com/docs/sync/objects-ttl): an item can outlive its day, never the reverse, so
   * "at most once a day" holds.
   */
  async claimMissedText(callSid: string, number: string): Promise<boolean> {
    const [call, day] = await Promise.all([this.create(`text-${callSid}`, { sent: true }, DAY), this.create(`day-${number}`, { sent: true }, DAY)]);
    return call && day;
  }

  /** Callbacks still owed (no one reached them yet), oldest first, with who is on each; one page of the map. */
  async owed(): Promise<{ owed: Owed[]; more: boolean }> {
    let page;
    try {
      page = await this.items().page({ pageSize: 100 });
    } catch (error) {
      if (failureOf(error).status === 404) return { owed: [], more: false };
      throw error;
    }
    const claims = new Map<string, string>();
    const records: CallbackRecord[] = [];
    for (const item of page.instances) {
      const data = item.data as unknown;
      if (item.key.startsWith('claim-') && isCallbackClaim(data)) claims.set(item.key.slice('claim-'.length), data.member);
      if (item.key.startsWith('ref-') && isCallbackRecord(data) && data.calledBackBy === undefined) records.push(data);
    }
    records.sort((a, b) => a.at - b.at);
    return { owed: records.map((record) => ({ record, by: claims.get(record.number) })), more: typeof page.nextPageUrl === 'string' && page.nextPageUrl !== '' };
  }

  private items() {
    return this.service.syncMaps(CALLBACK_MAP).syncMapItems;
  }

  private async fetch(key: string): Promise<unknown> {
    try {
      return (await this.items()(key).fetch()).data;
    } catch (error) {
      if (failureOf(error).status === 404) return undefined;
      throw error;
    }
  }

  private async remove(key: string): Promise<void> {
    try {
      await this.items()(key).remove();
    } catch (error) {
      if (failureOf(error).status !== 404) throw error;
    }
  }

  /** Create, or replace what is there. */
  private async put(key: string, data: object, ttl: number): Promise<void> {
    if (!(await this.create(key, data, ttl))) await this.items()(key).update({ data, ttl });
  }

  private create(key: string, data: object, ttl: number): Promise<boolean> {
    return createItem(this.service, CALLBACK_MAP, key, data, ttl);
  }
}

function isCallbackRecord(data: unknown): data is CallbackRecord {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  return typeof r.callSid === 'string' && typeof r.reference === 'string' && typeof r.number === 'string' && typeof r.at === 'number'
    && (r.kind === 'missed' || r.kind === 'callback' || r.kind === 'voicemail');
}

function isCallbackClaim(data: unknown): data is CallbackClaim {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  return typeof r.member === 'string' && typeof r.memberNumber === 'string' && typeof r.label === 'string' && typeof r.attempt === 'string';
}

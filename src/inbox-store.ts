/**
 * The shared inbox's state, in Twilio Sync (never in memory: every text is its own invocation).
 * - conversations (pull-phone-inbox): per customer reference, what STATUS lists: their latest text,
 *   the latest answer, and the owner (the first member to answer). A few items per customer, so one page holds many.
 * - claims (pull-phone-inbox-claims): first-wins creates (error 54208 on a second create), each with a TTL:
 *   a customer number's reference, the hour's forwarding slots and summary, the day's auto-reply, the opt-out notice.
 * - texts (pull-phone-inbox-texts): every customer text and member answer, kept for a day, forwarded or not.
 */
import { Config } from './config';
import { createItem } from './store';
import { failureOf, TwilioClient } from './twilio-api';

export const INBOX_MAPS = { conversations: 'pull-phone-inbox', claims: 'pull-phone-inbox-claims', texts: 'pull-phone-inbox-texts' } as const;
type InboxMap = (typeof INBOX_MAPS)[keyof typeof INBOX_MAPS];

export const HOUR = 3600;
export const DAY = 86_400;

export interface Conversation {
  reference: string;
  number: string;
  name?: string;
}

export interface LatestText {
  /** Milliseconds since the epoch. */
  at: number;
  /** How the team sees the customer (customerLabel). */
  who: string;
}

export interface InboxOverview {
  latest: Map<string, LatestText>;
  answeredAt: Map<string, number>;
  owners: Map<string, string>;
}

export class InboxStore {
  private readonly service;

  constructor(client: TwilioClient, config: Config) {
    this.service = client.sync.v1.services(config.syncServiceSid);
  }

  /** The customer's conversation (reference, name) if one is active. */
  async conversationOf(number: string): Promise<Conversation | undefined> {
    const data = await this.fetch(INBOX_MAPS.claims, `num-${number}`);
    return isConversation(data) ? data : undefined;
  }

  /** The number a reference stands for, if it is still active. */
  async numberOf(reference: string): Promise<string | undefined> {
    const data = await this.fetch(INBOX_MAPS.claims, `ref-${reference}`);
    const number = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).number : undefined;
    return typeof number === 'string' ? number : undefined;
  }

  /**
   * Claim `reference` for `number`: true when it is now (or already was) this number's, false when another
   * customer holds it. The reference outlives the number's link by an hour, so a reference shown in a text
   * still works while the number moves on to a fresh conversation.
   */
  async claimReference(reference: string, number: string): Promise<boolean> {
    if (await this.create(INBOX_MAPS.claims, `ref-${reference}`, { number }, DAY + HOUR)) return true;
    return (await this.numberOf(reference)) === number;
  }

  /**
   * Link the number to its conversation (when another text got there first, theirs is the one), and make its
   * "answered" item now, so a member's answer later is one update rather than an update that finds nothing and a create.
   */
  async openConversation(conversation: Conversation): Promise<Conversation> {
    const [linked] = await Promise.all([
      this.create(INBOX_MAPS.claims, `num-${conversation.number}`, conversation, DAY),
      this.create(INBOX_MAPS.conversations, `answered-${conversation.reference}`, { at: 0 }, DAY),
    ]);
    if (linked) return conversation;
    return (await this.conversationOf(conversation.number)) ?? conversation;
  }

  /** First-wins claim with a TTL (seconds): true for the one invocation that got it. */
  async claim(key: string, ttl: number): Promise<boolean> {
    return this.create(INBOX_MAPS.claims, key, { at: Date.now() }, ttl);
  }

  async release(key: string): Promise<void> {
    try {
      await this.items(INBOX_MAPS.claims)(key).remove();
    } catch (error) {
      if (failureOf(error).status !== 404) throw error;
    }
  }

  /** The owner is the first member to answer: first-wins. Returns the owner, whoever it is. */
  async claimOwner(reference: string, member: string): Promise<string> {
    if (await this.create(INBOX_MAPS.conversations, `owner-${reference}`, { member }, DAY)) return member;
    return (await this.ownerOf(reference)) ?? member;
  }

  async ownerOf(reference: string): Promise<string | undefined> {
    const data = await this.fetch(INBOX_MAPS.conversations, `owner-${reference}`);
    const member = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).member : undefined;
    return typeof member === 'string' ? member : undefined;
  }

  /** Each its own item, so a text and an answer arriving together never overwrite each other. */
  /** `fresh`: a new conversation, whose item most likely does not exist yet (so create is tried first). */
  async setLatestText(reference: string, latest: LatestText, fresh: boolean): Promise<void> {
    const key = `last-${reference}`;
    if (fresh && await this.create(INBOX_MAPS.conversations, key, latest, DAY)) return;
    await this.upsert(INBOX_MAPS.conversations, key, latest, DAY);
  }

  async setAnswered(reference: string, at: number): Promise<void> {
    await this.upsert(INBOX_MAPS.conversations, `answered-${reference}`, { at }, DAY);
  }

  /** Kept whether forwarded or not, so nothing a customer sent is dropped. */
  async keep(reference: string, sid: string, record: Record<string, unknown>): Promise<void> {
    await this.create(INBOX_MAPS.texts, `${reference}-${sid}`, record, DAY);
  }

  /** One page (100 items, about 33 customers): what STATUS shows. */
  async overview(): Promise<InboxOverview> {
    const overview: InboxOverview = { latest: new Map(), answeredAt: new Map(), owners: new Map() };
    let instances: { key: string; data: unknown }[];
    try {
      instances = (await this.items(INBOX_MAPS.conversations).page({ pageSize: 100 })).instances;
    } catch (error) {
      if (failureOf(error).status === 404) return overview;
      throw error;
    }
    for (const { key, data } of instances) {
      const d = typeof data === 'object' && data !== null ? data as Record<string, unknown> : {};
      const [kind, reference] = [key.slice(0, key.indexOf('-')), key.slice(key.indexOf('-') + 1)];
      if (kind === 'last' && typeof d.at === 'number' && typeof d.who === 'string') overview.latest.set(reference, { at: d.at, who: d.who });
      if (kind === 'answered' && typeof d.at === 'number') overview.answeredAt.set(reference, d.at);
      if (kind === 'owner' && typeof d.member === 'string') overview.owners.set(reference, d.member);
    }
    return overview;
  }

  private items(map: InboxMap) {
    return this.service.syncMaps(map).syncMapItems;
  }

  private async fetch(map: InboxMap, key: string): Promise<unknown> {
    try {
      return (await this.items(map)(key).fetch()).data;
    } catch (error) {
      if (failureOf(error).status === 404) return undefined;
      throw error;
    }
  }

  /** Update (the usual case: one request), else create. */
  private async upsert(map: InboxMap, key: string, data: object, ttl: number): Promise<void> {
    try {
      await this.items(map)(key).update({ data, ttl });
    } catch (error) {
      if (failureOf(error).status !== 404) throw error;
      if (!await this.create(map, key, data, ttl)) await this.items(map)(key).update({ data, ttl });
    }
  }

  private async create(map: InboxMap, key: string, data: object, ttl: number): Promise<boolean> {
    return createItem(this.service, map, key, data, ttl);
  }
}

function isConversation(data: unknown): data is Conversation {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return typeof d.reference === 'string' && typeof d.number === 'string' && (d.name === undefined || typeof d.name === 'string');
}

/**
 * Who paused their new-call texts, carried in the number's own voice URL: `…/incoming-call?paused=3f2a9c01.b7e1…`.
 *
 * Why there: /incoming-call must text the team in its first REST round (nothing sequential in front of the texts
 * and the <Enqueue>). Twilio requests the voice URL exactly as configured on the number, query string included,
 * and the Functions runtime merges query and body parameters into `event` (TWILIO-NOTES.md, Functions: `event`;
 * the signature covers the full URL with its query, Webhooks: Signature). So the paused set arrives with the
 * webhook itself, at no REST cost, and stays in Twilio (the number's configuration), never in module memory.
 *
 * Sync's team map remains the record OFF/ON writes (one item per member, no lost update between two members);
 * after each OFF/ON the whole set is published to the URL. If the URL is stale or has no `paused` parameter,
 * a paused member gets texts they did not want: the safe side, never a member left out without asking.
 *
 * Members appear as short tags of their number, not the number: the URL shows in the Console and in logs.
 */
import { createHash } from 'node:crypto';
import { Member } from './config';

export const PAUSED_PARAM = 'paused';

/** 8 hex characters of SHA-256: a collision in a team of 20 has odds of about 1 in 20 million. */
export function memberTag(number: string): string {
  return createHash('sha256').update(number).digest('hex').slice(0, 8);
}

/** The members the `paused` parameter names; unknown or malformed tags are ignored. */
export function pausedFrom(value: string | undefined, members: readonly Member[]): Set<string> {
  if (value === undefined || value === '') return new Set();
  const tags = new Set(value.split('.'));
  return new Set(members.filter((m) => tags.has(memberTag(m.number))).map((m) => m.number));
}

/** The voice URL with the paused set written into it (the parameter dropped when nobody is paused); the rest kept. */
export function withPaused(voiceUrl: string, paused: Iterable<string>): string {
  const url = new URL(voiceUrl);
  const tags = [...new Set([...paused].map(memberTag))].sort();
  if (tags.length === 0) url.searchParams.delete(PAUSED_PARAM);
  else url.searchParams.set(PAUSED_PARAM, tags.join('.'));
  return url.toString();
}

/** Only our own /incoming-call is rewritten: a number pointed elsewhere (a Studio flow, another app) is left alone. */
export function isOurVoiceUrl(voiceUrl: string | null | undefined, path: string): voiceUrl is string {
  if (voiceUrl === null || voiceUrl === undefined) return false;
  try {
    // The path only: DOMAIN_NAME is not the public host under a tunnel or a custom domain (TWILIO-NOTES.md).
    return new URL(voiceUrl).pathname === path;
  } catch {
    return false;
  }
}

/** `to` with the `paused` and `hours` parameters of `from`, if any: re-running setup must not resume or reopen anyone. */
export function carryPaused(from: string | null | undefined, to: string): string {
  if (from === null || from === undefined) return to;
  let source: URLSearchParams;
  try {
    source = new URL(from).searchParams;
  } catch {
    return to;
  }
  const url = new URL(to);
  for (const name of [PAUSED_PARAM, 'hours']) {
    const value = source.get(name);
    if (value !== null && value !== '') url.searchParams.set(name, value);
  }
  return url.toString();
}

/**
 * A member's OPEN/CLOSED override of the business hours rides the same way (`hours=o.<until>.<tag>`, `c.` for
 * closed; until in epoch seconds; the member as a tag): /incoming-call decides open or closed without a Sync read.
 */
export const HOURS_PARAM = 'hours';

export interface HoursOverride {
  open: boolean;
  /** Epoch milliseconds. */
  until: number;
  /** The member's name. */
  by: string;
}

export function overrideFrom(value: string | undefined, members: readonly Member[]): HoursOverride | undefined {
  const match = /^([oc])\.(\d{1,12})\.([0-9a-f]{8})$/.exec(value ?? '');
  if (match === null) return undefined;
  const by = members.find((m) => memberTag(m.number) === match[3])?.name ?? 'a member';
  return { open: match[1] === 'o', until: Number(match[2]) * 1000, by };
}

/** The voice URL with the override written into it, or the parameter dropped when there is none. */
export function withOverride(voiceUrl: string, override: { open: boolean; until: number } | undefined, byNumber: string | undefined): string {
  const url = new URL(voiceUrl);
  if (override === undefined) url.searchParams.delete(HOURS_PARAM);
  else url.searchParams.set(HOURS_PARAM, `${override.open ? 'o' : 'c'}.${Math.ceil(override.until / 1000)}.${memberTag(byNumber ?? '')}`);
  return url.toString();
}

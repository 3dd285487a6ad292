/**
 * Calling customers back from the team number: which lasting reference a caller gets, what a CALL text asks for,
 * which numbers may be called or texted, and how an attempt ended. Pure: Sync and the calls live elsewhere.
 *
 * A waiting caller's reference is a hash of the CallSid (reference.ts): fine for the few callers waiting at once,
 * but over 7 days two callers would often share one. A callback reference is therefore allocated in Sync: the first
 * free candidate below is created if absent (first wins), so a newer caller never takes an older caller's reference
 * while it lasts. The first candidate is the caller's own waiting reference, so the digits the team already saw in
 * the new-call text usually stay the same. Customer text references are letter-prefixed (T0103), so these plain
 * four digits never collide with them.
 */
import { callReference } from './reference';
import { toE164 } from './phone';

/** How long a callback reference stays callable. */
export const CALLBACK_DAYS = 7;

/** Candidates tried before a notice goes out without a CALL reference. */
export const CANDIDATES = 12;

/** Seconds the member's phone rings for a callback before Twilio gives up (Calls create Timeout). */
export const MEMBER_RING_SECONDS = 30;

/** Seconds the member has to press 1 once they answer. */
export const PRESS_SECONDS = 10;

/** The references to try for one call, in order; the same for every invocation about that call. */
export function referenceCandidates(callSid: string): string[] {
  const candidates = [callReference(callSid)];
  for (let i = 1; candidates.length < CANDIDATES; i += 1) {
    const next = callReference(`${callSid}#${i}`);
    if (!candidates.includes(next)) candidates.push(next);
  }
  return candidates;
}

export type CallTarget =
  | { kind: 'reference'; reference: string }
  | { kind: 'number'; number: string }
  /** `CALL` alone. */
  | { kind: 'missing' }
  /** Something that is neither a reference nor a callable number; `why` is for the member. */
  | { kind: 'refused'; why: string };

/**
 * Number prefixes never dialled from the team number: premium-rate lines (NANP 900 and 976; UK 09 and 087).
 * Short codes never get here: E.164 needs 8 digits or more.
 */
const PREMIUM_PREFIXES: readonly string[] = ['+1900', '+1976', '+449', '+4487'];

/** What follows the CALL keyword: a reference (1–4 digits, zero-padded) or a full international number. */
export function parseCallTarget(rest: string): CallTarget {
  const text = rest.replace(/^[\s:.,;=#-]+/, '').replace(/[\s.!]+$/, '');
  if (text === '') return { kind: 'missing' };
  if (/^\d{1,4}$/.test(text)) return { kind: 'reference', reference: text.padStart(4, '0') };
  const number = toE164(text);
  if (number === null || !(text.startsWith('+') || text.startsWith('00'))) {
    return { kind: 'refused', why: 'a number must be in full international form, like +15125550101' };
  }
  if (PREMIUM_PREFIXES.some((p) => number.startsWith(p))) return { kind: 'refused', why: 'premium-rate numbers are not called' };
  return { kind: 'number', number };
}

/**
 * The number MISSED_CALL_TEXT may go to: a real E.164 number, never a withheld one (`anonymous`, Twilio's
 * `+266696687` and the other keypad placeholders), an empty one or a premium-rate line.
 */
export function textableNumber(number: string | undefined): string | undefined {
  const e164 = toE164(number);
  if (e164 === null || PREMIUM_PREFIXES.some((p) => e164.startsWith(p))) return undefined;
  return e164;
}

/** Why an attempt did not reach the customer, as the team reads it ("Ann could not reach 0101 (busy)"). */
export type Unreached = 'did not press 1' | 'hung up' | 'not answered' | 'busy' | 'call failed' | 'customer busy' | 'no answer' | 'dial failed';

/** The member's own phone, from its status callback's final CallStatus; undefined when it was answered (completed). */
export function memberPhoneUnreached(callStatus: string | undefined): Unreached | undefined {
  switch (callStatus) {
    case 'busy': return 'busy';
    case 'no-answer': return 'not answered';
    case 'failed':
    case 'canceled': return 'call failed';
    case undefined:
    default: return undefined;
  }
}

/**
 * The customer's leg, from the Dial action: reached when it connected. DialBridged is sent only on some accounts
 * (TWILIO-NOTES.md, Dial; V5): without it, a completed leg with talk time counts as reached.
 */
export function dialOutcome(status: string | undefined, bridged: string | undefined, seconds: number | undefined): 'reached' | Unreached {
  if (status === 'completed' && (bridged === undefined ? (seconds ?? 0) > 0 : bridged === 'true')) return 'reached';
  switch (status) {
    case 'busy': return 'customer busy';
    case 'failed': return 'dial failed';
    case undefined:
    default: return 'no answer';
  }
}

/** A reference read aloud digit by digit ("0 1 0 1"), not as a number. */
export function spokenLabel(label: string): string {
  return label.replace(/(\+?)(\d{4,})/g, (_all, plus: string, digits: string) => `${plus === '' ? '' : 'plus '}${digits.split('').join(' ')}`);
}

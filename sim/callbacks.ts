/**
 * Callbacks as the team's phones see them: the `CALL 0101` a notice offers, a member who calls back, and the check
 * that at most one member is ever calling one customer back at a time (issue 15's invariant), read from the calls
 * Twilio placed and what rang. The patterns follow src/callback-text.ts and src/messages.ts.
 */
import { TextRule } from './phones';
import type { Simulator } from './voice';

/** The reference a missed-call, callback or voicemail notice offers to call back with (`… CALL 0101`). */
export function callBackReferenceIn(body: string, keyword = 'CALL'): string | undefined {
  return new RegExp(`\\b${keyword} (\\d{4})\\b`).exec(body)?.[1];
}

/** A member who answers a notice offering a callback with `CALL <ref>` after `afterSeconds` (only those `when` allows). */
export function callsBack(afterSeconds: number, when: (body: string) => boolean = () => true): TextRule {
  return (text) => {
    if (/could not reach/.test(text.body)) return undefined;
    const reference = callBackReferenceIn(text.body);
    return reference === undefined || !when(text.body) ? undefined : { afterSeconds, body: `CALL ${reference}` };
  };
}

/** One member's callback attempt, from the call Twilio placed to their phone to its end. */
export interface CallbackSpan {
  member: string;
  /** The customer the member was connected or dialled to, when the member pressed 1. */
  customer: string | undefined;
  /** Virtual milliseconds. */
  from: number;
  to: number;
}

/**
 * Each time a member's callback rang a customer: from the customer's phone ringing to the end of that <Dial> (what
 * the member hears after it, a goodbye, is no longer calling anyone). A member's call that never dialled is no span.
 */
export function callbackSpans(sim: Simulator): CallbackSpan[] {
  return sim.outbound.flatMap((out) => {
    const events = out.call.events;
    const ring = events.find((e) => e.kind === 'dial' && / phone rings \(/.test(e.text) && e.who !== out.who);
    if (ring === undefined) return [];
    const ended = events.find((e) => e.kind === 'dial' && e.who === ring.who && e.text.startsWith('dial ended') && e.at >= ring.at);
    return [{ member: out.who, customer: ring.who, from: ring.at, to: ended?.at ?? out.call.endedAt ?? sim.now() }];
  });
}

/**
 * "Exactly one member calls back a customer at a time": pairs of overlapping attempts by different members that
 * dialled the same customer. Empty when the invariant holds.
 */
export function concurrentCallbacks(sim: Simulator): [CallbackSpan, CallbackSpan][] {
  const spans = callbackSpans(sim).filter((s) => s.customer !== undefined);
  const clashes: [CallbackSpan, CallbackSpan][] = [];
  spans.forEach((a, i) => {
    for (const b of spans.slice(i + 1)) {
      if (a.customer === b.customer && a.from < b.to && b.from < a.to) clashes.push([a, b]);
    }
  });
  return clashes;
}

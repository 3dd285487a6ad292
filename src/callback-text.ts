/** Every text about calling customers back from the team number (CALL). Each fits one SMS segment (sms-text.ts). */
import { describeCaller } from './caller';
import type { Owed } from './callback-store';
import { CALLBACK_DAYS } from './callback';
import { Keywords, Member } from './config';
import { clip, fit, SEGMENT_LENGTH, toGsm7 } from './sms-text';

const keyword = (k: Keywords): string => k.call[0] ?? 'CALL';

/** How a notice says to call back from the team number: `CALL 0101`. */
export function callBackHow(k: Keywords, reference: string): string {
  return `${keyword(k)} ${reference}`;
}

/** How the team names a customer being called back: `JANE (0101)`, or the number alone. */
export function callbackLabel(customer: { name?: string; number: string }, reference: string | undefined): string {
  const who = clip(toGsm7(describeCaller(customer)), 30);
  return reference === undefined ? who : `${who} (${reference})`;
}

export const callbackTexts = {
  calling: (label: string): string => fit(`Calling your phone from the team number: answer, then press 1 to call ${label}`, '.'),
  howTo: (k: Keywords): string =>
    `Text ${keyword(k)} and the reference in a missed-call, callback or voicemail text (${keyword(k)} 0101), or ${keyword(k)} +15125550101.`,
  refused: (why: string): string => fit('', `Not called: ${why}.`),
  notYourself: (): string => 'Not called: that is your own number, or the team number.',
  unknownReference: (reference: string, k: Keywords): string =>
    fit('', `No caller to call back has reference ${reference} (they last ${CALLBACK_DAYS} days). Text ${keyword(k)} +number to call any number.`),
  alreadyCalledBack: (by: string, label: string, k: Keywords, number: string): string =>
    fit(`${by} already called back ${label}`, `. To call again: ${keyword(k)} ${number}`),
  /** Another member (or this one) holds the customer: one member per customer. */
  alreadyCalling: (by: string, label: string): string =>
    fit(`${by} ${by === 'You' ? 'are' : 'is'} already calling back ${label}`, '.'),
  /** Twilio did not confirm the call to the member's phone: it may still ring; the customer stays theirs meanwhile. */
  mayStillRing: (): string => 'Twilio is slow: your phone may still ring for this call back. If it has not in a minute, send it again in 10 minutes.',
  /** Told to the whole team when an attempt ends without reaching the customer. */
  couldNotReach: (member: Member, label: string, why: string, again: string | undefined): string =>
    fit(`${member.name} could not reach ${label}`, ` (${why}).${again === undefined ? '' : ` Anyone can try: ${again}`}`),
  /**
   * STATUS's second text: the callbacks owed, oldest first, and who is on each, as many whole entries as fit one
   * segment; the rest counted. Undefined when none is owed.
   */
  owed: (owed: readonly Owed[], more: boolean): string | undefined => {
    if (owed.length === 0) return undefined;
    const entries = owed.map(({ record, by }) =>
      `${record.reference} ${clip(toGsm7(describeCaller(record)), 14)}${by === undefined ? '' : ` (${clip(toGsm7(by), 10)} calling)`}`);
    for (let shown = entries.length; shown >= 1; shown -= 1) {
      const hidden = owed.length - shown;
      const text = toGsm7(`Callbacks owed ${owed.length}${more ? '+' : ''}: ${entries.slice(0, shown).join('; ')}${hidden > 0 ? ` +${hidden} more` : ''}.`);
      if (text.length <= SEGMENT_LENGTH) return text;
    }
    return fit('', `Callbacks owed: ${owed.length}${more ? '+' : ''}.`);
  },
};

/** What a team member's text means: a keyword, optionally followed by a caller's reference. */
import { CallTarget, parseCallTarget } from './callback';
import { Keywords, TWILIO_RESERVED_WORDS } from './config';

export type Command =
  | { kind: 'accept' | 'voicemail'; reference?: string }
  | { kind: 'status' | 'commands' | 'pause' | 'resume' }
  /** Open or close the phone until the schedule's next change (schedule.ts). */
  | { kind: 'open' | 'closed' }
  /** Call a customer back from the team number (callback.ts). */
  | { kind: 'call'; target: CallTarget }
  /** Twilio answers these itself (STOP, HELP, …); a second answer from us would only confuse. */
  | { kind: 'reserved'; word: string }
  | { kind: 'unknown' };

/**
 * Forgiving of case, spaces and punctuation: "Y", "y 4567", "Yes4567", " n. 4567 " all parse.
 * A reference is up to four digits, zero-padded, because references are printed as four digits.
 */
export function parseCommand(body: string, keywords: Keywords): Command {
  // CALL first, on the text as sent: its number keeps its "+", which the cleaning below would drop.
  const call = /^[^A-Za-z0-9+]*([A-Za-z]+)(.*)$/s.exec(body);
  if (call !== null && keywords.call.includes((call[1] ?? '').toUpperCase())) return { kind: 'call', target: parseCallTarget(call[2] ?? '') };
  const cleaned = body.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
  const match = /^([A-Z]+) ?(\d{1,4})?$/.exec(cleaned);
  if (match === null) return { kind: 'unknown' };
  const word = match[1] ?? '';
  const digits = match[2];
  const reference = digits === undefined ? undefined : digits.padStart(4, '0');

  if (keywords.accept.includes(word)) return reference === undefined ? { kind: 'accept' } : { kind: 'accept', reference };
  if (keywords.voicemail.includes(word)) return reference === undefined ? { kind: 'voicemail' } : { kind: 'voicemail', reference };
  if (reference !== undefined) return { kind: 'unknown' };
  if (TWILIO_RESERVED_WORDS.includes(word)) return { kind: 'reserved', word };
  if (keywords.status.includes(word)) return { kind: 'status' };
  if (keywords.commands.includes(word)) return { kind: 'commands' };
  if (keywords.pause.includes(word)) return { kind: 'pause' };
  if (keywords.resume.includes(word)) return { kind: 'resume' };
  if (keywords.open.includes(word)) return { kind: 'open' };
  if (keywords.closed.includes(word)) return { kind: 'closed' };
  return { kind: 'unknown' };
}

/**
 * The shared inbox's decisions, free of I/O: customer text references, the R command, what is said
 * about a customer text and to whom. Wording fits one GSM-7 segment wherever the customer's own
 * words allow; their words (and a member's answer) are never cut or altered, so a long one takes more.
 */
import { Keywords, TWILIO_RESERVED_WORDS } from './config';
import { formatDuration } from './messages';
import { clip, cleanLabel, isSingleSegment, toGsm7, SEGMENT_LENGTH } from './sms-text';

/**
 * A customer's reference is "T" and four digits (T0103): a different form from a caller's four digits,
 * so `Y T0103` can never pull a caller and `R 4821` can never text a customer. One per customer number,
 * derived from the number (and a retry count when another customer already holds it).
 */
export function textReference(number: string, attempt: number): string {
  let hash = 0x811c9dc5;
  const key = `${number}#${attempt}`;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `T${String(hash % 10000).padStart(4, '0')}`;
}

export type ReplyCommand =
  | { kind: 'reply'; reference: string; message: string }
  /** `R` with no `T0103` after it (or a caller's bare digits): nothing is sent. */
  | { kind: 'no-reference' }
  | { kind: 'empty'; reference: string };

/**
 * `R T0103 Yes, we open at 9` → the reference and the message exactly as typed (trimmed).
 * Undefined when the text does not start with a reply keyword as a word of its own.
 */
export function parseReply(body: string, keywords: Keywords): ReplyCommand | undefined {
  const match = /^\s*([A-Za-z]+)(?![A-Za-z0-9])[\s.:,;!#-]*([\s\S]*)$/.exec(body);
  if (match === null) return undefined;
  if (!keywords.reply.includes((match[1] ?? '').toUpperCase())) return undefined;
  const rest = match[2] ?? '';
  const ref = /^[Tt]\s?(\d{4})(?!\d)[\s.:,;!-]*([\s\S]*)$/.exec(rest);
  if (ref === null) return { kind: 'no-reference' };
  const reference = `T${ref[1] ?? ''}`;
  const message = (ref[2] ?? '').trim();
  return message === '' ? { kind: 'empty', reference } : { kind: 'reply', reference, message };
}

export type ReservedKind = 'opt-out' | 'opt-in' | 'help';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

/**
 * A text that is one of Twilio's reserved words on its own (case, spaces and end punctuation aside) is Twilio's:
 * Twilio answers it. Only such whole-text words are treated so; "stop by at 5?" is a customer's question.
 */
export function reservedWord(body: string): ReservedKind | undefined {
  const word = body.trim().replace(/[.!?]+$/, '').trim().toUpperCase();
  if (!TWILIO_RESERVED_WORDS.includes(word)) return undefined;
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  return 'help';
}

/** "+1 photo", "+2 photos", "+1 photo +1 file": what a member is told of a text's media. */
export function mediaLabel(contentTypes: readonly string[]): string {
  const count = (kind: string): number => contentTypes.filter((t) => t.toLowerCase().startsWith(`${kind}/`)).length;
  const parts: [number, string][] = [
    [count('image'), 'photo'], [count('video'), 'video'], [count('audio'), 'audio clip'],
  ];
  const known = parts.reduce((n, [c]) => n + c, 0);
  parts.push([contentTypes.length - known, 'file']);
  return parts.filter(([c]) => c > 0).map(([c, word]) => `+${c} ${word}${c === 1 ? '' : 's'}`).join(' ');
}

/** How a customer is named to the team: the Lookup name when there is one, else the number. */
export function customerLabel(number: string, name: string | undefined): string {
  return name === undefined ? number : cleanLabel(name, 24);
}

export interface CustomerText {
  reference: string;
  /** customerLabel(). */
  who: string;
  body: string;
  /** mediaLabel(), '' when none. */
  media: string;
  /** The member who answered this customer first, when one has. */
  owner?: string;
}

/**
 * `Text T0103 from Ann Lee: "Are you open Saturday?" Reply R T0103 + answer.`
 * Only the name is shortened to make it fit; the customer's words are whole, so a long text takes more segments.
 */
export function forwardText(text: CustomerText, keywords: Keywords): string {
  const r = keywords.reply[0] ?? 'R';
  const said = [text.body === '' ? '' : `"${text.body}"`, text.media].filter((p) => p !== '').join(' ');
  const compose = (who: string): string =>
    `Text ${text.reference} from ${toGsm7(who)}${text.owner === undefined ? '' : ` (${toGsm7(text.owner)}'s)`}: ${said === '' ? '(empty)' : said} Reply ${r} ${text.reference} + answer.`;
  const whole = compose(text.who);
  if (isSingleSegment(whole)) return whole;
  const overflow = whole.length - SEGMENT_LENGTH;
  const shortened = compose(clip(text.who, Math.max(8, text.who.length - overflow)));
  return isSingleSegment(shortened) ? shortened : whole;
}

/** Once per customer per hour when they text more than the limit: the rest are kept, not forwarded. */
export function heldSummary(reference: string, who: string, limit: number, keywords: Keywords): string {
  return fitted(who, ` (${reference}) keeps texting: ${limit} forwarded this hour, later ones are kept, not forwarded. ${keywords.status[0] ?? 'STATUS'} lists them.`);
}

export function optedOutNotice(who: string, reference: string | undefined): string {
  return fitted(who, `${reference === undefined ? '' : ` (${reference})`} texted STOP: Twilio will deliver nothing to them from this number until they text START.`);
}

/** To the other members: who answered which customer, and what (whole, as the customer got it). */
export function answeredNotice(member: string, reference: string, who: string, message: string): string {
  const head = `${toGsm7(member)} answered ${reference} (${toGsm7(who)}): `;
  const whole = `${head}"${message}"`;
  if (isSingleSegment(whole)) return whole;
  const short = `${toGsm7(member)} answered ${reference}: "${message}"`;
  return isSingleSegment(short) ? short : whole;
}

export interface UnansweredText {
  reference: string;
  who: string;
  /** Seconds since their latest text. */
  ageSeconds: number;
  owner?: string;
}

/** STATUS's line about customer texts nobody has answered yet; undefined when there are none. */
export function unansweredList(texts: readonly UnansweredText[], keywords: Keywords): string | undefined {
  if (texts.length === 0) return undefined;
  const sorted = [...texts].sort((a, b) => b.ageSeconds - a.ageSeconds);
  const entries = sorted.map((t) => `${t.reference} ${clip(toGsm7(t.who), 14)} ${formatDuration(t.ageSeconds)}${t.owner === undefined ? '' : ` (${clip(toGsm7(t.owner), 10)})`}`);
  const r = keywords.reply[0] ?? 'R';
  for (let shown = entries.length; ; shown -= 1) {
    const more = sorted.length > shown ? ` +${sorted.length - shown} more` : '';
    const text = `Texts not answered: ${entries.slice(0, shown).join('; ')}${more}. ${r} ref + answer.`;
    if (shown <= 1 || text.length <= SEGMENT_LENGTH) return text;
  }
}

export const inboxReplies = {
  sent: (reference: string, who: string): string => fitted(`Sent to ${who}`, ` (${reference}) from the team number.`),
  noReference: (k: Keywords): string =>
    `Nothing sent. Start with the text's reference: ${k.reply[0] ?? 'R'} T0103 and your answer. ${k.status[0] ?? 'STATUS'} lists unanswered texts.`,
  empty: (reference: string, k: Keywords): string => `Nothing sent: write your answer after the reference, e.g. ${k.reply[0] ?? 'R'} ${reference} Yes, we are open.`,
  unknownReference: (reference: string, k: Keywords): string =>
    `Nothing sent: no customer text has reference ${reference} (they last 24 h). ${k.status[0] ?? 'STATUS'} lists unanswered texts.`,
  optedOut: (reference: string, who: string): string =>
    fitted(`Not sent: ${who}`, ` (${reference}) opted out of texts from this number (Twilio error 21610); they must text START first.`),
};

/** `flexible + fixed` in one segment, shortening only the flexible part (a name or number). */
function fitted(flexible: string, fixed: string): string {
  const end = toGsm7(fixed);
  return `${clip(toGsm7(flexible), Math.max(8, SEGMENT_LENGTH - end.length))}${end}`;
}

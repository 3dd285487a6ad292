/**
 * Keeping texts to one SMS segment: 160 characters of the GSM-7 alphabet.
 * One character outside it (an emoji, a curly quote, a caller name in another script)
 * would drop the limit to 70 and split the text, so everything we send is mapped into GSM-7 first.
 */

export const SEGMENT_LENGTH = 160;

// The GSM 03.38 basic character set (the escape-table characters cost two and are left out on purpose).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

const LOOKALIKES: Record<string, string> = {
  '‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '…': '...',
  '\u00a0': ' ', '\t': ' ', '[': '(', ']': ')', '{': '(', '}': ')', '~': '-', '|': '/', '^': "'", '\\': '/', '€': 'EUR',
};

export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) {
      out += ch;
      continue;
    }
    const lookalike = LOOKALIKES[ch];
    if (lookalike !== undefined) {
      out += lookalike;
      continue;
    }
    // Accented letters lose their accents (Ł and the like have no decomposition and are dropped).
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    // Code points, not grapheme clusters: each is mapped or dropped on its own.
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what GSM-7 encodes
    out += [...base].filter((c) => GSM7_BASIC.has(c)).join('');
  }
  return out;
}

/** Caller-supplied text shown to members: one line, GSM-7, no control characters, bounded. */
export function cleanLabel(text: string, max: number): string {
  const flat = toGsm7(text.replace(/[\r\n]+/g, ' ')).replace(/\s+/g, ' ').trim();
  return clip(flat, max);
}

export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 3) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 3).trimEnd()}...`;
}

/**
 * Compose `flexible + fixed` within `limit` characters, shortening only the flexible part
 * (a name, a place, a transcription), never the instructions or the number to call back.
 */
export function fit(flexible: string, fixed: string, limit: number = SEGMENT_LENGTH): string {
  // Mapped before measuring: a lookalike can be longer than what it replaces ('…' is '...', '€' is 'EUR').
  const end = toGsm7(fixed);
  return `${clip(toGsm7(flexible), Math.max(0, limit - end.length))}${end}`;
}

export function isSingleSegment(text: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what GSM-7 encodes
  return text.length <= SEGMENT_LENGTH && [...text].every((c) => GSM7_BASIC.has(c));
}

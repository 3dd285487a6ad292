/** Phone numbers: one normalised E.164 form for comparing, and a masked form for logs. */

const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * What Twilio puts in From when the caller ID is withheld: words spelled on a keypad
 * (ANONYMOUS, RESTRICTED, UNAVAILABLE, UNKNOWN, BLOCKED). Well-formed, but nobody to call back.
 */
const WITHHELD_PLACEHOLDERS: ReadonlySet<string> = new Set(['+266696687', '+7378742833', '+86282452253', '+8656696', '+2562533']);

/**
 * Normalise what a person might type ("+1 (555) 123-0001", "0044 20 7946 0000") to E.164.
 * Returns null when the text is not a full international number (we never guess a country)
 * or is one of Twilio's placeholders for a withheld caller ID.
 */
export function toE164(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let compact = raw.trim().replace(/[\s().\-/]/g, '');
  if (compact.startsWith('00')) compact = `+${compact.slice(2)}`;
  return E164.test(compact) && !WITHHELD_PLACEHOLDERS.has(compact) ? compact : null;
}

/** Logs carry only the last four digits: enough to tell members apart, not enough to call anyone. */
export function maskNumber(raw: string | undefined): string {
  const digits = (raw ?? '').replace(/\D/g, '');
  return digits.length >= 4 ? `…${digits.slice(-4)}` : '(no number)';
}

/** Twilio sends these instead of a number when the caller withholds it. */
export function isWithheld(from: string | undefined): boolean {
  return toE164(from) === null;
}

/** For the doctor's display of the team: the country's first digit and the last four (`+1•••••0001`). */
export function maskForDisplay(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  return digits.length >= 8 ? `+${digits.slice(0, 1)}•••••${digits.slice(-4)}` : '•••••';
}

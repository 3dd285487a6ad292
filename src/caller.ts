/** Who is calling, as the team sees it: name when known, else the number; place from Twilio's number geography. */
import { cleanLabel } from './sms-text';
import { toE164 } from './phone';

export interface Caller {
  callSid: string;
  reference: string;
  /** Name from caller-ID or Lookup; undefined when unknown. */
  name?: string;
  /** E.164, or undefined when the caller withheld it. */
  number?: string;
  /** "Boston MA US" style; empty when Twilio did not say. */
  place: string;
}

export function describeCaller(caller: Pick<Caller, 'name' | 'number'>): string {
  return caller.name ?? caller.number ?? 'an unknown number';
}

/**
 * CNAM values like "WIRELESS CALLER", "UNKNOWN" or the number itself are no name at all.
 * Whatever the caller's carrier sends is shown to members only after cleaning.
 */
export function usableName(raw: string | undefined, number: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const name = cleanLabel(raw, 40);
  if (name === '' || /^(unknown|unavailable|anonymous|wireless caller|private|restricted)/i.test(name)) return undefined;
  if (toE164(name) !== null || (number !== undefined && name.replace(/\D/g, '') === number.replace(/\D/g, ''))) return undefined;
  // No letter at all: the number in a national form ("(555) 123-0001"), or a name made only of dropped characters.
  if (!/\p{L}/u.test(name)) return undefined;
  return name;
}

export function placeOf(city: string | undefined, state: string | undefined, country: string | undefined): string {
  return cleanLabel([city, state, country].filter((p) => p !== undefined && p.trim() !== '').join(' '), 40);
}

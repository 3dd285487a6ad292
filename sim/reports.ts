/**
 * Reading the team's phones as a person would: which texts report a call's outcome.
 * Pull Phone sends one report per call that no member took: missed, voicemail or callback.
 * The patterns follow the wording in src/messages.ts; a change there shows up here as a failing check.
 */
import { linkKey, voicemailIdFor } from '../src/voicemail-link';
import { Phone } from './phones';
import { TEST_AUTH_TOKEN } from './scenario';

export type ReportKind = 'missed' | 'voicemail' | 'callback';

export function reportKind(body: string): ReportKind | undefined {
  if (body.startsWith('Missed call: ')) return 'missed';
  if (/^Voicemail \d/.test(body)) return 'voicemail';
  if (/ asked for a callback/.test(body)) return 'callback';
  return undefined;
}

/**
 * Outcome reports on this phone about one call: texts that name the caller's number or, for a voicemail,
 * link its page (a voicemail text names the caller only when their details could be read). A page link's
 * token starts with the voicemail's id, which the simulation's credentials derive from the CallSid.
 */
export function reportsAbout(phone: Phone, callerNumber: string, callSid?: string): { kind: ReportKind; body: string }[] {
  const page = callSid === undefined ? undefined : `/vm?t=${voicemailIdFor(linkKey({ authToken: TEST_AUTH_TOKEN, linkSecret: undefined }), callSid)}`;
  return phone.texts.flatMap((t) => {
    const kind = reportKind(t.body);
    const about = t.body.includes(callerNumber) || (page !== undefined && t.body.includes(page));
    return kind !== undefined && about ? [{ kind, body: t.body }] : [];
  });
}

/** Every outcome report on this phone. */
export function reports(phone: Phone): { kind: ReportKind; body: string }[] {
  return phone.texts.flatMap((t) => {
    const kind = reportKind(t.body);
    return kind === undefined ? [] : [{ kind, body: t.body }];
  });
}

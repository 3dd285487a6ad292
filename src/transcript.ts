/**
 * Where a voicemail's transcript goes when Twilio's transcription callback brings it: onto the voicemail's page
 * (its own Sync item, so it never overwrites the voicemail record), with no text. The voicemail notice never
 * waits for it (Twilio promises no latency, and sends nothing for recordings it cannot transcribe).
 */
import { cleanLabel } from './sms-text';
import { Step } from './step';
import { linkKey, voicemailIdFor } from './voicemail-link';

/** A transcript longer than this is cut: a Sync item holds 16 KiB. */
const MAX_TRANSCRIPT = 4000;
export const VOICEMAIL_DAY_SECONDS = 86_400;

export async function saveTranscript(step: Step, callSid: string, transcriptionText: string): Promise<void> {
  const text = cleanLabel(transcriptionText, MAX_TRANSCRIPT);
  if (text === '') return;
  const voicemailId = voicemailIdFor(linkKey(step.config), callSid);
  await step.store.saveTranscript(voicemailId, text, step.config.voicemailLinkDays * VOICEMAIL_DAY_SECONDS);
}

/**
 * Where a voicemail's transcript goes when Twilio's transcription callback brings it. For now: one follow-up
 * text to the team. The voicemail notice never waits for it (Twilio promises no latency, and sends nothing for
 * recordings it cannot transcribe), so this is the one place to change when transcripts go elsewhere.
 */
import { notices } from './messages';
import { Step } from './step';
import { callerDetails, teamInTurn, textMembers } from './team';

export async function deliverTranscript(step: Step, callSid: string, from: string | undefined, text: string): Promise<void> {
  const [first, caller] = await Promise.all([
    step.store.claimNotice(callSid, 'transcript'),
    callerDetails(step, callSid, from),
  ]);
  if (!first) return;
  await textMembers(step, teamInTurn(step.config.members, callSid), notices.transcript(caller, text));
}

/**
 * /voicemail-saved — Twilio's recording status callback (completed, absent) and, when enabled, its transcription callback.
 * A saved recording: one voicemail text to the team, at once. Nothing saved (absent, or an empty recording): the
 * caller left no message, so the team gets one missed-call text, never a link to nothing. A transcript, whenever
 * it comes, follows as its own text (transcript.ts). A repeated or late callback sends nothing more.
 */
import { logInfo } from '../src/log';
import { notices } from '../src/messages';
import { defineStep, Step, voiceResponse } from '../src/step';
import { callerDetails, reportMissed, teamInTurn, textMembers } from '../src/team';
import { deliverTranscript } from '../src/transcript';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'voicemail-saved',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined) return voiceResponse();
    const transcriptionStatus = param(event, 'TranscriptionStatus');
    if (transcriptionStatus !== undefined) {
      const text = param(event, 'TranscriptionText');
      if (transcriptionStatus === 'completed' && text !== undefined && text.trim() !== '') await deliverTranscript(step, callSid, fromNumber(event), text);
      return voiceResponse();
    }
    const recordingStatus = param(event, 'RecordingStatus');
    const seconds = numberParam(event, 'RecordingDuration');
    if (recordingStatus === 'absent' || (recordingStatus === 'completed' && seconds !== undefined && seconds <= 0)) {
      await reportNoMessage(step, callSid);
      return voiceResponse();
    }
    const recordingUrl = param(event, 'RecordingUrl');
    if (recordingUrl === undefined || !/^https:\/\//.test(recordingUrl)) return voiceResponse();
    // 'failed' still needs telling: the caller spoke, and somebody should call back.
    if (recordingStatus !== 'completed' && recordingStatus !== 'failed') return voiceResponse();
    const [first, caller] = await Promise.all([step.store.claimNotice(callSid, 'voicemail'), callerDetails(step, callSid, undefined)]);
    if (first) {
      const text = recordingStatus === 'failed' ? notices.voicemailLost(caller) : notices.voicemail(caller, seconds ?? 0, recordingUrl);
      await textMembers(step, teamInTurn(step.config.members, callSid), text);
      logInfo(step.name, `voicemail from caller ${caller.reference} reported`);
    }
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

/**
 * Twilio kept no recording. If nothing else settled the call, it is a missed call. If the Record action
 * already settled it as a voicemail (its RecordingDuration can say 1 s of what Twilio then drops as silence),
 * the team gets the missed-call text in place of the voicemail text: one notice either way.
 */
async function reportNoMessage(step: Step, callSid: string): Promise<void> {
  if (await reportMissed(step, callSid, undefined)) return;
  const outcome = await step.store.outcomeOf(callSid);
  if (outcome?.outcome !== 'voicemail' || !(await step.store.claimNotice(callSid, 'voicemail'))) return;
  const caller = await callerDetails(step, callSid, undefined);
  await textMembers(step, teamInTurn(step.config.members, callSid), notices.missed(caller, undefined));
  logInfo(step.name, `caller ${caller.reference} left no message after all; team told of a missed call`);
}

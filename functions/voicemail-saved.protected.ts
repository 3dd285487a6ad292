/**
 * /voicemail-saved — Twilio's recording status callback and, when enabled, its transcription callback.
 * Sends the team one text per voicemail, with the transcription when there is one;
 * a repeated or late callback sends nothing more.
 */
import { logInfo } from '../src/log';
import { notices } from '../src/messages';
import { defineStep, voiceResponse } from '../src/step';
import { callerDetails, textedSummary, textMembers } from '../src/team';
import { awaitsTranscription } from '../src/voicemail';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'voicemail-saved',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    const recordingUrl = param(event, 'RecordingUrl');
    const seconds = numberParam(event, 'RecordingDuration') ?? 0;
    const transcriptionStatus = param(event, 'TranscriptionStatus');
    const isTranscription = transcriptionStatus !== undefined;
    if (callSid === undefined || recordingUrl === undefined || !/^https:\/\//.test(recordingUrl)) return voiceResponse();
    const recordingStatus = param(event, 'RecordingStatus');
    // 'absent' is an empty recording, reported by /voicemail-done as a missed call; 'failed' still needs telling.
    const lost = !isTranscription && recordingStatus === 'failed';
    if (!isTranscription && recordingStatus !== 'completed' && !lost) return voiceResponse();
    if (!isTranscription && !lost && awaitsTranscription(step.config.transcribeVoicemail, seconds)) return voiceResponse();

    const [first, caller, outcome] = await Promise.all([
      step.store.claimNotice(callSid, 'voicemail'),
      // The transcription callback carries From; the recording callback does not.
      callerDetails(step, callSid, fromNumber(event)),
      // The transcription callback carries no duration; /voicemail-done kept it with the outcome.
      isTranscription ? step.store.outcomeOf(callSid).catch(() => undefined) : Promise.resolve(undefined),
    ]);
    if (first) {
      const text = transcriptionStatus === 'completed' ? param(event, 'TranscriptionText') : undefined;
      const length = isTranscription && outcome?.outcome === 'voicemail' ? outcome.seconds ?? seconds : seconds;
      const texted = await textMembers(step, step.config.members,
        lost ? notices.voicemailLost(caller) : notices.voicemail(caller, length, recordingUrl, text), `caller ${caller.reference}`);
      logInfo(step.name, `voicemail from caller ${caller.reference} reported; ${textedSummary(texted, step.config.members.length)}`);
    }
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

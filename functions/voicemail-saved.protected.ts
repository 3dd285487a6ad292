/**
 * /voicemail-saved — Twilio's recording status callback (completed, absent, failed) and, when enabled, its
 * transcription callback. Recording completed: the voicemail is kept in Sync for its page, and each member gets
 * one text with their own link to it, at once (no waiting for a transcription that may never come). Nothing
 * saved (absent, or an empty recording): the caller left no message, so the team gets one missed-call text,
 * never a link to nothing. A transcription is added to the page when it arrives (transcript.ts); it sends no
 * text. A repeated or late callback sends nothing more.
 */
import { logInfo } from '../src/log';
import { notices } from '../src/messages';
import { defineStep, Step, voiceResponse } from '../src/step';
import { callerDetails, reportMissed, SYNC_READ_MS, teamInTurn, textedSummary, textMembers, within } from '../src/team';
import { saveTranscript, VOICEMAIL_DAY_SECONDS } from '../src/transcript';
import { voicemailRecordOf } from '../src/voicemail';
import { linkKey, makeToken, voicemailIdFor } from '../src/voicemail-link';
import { PAGE_PATH } from '../src/voicemail-page';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'voicemail-saved',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined) return voiceResponse();
    const transcriptionStatus = param(event, 'TranscriptionStatus');
    if (transcriptionStatus !== undefined) {
      if (transcriptionStatus === 'completed') await saveTranscript(step, callSid, param(event, 'TranscriptionText') ?? '');
      return voiceResponse();
    }

    const recordingStatus = param(event, 'RecordingStatus');
    const seconds = numberParam(event, 'RecordingDuration');
    if (recordingStatus === 'absent' || (recordingStatus === 'completed' && seconds !== undefined && seconds <= 0)) {
      await reportNoMessage(step, callSid);
      return voiceResponse();
    }
    const recordingSid = sidParam(event, 'RecordingSid', 'RE') ?? /\/Recordings\/(RE[0-9a-f]{32})$/.exec(param(event, 'RecordingUrl') ?? '')?.[1];
    // 'failed' still needs telling: the caller spoke, and somebody should call back.
    if (recordingStatus !== 'failed' && (recordingStatus !== 'completed' || recordingSid === undefined)) return voiceResponse();
    const [first, caller, callStarted] = await Promise.all([
      step.store.claimNotice(callSid, 'voicemail'),
      callerDetails(step, callSid, fromNumber(event)),
      // For the page's "called at" and "waited": a detail, so a failure or a slow answer only leaves them out.
      recordingStatus === 'completed'
        ? within(step, 'call start time', SYNC_READ_MS, step.client.calls(callSid).fetch().then((call) => call.startTime), undefined)
        : Promise.resolve(undefined),
    ]);
    if (!first) return voiceResponse();
    const team = teamInTurn(step.config.members, callSid);
    if (recordingStatus === 'failed' || recordingSid === undefined) {
      const texted = await textMembers(step, team, notices.voicemailLost(caller), `caller ${caller.reference}`);
      logInfo(step.name, `voicemail from caller ${caller.reference} failed to save; ${textedSummary(texted, team.length)}`);
      return voiceResponse();
    }

    const key = linkKey(step.config);
    const voicemailId = voicemailIdFor(key, callSid);
    const ttl = step.config.voicemailLinkDays * VOICEMAIL_DAY_SECONDS;
    const now = Date.now();
    const record = voicemailRecordOf(caller, { recordingSid, seconds: seconds ?? 0, startTime: param(event, 'RecordingStartTime') }, callStarted, now);
    // Saved before anyone is texted: a link must never arrive before its page exists.
    await step.store.saveVoicemail(voicemailId, record, ttl);
    const expiresAt = now + ttl * 1000;
    const texted = await textMembers(step, team, (member) =>
      notices.voicemail(caller, seconds ?? 0, step.url(PAGE_PATH, { t: makeToken(key, voicemailId, member, expiresAt) })), `caller ${caller.reference}`);
    logInfo(step.name, `voicemail from caller ${caller.reference} reported; ${textedSummary(texted, team.length)}`);
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
  const team = teamInTurn(step.config.members, callSid);
  const texted = await textMembers(step, team, notices.missed(caller, undefined), `caller ${caller.reference}`);
  logInfo(step.name, `caller ${caller.reference} left no message after all; team told of a missed call; ${textedSummary(texted, team.length)}`);
}

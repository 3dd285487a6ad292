/**
 * /voicemail-saved — Twilio's recording status callback (completed, absent) and, when enabled, its transcription callback.
 * Recording completed: the voicemail is kept in Sync for its page, and each member gets one text with their
 * own link to it, at once (no waiting for a transcription that may never come). A transcription is added to
 * the page when it arrives; it sends no text. Nothing saved (absent, or an empty recording): the caller left no
 * message, so the team gets one missed-call text, never a link to nothing. A repeated or late callback sends nothing more.
 */
import { logError, logInfo } from '../src/log';
import { notices } from '../src/messages';
import { cleanLabel } from '../src/sms-text';
import { defineStep, Step, voiceResponse } from '../src/step';
import { describeFailure } from '../src/twilio-api';
import { callbackReference, textMissedCaller } from '../src/callback-step';
import { askAgain, callerDetails, MUST_READ_MS, numberFromCall, reportMissed, SYNC_READ_MS, teamInTurn, textedSummary, textMembers, within } from '../src/team';
import { voicemailRecordOf } from '../src/voicemail';
import { linkKey, makeToken, voicemailIdFor } from '../src/voicemail-link';
import { PAGE_PATH } from '../src/voicemail-page';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

/** A transcript longer than this is cut: a Sync item holds 16 KiB. */
const MAX_TRANSCRIPT = 4000;
const DAY_SECONDS = 86_400;

export const handler = defineStep({
  name: 'voicemail-saved',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    const seconds = numberParam(event, 'RecordingDuration') ?? 0;
    const transcriptionStatus = param(event, 'TranscriptionStatus');
    if (callSid === undefined) return voiceResponse();
    const key = linkKey(step.config);
    const voicemailId = voicemailIdFor(key, callSid);
    const ttl = step.config.voicemailLinkDays * DAY_SECONDS;

    if (transcriptionStatus !== undefined) {
      const text = cleanLabel(param(event, 'TranscriptionText') ?? '', MAX_TRANSCRIPT);
      if (transcriptionStatus === 'completed' && text !== '') await step.store.saveTranscript(voicemailId, text, ttl);
      return voiceResponse();
    }

    const recordingStatus = param(event, 'RecordingStatus');
    // Nothing kept (V3: an account that drops silent recordings says 'absent', asked for in <Record>; or a 0 s one).
    if (recordingStatus === 'absent' || (recordingStatus === 'completed' && param(event, 'RecordingDuration') !== undefined && seconds <= 0)) {
      await reportNoMessage(step, callSid, fromNumber(event));
      return voiceResponse();
    }
    const recordingSid = sidParam(event, 'RecordingSid', 'RE') ?? /\/Recordings\/(RE[0-9a-f]{32})$/.exec(param(event, 'RecordingUrl') ?? '')?.[1];
    // 'failed' still needs telling: the caller spoke, and somebody should call back.
    if (recordingStatus !== 'failed' && (recordingStatus !== 'completed' || recordingSid === undefined)) return voiceResponse();
    // For the page's "called at" and "waited", and the number should the caller's record be unreadable: a detail,
    // so a failure or a slow answer only leaves it out.
    const callResource = recordingStatus === 'completed'
      ? within(step, 'the call', SYNC_READ_MS, step.client.calls(callSid).fetch(), undefined)
      : undefined;
    const [first, caller, callStarted] = await Promise.all([
      step.store.claimNotice(callSid, 'voicemail'),
      callerDetails(step, callSid, fromNumber(event) ?? numberFromCall(step, callSid, callResource)),
      callResource?.then((call) => call?.startTime ?? undefined),
    ]);
    if (!first) return voiceResponse();
    // The voicemail's lasting reference for CALL, in parallel with saving its page.
    const call = callbackReference(step, caller, 'voicemail');
    if (recordingStatus === 'failed') {
      const texted = await textMembers(step, teamInTurn(step.config.members, callSid), notices.voicemailLost(caller, await call), `caller ${caller.reference}`);
      logInfo(step.name, `voicemail from caller ${caller.reference} failed to save; ${textedSummary(texted, step.config.members.length)}`);
      return voiceResponse();
    }

    if (recordingSid === undefined) {
      await call;
      return voiceResponse();
    }
    const now = Date.now();
    const record = voicemailRecordOf(caller, { recordingSid, seconds, startTime: param(event, 'RecordingStartTime') }, callStarted, now);
    // Saved before anyone is texted: a link must never arrive before its page exists. The notice is claimed
    // already and Twilio does not repeat this callback, so a save that fails twice still tells the team, without a link.
    if (!(await saveVoicemail(step, voicemailId, record, ttl))) {
      const texted = await textMembers(step, teamInTurn(step.config.members, callSid), notices.voicemailWithoutPage(caller, seconds, await call), `caller ${caller.reference}`);
      logInfo(step.name, `voicemail from caller ${caller.reference} reported without a page; ${textedSummary(texted, step.config.members.length)}`);
      return voiceResponse();
    }
    const expiresAt = now + ttl * 1000;
    const reference = await call;
    const texted = await textMembers(step, teamInTurn(step.config.members, callSid), (member) =>
      notices.voicemail(caller, seconds, step.url(PAGE_PATH, { t: makeToken(key, voicemailId, member, expiresAt) }), reference), `caller ${caller.reference}`);
    logInfo(step.name, `voicemail from caller ${caller.reference} reported; ${textedSummary(texted, step.config.members.length)}`);
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

/** Create-if-absent is safe to repeat: a first try that landed but timed out makes the second a no-op. */
async function saveVoicemail(step: Step, id: string, record: Parameters<Step['store']['saveVoicemail']>[1], ttl: number): Promise<boolean> {
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    try {
      await step.store.saveVoicemail(id, record, ttl);
      return true;
    } catch (error) {
      logError(step.name, `saving the voicemail page failed (${describeFailure(error)}), try ${attempt} of 2`);
    }
  }
  return false;
}

/**
 * Twilio kept no recording. If nothing else settled the call, it is a missed call. If the Record action
 * already settled it as a voicemail (its RecordingDuration can say 1 s of what Twilio then drops as silence),
 * the team gets the missed-call text in place of the voicemail text: one notice either way.
 * The caller's details are read once, beside the outcome claim; this callback has no From, so when their record
 * cannot be read the number comes from the Call resource (npm run simulate, worst profile: a Sync read 14 s late
 * had left "Missed call: an unknown number", a caller nobody could call back).
 */
async function reportNoMessage(step: Step, callSid: string, from: string | undefined): Promise<void> {
  const details = callerDetails(step, callSid, from ?? numberFromCall(step, callSid));
  if (await reportMissed(step, callSid, details)) return;
  // Asked again on failure, within what the step has left: this read alone decides whether the caller is reported.
  const outcome = await within(step, 'call outcome', Math.min(MUST_READ_MS, step.remainingMs() - 2000), askAgain(() => step.store.outcomeOf(callSid), 3), undefined);
  if (outcome?.outcome !== 'voicemail' || !(await step.store.claimNotice(callSid, 'voicemail'))) return;
  const caller = await details;
  const [call] = await Promise.all([callbackReference(step, caller, 'missed'), textMissedCaller(step, caller)]);
  await textMembers(step, teamInTurn(step.config.members, callSid), notices.missed(caller, undefined, call), `caller ${caller.reference}`);
  logInfo(step.name, `caller ${caller.reference} left no message after all; team told of a missed call`);
}

/**
 * /voicemail-saved — Twilio's recording status callback and, when enabled, its transcription callback.
 * Recording completed: the voicemail is kept in Sync for its page, and each member gets one text with their
 * own link to it, at once (no waiting for a transcription that may never come). A transcription is added to
 * the page when it arrives; it sends no text. A repeated or late callback sends nothing more.
 */
import { logInfo } from '../src/log';
import { notices } from '../src/messages';
import { cleanLabel } from '../src/sms-text';
import { defineStep, voiceResponse } from '../src/step';
import { callerDetails, SYNC_READ_MS, textedSummary, textMembers, within } from '../src/team';
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
    const recordingSid = sidParam(event, 'RecordingSid', 'RE') ?? /\/Recordings\/(RE[0-9a-f]{32})$/.exec(param(event, 'RecordingUrl') ?? '')?.[1];
    // 'absent' is an empty recording, reported by /voicemail-done as a missed call; 'failed' still needs telling.
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
    if (recordingStatus === 'failed') {
      const texted = await textMembers(step, step.config.members, notices.voicemailLost(caller), `caller ${caller.reference}`);
      logInfo(step.name, `voicemail from caller ${caller.reference} failed to save; ${textedSummary(texted, step.config.members.length)}`);
      return voiceResponse();
    }

    if (recordingSid === undefined) return voiceResponse();
    const now = Date.now();
    const record = voicemailRecordOf(caller, { recordingSid, seconds, startTime: param(event, 'RecordingStartTime') }, callStarted, now);
    // Saved before anyone is texted: a link must never arrive before its page exists.
    await step.store.saveVoicemail(voicemailId, record, ttl);
    const expiresAt = now + ttl * 1000;
    const texted = await textMembers(step, step.config.members, (member) =>
      notices.voicemail(caller, seconds, step.url(PAGE_PATH, { t: makeToken(key, voicemailId, member, expiresAt) })), `caller ${caller.reference}`);
    logInfo(step.name, `voicemail from caller ${caller.reference} reported; ${textedSummary(texted, step.config.members.length)}`);
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

/**
 * /call-status — the number's call status callback: Twilio requests it once a caller's call is over.
 * The catch-all for a caller who hangs up where Twilio asks nothing more of us (an apology, the
 * voicemail prompt, the beep): a call that ended with no outcome and no recording is a missed call.
 */
import { defineStep, voiceResponse } from '../src/step';
import { reportMissed, SYNC_READ_MS, within } from '../src/team';
import { hasRecording } from '../src/voicemail';
import { fromNumber, param, sidParam } from '../src/webhook';

/** Final statuses of a call Twilio answered or tried to: every one ends the caller's chance to be served. */
const ENDED = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);

export const handler = defineStep({
  name: 'call-status',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined || !ENDED.has(param(event, 'CallStatus') ?? '')) return voiceResponse();
    // A recording means a voicemail: /voicemail-saved reports it, whichever callback comes first.
    // If Twilio cannot say, the call is treated as having none: a lost report is worse than a rare extra one.
    // A voicemail notice already claimed says the same when the recordings cannot be read (and /voicemail-done's
    // outcome claim was lost), so the team is not told "missed" about a caller whose message they have.
    const [recorded, voicemailReported] = await Promise.all([
      within(step, 'recordings of the call', 3000, hasRecording(step.client, callSid), false),
      within(step, 'voicemail notice', SYNC_READ_MS, step.store.noticeClaimed(callSid, 'voicemail'), false),
    ]);
    // The claim is first-wins: a call that already has an outcome (connected, voicemail, callback) stays as it is.
    if (!recorded && !voicemailReported) await reportMissed(step, callSid, fromNumber(event));
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

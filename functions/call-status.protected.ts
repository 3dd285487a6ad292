/**
 * /call-status — the number's call status callback: Twilio requests it once a caller's call is over.
 * The catch-all for a caller who hangs up where Twilio asks nothing more of us (an apology, the
 * voicemail prompt, the beep): a call that ended with no outcome and no recording is a missed call.
 */
import { notices } from '../src/messages';
import { toE164 } from '../src/phone';
import { defineStep, voiceResponse } from '../src/step';
import { reportOutcome, within } from '../src/team';
import { hasRecording } from '../src/voicemail';
import { param, sidParam } from '../src/webhook';

/** Final statuses of a call Twilio answered or tried to: every one ends the caller's chance to be served. */
const ENDED = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);

export const handler = defineStep({
  name: 'call-status',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined || !ENDED.has(param(event, 'CallStatus') ?? '')) return voiceResponse();
    // A recording means a voicemail: /voicemail-saved reports it, whichever callback comes first.
    // If Twilio cannot say, the call is treated as having none: a lost report is worse than a rare extra one.
    const recorded = await within(step, 'recordings of the call', 3000, hasRecording(step.client, callSid), false);
    // The claim is first-wins: a call that already has an outcome (connected, voicemail, callback) stays as it is.
    if (!recorded) {
      await reportOutcome(step, callSid, { outcome: 'missed' }, toE164(param(event, 'From')) ?? undefined, (caller) => notices.missed(caller, undefined));
    }
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

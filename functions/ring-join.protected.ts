/**
 * /ring-join — the caller's side of a ring-all answer: /ring-answer dequeued the caller here (and /queue-result
 * sends them here too, from the pull claim). The caller joins the conference named after their own call, where
 * the member who pressed 1 is joining; either leaving ends it, so nobody is left alone on the line.
 * The call's outcome is settled as connected here, where the caller has certainly arrived (a dequeue Twilio did
 * not confirm can look done when it was not), so a caller who then hangs up is not reported missed.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { logError } from '../src/log';
import { toE164 } from '../src/phone';
import { conferenceName } from '../src/ring';
import { apologiseToVoicemail, defineStep } from '../src/step';
import { conferenceTwiml } from '../src/ring-twiml';
import { memberByNumber, SYNC_READ_MS, within } from '../src/team';
import { param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'ring-join',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined) {
      logError(step.name, 'join request without a valid CallSid; sending to voicemail');
      return apologiseToVoicemail(step.url, step.config.prompts.unavailable);
    }
    const member = memberByNumber(step, toE164(param(event, 'member')));
    // First wins, as every outcome: a callback asked for in the same moment keeps its report, and the caller talks.
    await within(step, 'connected outcome', SYNC_READ_MS,
      step.store.claimOutcome(callSid, { outcome: 'connected', ...(member === undefined ? {} : { member: member.name }) }), false);
    return conferenceTwiml(conferenceName(callSid));
  },
  // The member is in the conference or on the way: the caller joins them even when the step failed.
  fallback: (url, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    return callSid === undefined ? apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable) : conferenceTwiml(conferenceName(callSid));
  },
});

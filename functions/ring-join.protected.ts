/**
 * /ring-join — the caller's side of a ring-all answer: /ring-answer dequeued the caller here (and /queue-result
 * sends them here too, from the pull claim). The caller joins the conference named after their own call, where
 * the member who pressed 1 is joining; the room starts only with the member in it, and either leaving ends it.
 * The call's outcome is settled as connected here, where the caller has certainly arrived (a dequeue Twilio did
 * not confirm can look done when it was not), so a caller who then hangs up is not reported missed. That claim is
 * waited for: /call-status, which reports a call with no outcome as missed, only comes once this call is over, so
 * a claim made before the answer is always seen there, however slow Sync is (the conference needs no quick answer).
 * A member who left before coming into the room (their phone hung up) leaves the caller to voicemail instead:
 * here, when the caller arrives after they left, or by /ring-wait or /ring-status, when the caller is in the room
 * waiting for them (they move the call back here with `left`).
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { logError, logInfo } from '../src/log';
import { toE164 } from '../src/phone';
import { callReference } from '../src/reference';
import { conferenceName, memberLeft, ringWords } from '../src/ring';
import { ringCallStatus } from '../src/ring-calls';
import { apologiseToVoicemail, defineStep, Step, VoiceResponse } from '../src/step';
import { callerConferenceTwiml } from '../src/ring-twiml';
import { memberByNumber, MUST_READ_MS, within } from '../src/team';
import { describeFailure } from '../src/twilio-api';
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
    const ringCall = sidParam(event, 'ring', 'CA');
    if (param(event, 'left') !== undefined) return toVoicemail(step, callSid);
    // Round 1, in parallel: the outcome claim (first wins, as every outcome: a callback asked for in the same moment
    // keeps its report, and the caller talks) and whether the member's phone is still on the line.
    const [claimed, memberStatus] = await Promise.all([
      within(step, 'connected outcome', MUST_READ_MS,
        step.store.claimOutcome(callSid, { outcome: 'connected', ...(member === undefined ? {} : { member: member.name }) }), false),
      ringCall === undefined ? Promise.resolve(undefined) : ringCallStatus(step, ringCall),
    ]);
    if (memberLeft(memberStatus)) return toVoicemail(step, callSid);
    if (!claimed) logInfo(step.name, `caller ${callReference(callSid)}: the call already had an outcome (or Sync did not say in time); joining the member anyway`);
    return callerConferenceTwiml(conferenceName(callSid), step.url('/ring-wait', { caller: callSid, ring: ringCall, member: member?.number }));
  },
  // The member is in the conference or on the way: the caller joins them even when the step failed (and /ring-wait
  // still sends them to voicemail if the member never comes in).
  fallback: (url, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined || param(event, 'left') !== undefined) return apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable);
    return callerConferenceTwiml(conferenceName(callSid), url('/ring-wait', { caller: callSid, ring: sidParam(event, 'ring', 'CA') }));
  },
});

/**
 * The member who took the caller is gone before the two talked: the caller is told and goes to voicemail, and the
 * connected outcome is undone first, so their message (or their hanging up) is reported as for any caller.
 */
async function toVoicemail(step: Step, callSid: string): Promise<VoiceResponse> {
  try {
    await step.store.releaseConnected(callSid);
  } catch (error) {
    logError(step.name, `caller ${callReference(callSid)}: the connected outcome could not be undone (${describeFailure(error)}); a voicemail is still reported, a hang-up may not be`);
  }
  logInfo(step.name, `caller ${callReference(callSid)}: the ring-all taker left before coming into the room; to voicemail`);
  return apologiseToVoicemail(step.url, ringWords.takerLeft);
}

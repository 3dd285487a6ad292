/**
 * /callback-status — the status callback of the call to the member's phone. Never answered (busy, no answer,
 * failed), or answered and hung up before pressing 1: the attempt failed, the customer is freed, the team told.
 * Once the member pressed 1 the Dial action settles it, whichever of the two Twilio sends first.
 */
import { memberPhoneUnreached } from '../src/callback';
import { attemptOf, memberCallEnded } from '../src/callback-step';
import { defineStep, voiceResponse } from '../src/step';
import { param } from '../src/webhook';

export const handler = defineStep({
  name: 'callback-status',
  run: async (step, event) => {
    const attempt = attemptOf(step, event);
    if (attempt !== undefined) await memberCallEnded(step, attempt, memberPhoneUnreached(param(event, 'CallStatus')));
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

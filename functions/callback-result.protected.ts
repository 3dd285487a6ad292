/**
 * /callback-result — the Dial action of a callback. The customer answered: the member who called back is
 * remembered with the reference. Busy, no answer, failed: the customer is freed and the team told.
 */
import { dialOutcome } from '../src/callback';
import { attemptFailed, attemptOf, attemptReached } from '../src/callback-step';
import { defineStep, voiceResponse } from '../src/step';
import { numberParam, param } from '../src/webhook';

export const handler = defineStep({
  name: 'callback-result',
  run: async (step, event) => {
    const response = voiceResponse();
    const attempt = attemptOf(step, event);
    if (attempt === undefined) return response;
    const outcome = dialOutcome(param(event, 'DialCallStatus'), param(event, 'DialBridged'), numberParam(event, 'DialCallDuration'));
    if (outcome === 'reached') {
      await attemptReached(step, attempt);
      return response;
    }
    await attemptFailed(step, attempt, outcome);
    response.say('The call did not go through. The team has been told. Goodbye.');
    response.hangup();
    return response;
  },
  fallback: () => voiceResponse(),
});

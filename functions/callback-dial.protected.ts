/**
 * /callback-dial — the member's key on the callback call. 1: dial the customer with the team number as caller ID
 * (a Twilio number of the account is always an allowed callerId). Anything else or nothing: the attempt ends,
 * the customer is freed for another member and the team is told.
 */
import { attemptDialing, attemptFailed, attemptOf, attemptQuery, cannotCallBack } from '../src/callback-step';
import { defineStep, sayAndHangUp, voiceResponse } from '../src/step';
import { param } from '../src/webhook';

export const handler = defineStep({
  name: 'callback-dial',
  run: async (step, event) => {
    const attempt = attemptOf(step, event);
    if (attempt === undefined) return sayAndHangUp('Sorry, this call back cannot be made.');
    if (param(event, 'Digits') !== '1') {
      await attemptFailed(step, attempt, 'did not press 1');
      return sayAndHangUp('Not calling. Goodbye.');
    }
    if (!(await attemptDialing(step, attempt))) return sayAndHangUp('This call back is no longer yours to make. Goodbye.');
    const response = voiceResponse();
    const dial = response.dial({
      callerId: step.config.twilioNumber, timeout: step.config.ringSeconds,
      action: step.url('/callback-result', attemptQuery(attempt)), method: 'POST',
    });
    dial.number(attempt.to);
    return response;
  },
  fallback: cannotCallBack,
});

/**
 * /callback-answer — runs on the member's phone when they answer the call their CALL text asked for.
 * Says who they are calling back and waits for 1: a phone's own voicemail never dials the customer.
 * /callback-dial gets the key, or nothing (actionOnEmptyResult), so silence is reported too.
 */
import { PRESS_SECONDS, spokenLabel } from '../src/callback';
import { attemptOf, attemptQuery, cannotCallBack } from '../src/callback-step';
import { defineStep, sayAndHangUp, voiceResponse } from '../src/step';

export const handler = defineStep({
  name: 'callback-answer',
  run: (step, event) => {
    const attempt = attemptOf(step, event);
    if (attempt === undefined) return sayAndHangUp('Sorry, this call back cannot be made.');
    const response = voiceResponse();
    const gather = response.gather({
      numDigits: 1, timeout: PRESS_SECONDS, method: 'POST', actionOnEmptyResult: true,
      action: step.url('/callback-dial', attemptQuery(attempt)),
    });
    gather.say(`Pull Phone. You are calling back ${spokenLabel(attempt.label)}. Press 1 to call them now from the team number.`);
    return response;
  },
  fallback: cannotCallBack,
});

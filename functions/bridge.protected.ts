/**
 * /bridge — a member pulled the caller (sms-reply dequeued them here).
 * Rings the member's mobile showing the caller's own number; the member hears who it is
 * and presses a key before the two are connected (see /screen), so a mobile's voicemail never takes the call.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { logError } from '../src/log';
import { toE164 } from '../src/phone';
import { apologiseToVoicemail, defineStep, voiceResponse } from '../src/step';
import { memberByNumber } from '../src/team';
import { param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'bridge',
  run: (step, event) => {
    const member = memberByNumber(step, toE164(param(event, 'member')));
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (member === undefined || callSid === undefined) {
      logError(step.name, 'bridge request without a configured member or a CallSid; sending to voicemail');
      return apologiseToVoicemail(step.url, step.config.prompts.unavailable);
    }
    // A withheld number cannot be shown; then the member sees our Twilio number.
    const callerId = toE164(param(event, 'From')) ?? step.config.twilioNumber;
    const response = voiceResponse();
    response.say('Connecting you now.');
    const dial = response.dial({
      action: step.url('/bridge-result', { member: member.number }),
      method: 'POST',
      timeout: step.config.ringSeconds,
      callerId,
    });
    dial.number({ url: step.url('/screen', { caller: callSid, member: member.number }), method: 'POST' }, member.number);
    return response;
  },
  fallback: (url) => apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable),
});

/**
 * /hold-key — a key pressed while waiting (the wait document's <Gather> action; the caller is still in the queue).
 * 1: voicemail now. 2: ask for a callback, which the team is texted about, and the call ends (via /queue-result).
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { HOLD_KEYS } from '../src/hold';
import { notices } from '../src/messages';
import { defineStep, sayAndLeave, voiceResponse } from '../src/step';
import { reportOutcome } from '../src/team';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'hold-key',
  run: async (step, event) => {
    const response = voiceResponse();
    const digits = param(event, 'Digits');
    const callSid = sidParam(event, 'CallSid', 'CA');
    const from = fromNumber(event);
    if (digits === HOLD_KEYS.voicemail) return sayAndLeave('OK.');
    // Nobody could call back a withheld number: a message is the next best thing.
    if (digits === HOLD_KEYS.callback && from === undefined) {
      return sayAndLeave('Sorry, we cannot see your number to call you back. Please leave it in a message.');
    }
    if (digits === HOLD_KEYS.callback && callSid !== undefined) {
      const waited = numberParam(event, 'QueueTime');
      if (await reportOutcome(step, callSid, { outcome: 'callback' }, from, (caller, call) => notices.callback(caller, waited, call))) {
        // Out of the queue at once, so no member's reply can pull a caller who is being told goodbye;
        // /queue-result sees the callback outcome and says the confirmation.
        response.leave();
        return response;
      }
      // The call already has an outcome (a retried request, say): nothing more to do here.
      return response;
    }
    // Not an option. When this document ends Twilio requests the hold music again, with the real QueueTime.
    response.say('Sorry, that key is not an option.');
    return response;
  },
  fallback: () => sayAndLeave(DEFAULT_PROMPTS.unavailable),
});

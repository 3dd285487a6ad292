/**
 * /hold-key — a key pressed while waiting (the wait document's <Gather> action; the caller is still in the queue).
 * 1: voicemail now. 2: ask for a callback, which the team is texted about, and the call ends (via /queue-result).
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { HOLD_KEYS } from '../src/hold';
import { notices } from '../src/messages';
import { toE164 } from '../src/phone';
import { defineStep, voiceResponse } from '../src/step';
import { reportOutcome } from '../src/team';
import { numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'hold-key',
  run: async (step, event) => {
    const response = voiceResponse();
    const digits = param(event, 'Digits');
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (digits === HOLD_KEYS.voicemail) {
      response.say('OK.');
      response.leave();
      return response;
    }
    if (digits === HOLD_KEYS.callback && callSid !== undefined) {
      const from = toE164(param(event, 'From')) ?? undefined;
      const waited = numberParam(event, 'QueueTime');
      if (await reportOutcome(step, callSid, { outcome: 'callback' }, from, (caller) => notices.callback(caller, waited))) {
        // Out of the queue at once, so no member's reply can pull a caller who is being told goodbye;
        // /queue-result sees the callback outcome and says the confirmation.
        response.leave();
        return response;
      }
      // Someone is already connecting this caller: stay on hold for the moment it takes.
      return response;
    }
    // Not an option. When this document ends Twilio requests the hold music again, with the real QueueTime.
    response.say('Sorry, that key is not an option.');
    return response;
  },
  fallback: () => {
    const response = voiceResponse();
    response.say(DEFAULT_PROMPTS.unavailable);
    response.leave();
    return response;
  },
});

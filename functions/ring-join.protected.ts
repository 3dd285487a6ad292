/**
 * /ring-join — the caller's side of a ring-all answer: /ring-answer dequeued the caller here (and /queue-result
 * sends them here too, from the pull claim). The caller joins the conference named after their own call, where
 * the member who pressed 1 is joining; either leaving ends it, so nobody is left alone on the line.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { logError } from '../src/log';
import { conferenceName } from '../src/ring';
import { apologiseToVoicemail, defineStep } from '../src/step';
import { conferenceTwiml } from '../src/ring-twiml';
import { sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'ring-join',
  run: (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined) {
      logError(step.name, 'join request without a valid CallSid; sending to voicemail');
      return apologiseToVoicemail(step.url, step.config.prompts.unavailable);
    }
    return conferenceTwiml(conferenceName(callSid), 'Connecting you now.');
  },
  fallback: (url) => apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable),
});

/**
 * /voicemail-done — the Record action: the caller finished (or hung up).
 * A message settles the call as voicemail (the text follows from /voicemail-saved);
 * no message at all is a missed call, reported once.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { defineStep, voiceResponse } from '../src/step';
import { reportMissed } from '../src/team';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'voicemail-done',
  run: async (step, event) => {
    const response = voiceResponse();
    const callSid = sidParam(event, 'CallSid', 'CA');
    const seconds = numberParam(event, 'RecordingDuration') ?? 0;
    const recorded = param(event, 'RecordingUrl') !== undefined && seconds > 0;
    if (callSid !== undefined && recorded) {
      await step.store.claimOutcome(callSid, { outcome: 'voicemail', seconds });
    } else if (callSid !== undefined) {
      await reportMissed(step, callSid, fromNumber(event));
    }
    response.say(recorded ? step.config.prompts.voicemailThanks : 'We did not get a message. Goodbye.');
    response.hangup();
    return response;
  },
  fallback: (_url, event) => {
    const response = voiceResponse();
    response.say(param(event, 'RecordingUrl') === undefined ? 'We did not get a message. Goodbye.' : DEFAULT_PROMPTS.voicemailThanks);
    response.hangup();
    return response;
  },
});

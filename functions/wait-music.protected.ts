/**
 * /wait-music — the queue's waitUrl: Twilio requests it again each time the document ends,
 * so one invocation is one loop of hold music. No REST calls: everything comes from Twilio's parameters.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { holdLoop } from '../src/hold';
import { defineStep, sayAndLeave } from '../src/step';
import { numberParam } from '../src/webhook';

export const handler = defineStep({
  name: 'wait-music',
  run: (step, event) => {
    return holdLoop({
      queueTime: numberParam(event, 'QueueTime') ?? 0,
      position: numberParam(event, 'QueuePosition'),
      maxWaitSeconds: step.config.maxWaitSeconds,
      prompts: step.config.prompts,
      url: step.url,
    });
  },
  fallback: () => sayAndLeave(DEFAULT_PROMPTS.unavailable),
});

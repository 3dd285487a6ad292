/**
 * /wait-music — the queue's waitUrl: Twilio requests it again each time the document ends,
 * so one invocation is one loop of hold music. No REST calls: everything comes from Twilio's parameters.
 * With ring-all escalation on, a loop starting at or after RING_TEAM_AFTER_SECONDS redirects to /ring-team
 * (<Redirect> is one of the verbs a wait document may use; the caller stays in the queue).
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { holdLoop } from '../src/hold';
import { escalates } from '../src/ring';
import { defineStep, sayAndLeave, voiceResponse } from '../src/step';
import { numberParam, param } from '../src/webhook';

export const handler = defineStep({
  name: 'wait-music',
  run: (step, event) => {
    const queueTime = numberParam(event, 'QueueTime') ?? 0;
    if (escalates(queueTime, step.config.ringTeamAfterSeconds, step.config.maxWaitSeconds)) {
      // Twilio's docs do not say which parameters a redirect inside the wait document carries: the wait and the
      // queue travel in the URL too.
      const response = voiceResponse();
      response.redirect({ method: 'POST' }, step.url('/ring-team', { waited: String(queueTime), queue: param(event, 'QueueSid') }));
      return response;
    }
    return holdLoop({
      queueTime,
      position: numberParam(event, 'QueuePosition'),
      maxWaitSeconds: step.config.maxWaitSeconds,
      prompts: step.config.prompts,
      url: step.url,
    });
  },
  fallback: () => sayAndLeave(DEFAULT_PROMPTS.unavailable),
});

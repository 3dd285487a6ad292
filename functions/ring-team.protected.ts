/**
 * /ring-team — ring-all escalation, reached from the wait document (/wait-music redirects here once the caller's
 * QueueTime reaches RING_TEAM_AFTER_SECONDS); the caller is still in the queue and hears the hold loop as usual.
 * The first time for a caller (a Sync claim), every available member's mobile is rung; later loops only play music.
 * A caller already pulled is not escalated. Four REST rounds, whatever the team size.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { holdLoop } from '../src/hold';
import { logError, logInfo } from '../src/log';
import { callReference } from '../src/reference';
import { escalates, membersToRing } from '../src/ring';
import { endRingCalls, ringMembers } from '../src/ring-calls';
import { defineStep, sayAndLeave, Step, VoiceResponse } from '../src/step';
import { SYNC_READ_MS, within } from '../src/team';
import { describeFailure } from '../src/twilio-api';
import { numberParam, sidParam, WebhookEvent } from '../src/webhook';

export const handler = defineStep({
  name: 'ring-team',
  run: async (step, event) => {
    const queueTime = waited(event);
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined || !escalates(queueTime, step.config.ringTeamAfterSeconds, step.config.maxWaitSeconds)) {
      return hold(step.url, step.config, event);
    }
    // Round 1: the once-per-caller claim, whether the caller is already pulled, and who paused (if Sync cannot
    // say, everyone is rung: never a member left out without asking).
    const [claimed, pulled, paused] = await Promise.all([
      step.store.claimRing(callSid),
      within(step, 'pull claim', SYNC_READ_MS, step.store.pullOf(callSid), undefined),
      within(step, 'paused members', SYNC_READ_MS, step.store.pausedMembers(), new Set<string>()),
    ]);
    if (!claimed) return hold(step.url, step.config, event);
    const reference = callReference(callSid);
    if (pulled !== undefined) {
      logInfo(step.name, `caller ${reference} already pulled; nobody rung`);
      return hold(step.url, step.config, event);
    }
    // Round 2: the calls, in parallel. Round 3: their SIDs, so whoever takes the caller can end the others.
    const members = membersToRing(step.config.members, paused);
    const queueSid = sidParam(event, 'QueueSid', 'QU') ?? sidParam(event, 'queue', 'QU');
    const calls = await ringMembers(step, callSid, members, queueSid);
    step.reached.add('rung');
    try {
      await step.store.saveRingCalls(callSid, calls);
    } catch (error) {
      logError(step.name, `caller ${reference}: the ring calls could not be recorded (${describeFailure(error)}); the others ring until they time out`);
    }
    // Round 4. Pulled in the meantime (an SMS pull's claim came between our read and our calls): stop the phones again.
    const since = await within(step, 'pull claim', SYNC_READ_MS, step.store.pullOf(callSid), undefined);
    if (since !== undefined) await endRingCalls(step, calls, undefined);
    logInfo(step.name, `caller ${reference} waited ${queueTime}s: ${calls.length} of ${members.length} members rung${since === undefined ? '' : ', then stopped (pulled meanwhile)'}`);
    return hold(step.url, step.config, event);
  },
  // The caller is in the queue: whatever went wrong, they keep hearing the hold loop (and the wait limit holds).
  fallback: (url, event, _why, { config }) => (config === undefined ? sayAndLeave(DEFAULT_PROMPTS.unavailable) : hold(url, config, event)),
});

/** Twilio's QueueTime when this request carries it, else the one /wait-music put in the URL. */
function waited(event: WebhookEvent): number {
  return numberParam(event, 'QueueTime') ?? numberParam(event, 'waited') ?? 0;
}

function hold(url: Step['url'], config: Step['config'], event: WebhookEvent): VoiceResponse {
  return holdLoop({
    queueTime: waited(event),
    position: numberParam(event, 'QueuePosition'),
    maxWaitSeconds: config.maxWaitSeconds,
    prompts: config.prompts,
    url,
  });
}

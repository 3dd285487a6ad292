/**
 * /ring-wait — the wait document of the caller's side of a ring-all conference (its `waitUrl`). Twilio asks for it
 * only while the caller is in the room and the member is not (the caller does not start the room; the member does).
 * Normally the member comes in within seconds. Each request checks the member's phone (one REST read): still on
 * the line, the caller waits a few seconds more in silence and the document asks for itself again (`<Redirect>`, one
 * of the four verbs a conference wait document may hold: Say, Play, Pause, Redirect, twilio.com/docs/errors/13238);
 * gone (they hung up between pressing 1 and coming in), or not in after RING_WAIT_LIMIT_SECONDS, the caller's call
 * is moved back to /ring-join with `left`, which tells them and sends them to voicemail.
 */
import { logError, logInfo } from '../src/log';
import { toE164 } from '../src/phone';
import { callReference } from '../src/reference';
import { callerWaitVerdict, memberLeft, RING_WAIT_SECONDS } from '../src/ring';
import { ringCallStatus, takerLeft } from '../src/ring-calls';
import { defineStep, voiceResponse, VoiceResponse } from '../src/step';
import { numberParam, param, sidParam, WebhookEvent } from '../src/webhook';

export const handler = defineStep({
  name: 'ring-wait',
  run: async (step, event) => {
    const callerSid = sidParam(event, 'caller', 'CA');
    const ringCall = sidParam(event, 'ring', 'CA');
    const waited = waitedSoFar(event);
    if (callerSid === undefined) {
      logError(step.name, 'wait request without a caller; silence until the member comes in or the caller leaves');
      return pause();
    }
    const memberStatus = ringCall === undefined ? undefined : await ringCallStatus(step, ringCall);
    if (callerWaitVerdict(memberStatus, waited) === 'voicemail') {
      logInfo(step.name, `caller ${callReference(callerSid)} waited ${waited}s in the room; the member ${memberStatus === undefined || !memberLeft(memberStatus) ? 'never came in' : `left (${memberStatus})`}`);
      await takerLeft(step, callerSid, toE164(param(event, 'member')) ?? undefined, ringCall);
      // The move takes the call out of the room; this answer is only what the caller hears until it lands.
    }
    return waitAgain(step.url, event, waited);
  },
  // Whatever failed, the caller keeps waiting and the next request checks again.
  fallback: (url, event) => waitAgain(url, event, waitedSoFar(event)),
});

/** Seconds the caller has waited for the member, as this document counted them (Twilio's request carries no wait time). */
function waitedSoFar(event: WebhookEvent): number {
  return Math.max(0, numberParam(event, 'waited') ?? 0);
}

function pause(): VoiceResponse {
  const response = voiceResponse();
  response.pause({ length: RING_WAIT_SECONDS });
  return response;
}

function waitAgain(url: (path: string, query?: Record<string, string | undefined>) => string, event: WebhookEvent, waited: number): VoiceResponse {
  const response = pause();
  response.redirect({ method: 'POST' }, url('/ring-wait', {
    caller: sidParam(event, 'caller', 'CA'), ring: sidParam(event, 'ring', 'CA'), member: toE164(param(event, 'member')) ?? undefined,
    waited: String(waited + RING_WAIT_SECONDS),
  }));
  return response;
}

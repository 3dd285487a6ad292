/**
 * /ring-status — the status callback of each call /ring-team placed to a member's mobile (`completed` only).
 * The other side of /ring-wait's check: /ring-wait runs when the caller starts waiting in the room (and again every
 * few seconds, should Twilio repeat the wait document), and finds a member who already hung up; this runs when the
 * member's call ends, and finds a caller already waiting in a room the member never came into. Whichever happens
 * second sees the first, so a caller is never left waiting for a member who is gone, whether or not Twilio asks for
 * the wait document again. Only the call that took the caller counts (the pull claim names it); any other ring call
 * ending changes nothing. One round (the pull claim and the room, in parallel), then the move (takerLeft).
 */
import { logInfo } from '../src/log';
import { callReference } from '../src/reference';
import { conferenceName, memberLeft } from '../src/ring';
import { callerWaitingAlone, takerLeft } from '../src/ring-calls';
import { defineStep, voiceResponse } from '../src/step';
import { SYNC_READ_MS, within } from '../src/team';
import { param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'ring-status',
  run: async (step, event) => {
    const callerSid = sidParam(event, 'caller', 'CA');
    const ringCall = sidParam(event, 'CallSid', 'CA');
    if (callerSid === undefined || ringCall === undefined || !memberLeft(param(event, 'CallStatus'))) return voiceResponse();
    const [pull, waiting] = await Promise.all([
      within(step, 'pull claim', SYNC_READ_MS, step.store.pullOf(callerSid), undefined),
      callerWaitingAlone(step, conferenceName(callerSid)),
    ]);
    if (pull === undefined || waiting !== true || ringOf(pull.url) !== ringCall) return voiceResponse();
    logInfo(step.name, `caller ${callReference(callerSid)} is waiting in the room for ${pull.member}, whose phone hung up; to voicemail`);
    await takerLeft(step, callerSid, pull.memberNumber, ringCall);
    return voiceResponse();
  },
  fallback: () => voiceResponse(),
});

/** The ring call a ring-all pull names (its /ring-join URL carries it); undefined for an SMS pull. */
function ringOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.pathname === '/ring-join' ? parsed.searchParams.get('ring') ?? undefined : undefined;
  } catch {
    return undefined;
  }
}

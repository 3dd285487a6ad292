/** The REST side of ring-all escalation: placing the calls to members' mobiles and ending them. */
import { Member } from './config';
import { logError } from './log';
import { maskNumber } from './phone';
import { callReference } from './reference';
import { Step } from './step';
import { RingCall } from './store';
import { SYNC_READ_MS, within } from './team';
import { describeFailure, failureOf } from './twilio-api';

/**
 * One REST call per member, all at once. Twilio queues outbound API calls to the account's calls-per-second
 * limit (1 by default, twilio.com/docs/glossary/cps), so the requests return at once and the phones start
 * ringing about a second apart. A member whose call Twilio refuses is logged; the others still ring.
 */
export async function ringMembers(step: Step, callerSid: string, members: readonly Member[], queueSid: string | undefined): Promise<RingCall[]> {
  const results = await Promise.allSettled(members.map((member) => step.client.calls.create({
    to: member.number,
    from: step.config.twilioNumber,
    url: step.url('/ring-answer', { caller: callerSid, member: member.number, queue: queueSid }),
    method: 'POST',
    // `completed` only (the default event): /ring-status checks the caller is not left waiting for this member.
    statusCallback: step.url('/ring-status', { caller: callerSid }),
    statusCallbackMethod: 'POST',
    timeout: step.config.ringSeconds,
  })));
  const calls: RingCall[] = [];
  results.forEach((result, i) => {
    const member = members[i];
    if (member === undefined) return;
    if (result.status === 'fulfilled') calls.push({ sid: result.value.sid, member: member.number });
    else logError(step.name, `ringing ${maskNumber(member.number)} for caller ${callReference(callerSid)} failed (${describeFailure(result.reason)})`);
  });
  return calls;
}

/**
 * End the escalation's calls, except `keep` (the winner's own), all at once. Status `completed` ends a call in
 * any state, `canceled` only one still queued or ringing (TWILIO-NOTES.md, Outbound calls; docs/TWILIO-READINGS.md):
 * one request per call, whatever its state. A call that already ended refuses, which is what we wanted anyway.
 */
export async function endRingCalls(step: Step, calls: readonly RingCall[], keep: string | undefined): Promise<void> {
  await Promise.all(calls.filter((c) => c.sid !== keep).map(async (call) => {
    try {
      await step.client.calls(call.sid).update({ status: 'completed' });
    } catch (error) {
      logError(step.name, `ending the ring call to ${maskNumber(call.member)} failed (${describeFailure(error)}); it stops ringing by itself, and answered it says who took the caller`);
    }
  }));
}

/**
 * The status of a member's ring call (Calls resource: queued, ringing, in-progress, or a final one), or undefined
 * when Twilio does not say in time; callers of this treat "unknown" as "still on the line" and ask again later.
 */
export async function ringCallStatus(step: Step, ringCall: string): Promise<string | undefined> {
  return within(step, 'the member\'s call', SYNC_READ_MS, step.client.calls(ringCall).fetch().then((call) => call.status as string), undefined);
}

/**
 * The taker is not coming into the room: move the caller back to /ring-join with `left` (it tells them, undoes
 * "connected", and sends them to voicemail). /ring-wait and /ring-status can both see it at the same moment: a
 * first-wins claim lets only one move the call (a second move would pull the caller out of the voicemail the first
 * started). If Sync cannot say, the call is moved anyway: twice is better than a caller left waiting.
 */
export async function takerLeft(step: Step, callerSid: string, memberNumber: string | undefined, ringCall: string | undefined): Promise<void> {
  const first = await step.store.claimNotice(callerSid, 'taker-left').catch((error: unknown) => {
    logError(step.name, `claiming the move of caller ${callReference(callerSid)} failed (${describeFailure(error)}); moving anyway`);
    return true;
  });
  if (!first) return;
  await moveCaller(step, callerSid, step.url('/ring-join', { member: memberNumber, ring: ringCall, left: '1' }));
}

/**
 * Move a caller's call to `url` (Calls update with Url, "initiates a call redirect": ../shared/twilio-oai
 * twilio_api_v2010.json, UpdateCall). A call in a conference leaves it (the Participants resource no longer lists "a participant
 * whose call has been modified to use new TwiML", twilio.com/docs/voice/api/conference-participant-resource).
 * False when Twilio refused (the caller hung up meanwhile: 21220) or did not answer.
 */
export async function moveCaller(step: Step, callerSid: string, url: string): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await step.client.calls(callerSid).update({ url, method: 'POST' });
      return true;
    } catch (error) {
      // Once more only when Twilio answered with a failure (5xx, 429): a move it never answered may have landed.
      const { status } = failureOf(error);
      if (attempt < 2 && status !== undefined && (status === 429 || status >= 500)) continue;
      logError(step.name, `moving caller ${callReference(callerSid)} failed (${describeFailure(error)})`);
      return false;
    }
  }
}

/**
 * Whether the caller is in their ring-all room waiting for a member who is not in it: a room of that name that has
 * not started (Conferences list, FriendlyName and Status `init`; ../shared/twilio-oai twilio_api_v2010.json,
 * ListConference: statuses `init`, `in-progress`, `completed`). Only the member starts the room, so a member who was
 * ever in it leaves it started, then completed (endConferenceOnExit): such a room is never `init`.
 * Undefined when Twilio does not say in time.
 */
export async function callerWaitingAlone(step: Step, room: string): Promise<boolean | undefined> {
  return within(step, 'the caller\'s room', SYNC_READ_MS,
    step.client.conferences.list({ friendlyName: room, status: 'init', limit: 1 }).then((rooms) => rooms.length > 0), undefined);
}

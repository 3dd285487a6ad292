/** The REST side of ring-all escalation: placing the calls to members' mobiles and ending them. */
import { Member } from './config';
import { logError } from './log';
import { maskNumber } from './phone';
import { callReference } from './reference';
import { Step } from './step';
import { RingCall } from './store';
import { describeFailure } from './twilio-api';

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

/** The Twilio Queue callers wait in: who is waiting, and pulling one out. */
import { callReference } from './reference';
import { failureOf, isRefusal, TwilioClient } from './twilio-api';

export interface WaitingCaller {
  callSid: string;
  reference: string;
  position: number;
  waitSeconds: number;
}

/** Twilio addresses a queue by SID; we know it by name. One request: accounts have few queues. */
export async function findQueueSid(client: TwilioClient, name: string): Promise<string | undefined> {
  const page = await client.queues.page({ pageSize: 1000 });
  return page.instances.find((q) => q.friendlyName === name)?.sid;
}

/** Longest-waiting first. One request covers a full default-size queue (1000). */
export async function waitingCallers(client: TwilioClient, queueSid: string): Promise<WaitingCaller[]> {
  const page = await client.queues(queueSid).members.page({ pageSize: 1000 });
  return page.instances
    .map((m) => ({ callSid: m.callSid, reference: callReference(m.callSid), position: m.position, waitSeconds: m.waitTime }))
    .sort((a, b) => a.position - b.position);
}

/**
 * Dequeue one caller to `url`. A refusal (4xx) means they are no longer in the queue. A 5xx or 429 is
 * 'unknown': Twilio may have moved them all the same (TWILIO-NOTES.md), see `whereIs`. No answer at all (a
 * time-out, a broken connection) is 'unanswered': besides that, the request may still be on its way and carried
 * out later, so nothing Twilio shows afterwards proves it will not move the caller.
 * Whether two dequeues at the same moment can both succeed is unverified: callers claim the pull in Sync first.
 */
export async function pullCaller(client: TwilioClient, queueSid: string, callSid: string, url: string): Promise<'pulled' | 'gone' | 'unknown' | 'unanswered'> {
  try {
    await client.queues(queueSid).members(callSid).update({ url, method: 'POST' });
    return 'pulled';
  } catch (error) {
    if (isRefusal(error)) return 'gone';
    return failureOf(error).status === undefined ? 'unanswered' : 'unknown';
  }
}

/**
 * After an ambiguous dequeue: is the caller still waiting, gone (call over), or out of the queue and still
 * on the line (so our dequeue, the only one the pull claim allows, moved them)? Both asked in parallel.
 */
export async function whereIs(client: TwilioClient, queueSid: string, callSid: string): Promise<'waiting' | 'moved' | 'gone' | 'unknown'> {
  const [member, call] = await Promise.allSettled([
    client.queues(queueSid).members(callSid).fetch(),
    client.calls(callSid).fetch(),
  ]);
  if (member.status === 'fulfilled') return 'waiting';
  if (!isRefusal(member.reason)) return 'unknown';
  if (call.status === 'rejected') return 'unknown';
  return ['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(call.value.status) ? 'gone' : 'moved';
}

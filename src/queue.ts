/** The Twilio Queue callers wait in: who is waiting, and pulling one out. */
import { callReference } from './reference';
import { isRefusal, TwilioClient } from './twilio-api';

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
 * Twilio lets a queue member be dequeued by CallSid once: a second attempt is refused.
 * That refusal is our first-wins rule when two members pull the same caller.
 */
export async function pullCaller(client: TwilioClient, queueSid: string, callSid: string, url: string): Promise<'pulled' | 'gone'> {
  try {
    await client.queues(queueSid).members(callSid).update({ url, method: 'POST' });
    return 'pulled';
  } catch (error) {
    if (isRefusal(error)) return 'gone';
    throw error;
  }
}

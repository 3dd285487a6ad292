// The callback steps' REST round trips, measured at the stand-in: CALL, the team told of a failed attempt and a
// missed call's report do not take more sequential rounds with a bigger team; MISSED_CALL_TEXT goes once a day.
import { handler as callbackStatus } from '../../functions/callback-status.protected';
import { handler as queueResult } from '../../functions/queue-result.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { sequentialRounds, TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, ENV, invoke, newCallSid, startTwilio, TWILIO_NUMBER } from '../support/harness';

let twilio: TwilioStandIn;
beforeAll(async () => {
  twilio = await startTwilio();
});
afterAll(async () => {
  await twilio.stop();
});
beforeEach(() => {
  twilio.reset();
  twilio.wireNumber({ phoneNumber: TWILIO_NUMBER, voiceUrl: 'https://pull-phone-1234-dev.twil.io/incoming-call' });
});

function team(size: number): Record<string, string> {
  const members = [`${ANN.name}:${ANN.number}`, ...Array.from({ length: size - 1 }, (_, i) => `M${i}:+1555990${String(i).padStart(4, '0')}`)];
  return { ...ENV, TEAM_MEMBERS: members.join(','), MISSED_CALL_TEXT: 'Sorry we missed you.' };
}

async function roundsFor(size: number): Promise<{ missed: number; call: number; failed: number; texts: number }> {
  twilio.reset();
  twilio.wireNumber({ phoneNumber: TWILIO_NUMBER, voiceUrl: 'https://pull-phone-1234-dev.twil.io/incoming-call' });
  // An account that has taken calls before: its maps exist.
  for (const map of ['pull-phone-outcomes', 'pull-phone-callbacks', 'pull-phone-calls']) twilio.setSyncItem(map, 'earlier', {});
  const env = team(size);
  const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' }, env);
  // Long enough that requests started together still overlap when two test workers share a busy machine.
  twilio.latencyMs = 100;
  twilio.resetLog();
  await invoke(queueResult, { CallSid: jane.callSid, From: jane.from, QueueResult: 'hangup', QueueTime: '30' }, env);
  const missed = sequentialRounds(twilio.requests);
  const texts = twilio.messages.length;
  twilio.resetLog();
  await invoke(smsReply, sms(ANN.number, `CALL ${jane.reference}`), env);
  const call = sequentialRounds(twilio.requests);
  const query = Object.fromEntries(new URL(twilio.createdCalls[0]?.url ?? 'http://x').searchParams);
  twilio.resetLog();
  await invoke(callbackStatus, { CallSid: twilio.createdCalls[0]?.sid ?? newCallSid(), CallStatus: 'no-answer', ...query }, env);
  const failed = sequentialRounds(twilio.requests);
  twilio.latencyMs = 0;
  return { missed, call, failed, texts };
}

it('a missed call\'s report, CALL and a failed attempt take as many rounds with 20 members as with 2', async () => {
  const small = await roundsFor(2);
  const big = await roundsFor(20);
  // The report: the outcome claim and details; the lasting reference (beside the caller's text); the team's texts.
  expect(small.missed).toBeLessThanOrEqual(4);
  // CALL <ref>: the reference, the claim, the call to the member.
  expect(small.call).toBe(3);
  // The failure: its once-only mark and the claim's release, then the team's texts.
  expect(small.failed).toBeLessThanOrEqual(3);
  expect(big).toEqual({ ...small, texts: 20 + 1 });
  expect(small.texts).toBe(2 + 1);
});

it('MISSED_CALL_TEXT goes from the team number once a day per number, never to a withheld one; a number that opted out is logged, not retried', async () => {
  const env = team(2);
  const first = await arrive(twilio, '+16175550101', {}, env);
  await invoke(queueResult, { CallSid: first.callSid, From: first.from, QueueResult: 'hangup', QueueTime: '30' }, env);
  // Twilio repeating the callback, and the same caller again the same day: no second text.
  await invoke(queueResult, { CallSid: first.callSid, From: first.from, QueueResult: 'hangup', QueueTime: '30' }, env);
  const again = await arrive(twilio, '+16175550101', {}, env);
  await invoke(queueResult, { CallSid: again.callSid, From: again.from, QueueResult: 'hangup', QueueTime: '30' }, env);
  const withheld = await arrive(twilio, 'anonymous', {}, env);
  await invoke(queueResult, { CallSid: withheld.callSid, From: 'anonymous', QueueResult: 'hangup', QueueTime: '30' }, env);
  twilio.optedOut.add('+16175550102');
  const stopped = await arrive(twilio, '+16175550102', {}, env);
  await invoke(queueResult, { CallSid: stopped.callSid, From: stopped.from, QueueResult: 'hangup', QueueTime: '30' }, env);
  const toCallers = twilio.messages.filter((m) => !m.to.startsWith('+1555'));
  expect(toCallers.map((m) => [m.to, m.from, m.body])).toEqual([['+16175550101', TWILIO_NUMBER, 'Sorry we missed you.']]);
  const sends = twilio.requests.filter((r) => r.path.endsWith('/Messages.json') && r.params.To === '+16175550102');
  expect(sends.map((r) => r.status)).toEqual([400]);
});

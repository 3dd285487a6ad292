/** The caller's time in the queue: /wait-music, /hold-key and /queue-result. */
import { handler as waitMusic } from '../../functions/wait-music.protected';
import { handler as holdKey } from '../../functions/hold-key.protected';
import { handler as queueResult } from '../../functions/queue-result.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as callStatus } from '../../functions/call-status.protected';
import { MAPS } from '../../src/store';
import { TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, BOB, ENV, invoke, newCallSid, startTwilio, url } from '../support/harness';
import { find, findAll, spoken, verbNames, withCallBack } from '../support/twiml';

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => { twilio.resetLog(); twilio.faults = undefined; });

const waitParams = (queueTime: number, position = 1): Record<string, string> => ({
  CallSid: newCallSid(), From: '+16175550101', QueueTime: String(queueTime), QueuePosition: String(position),
  QueueSid: `QU${'0'.repeat(32)}`, CurrentQueueSize: String(position), AvgQueueTime: '0', MaxQueueSize: '1000',
});

describe('/wait-music', () => {
  it('first loop: the routing message and the options, then our own hold music, all interruptible by a key', async () => {
    const { twiml } = await invoke(waitMusic, waitParams(0));
    expect(verbNames(twiml)).toEqual(['Gather']);
    const gather = find(twiml, 'Gather');
    expect(gather.attrs).toMatchObject({ numDigits: '1', action: url('/hold-key') });
    expect(verbNames(gather)).toEqual(['Say', 'Say', 'Play']);
    expect(spoken(twiml)).toMatch(/routing your call.*Press 1.*voicemail.*2.*call you back/);
    expect(find(twiml, 'Play').text).toBe(url('/hold-music.wav'));
    expect(twilio.requests).toHaveLength(0);
  });

  it('later loops: no greeting again; the position once a loop when others are ahead', async () => {
    const { twiml } = await invoke(waitMusic, waitParams(45, 3));
    expect(spoken(twiml)).not.toMatch(/routing/);
    expect(spoken(twiml)).toMatch(/^You are caller 3 in line\./);
    const alone = await invoke(waitMusic, waitParams(45, 1));
    expect(spoken(alone.twiml)).not.toMatch(/caller \d/);
  });

  it('at the maximum wait the caller hears why and leaves the queue (for voicemail)', async () => {
    const { twiml } = await invoke(waitMusic, waitParams(120));
    expect(verbNames(twiml)).toEqual(['Say', 'Leave']);
    expect(spoken(twiml)).toMatch(/busy/);
    const custom = await invoke(waitMusic, waitParams(61), { ...ENV, MAX_WAIT_SECONDS: '60' });
    expect(verbNames(custom.twiml)).toEqual(['Say', 'Leave']);
  });

  it('a broken configuration takes the caller out of the queue to voicemail rather than leaving them on hold', async () => {
    const { twiml } = await invoke(waitMusic, waitParams(10), { ...ENV, ACCOUNT_SID: '' });
    expect(verbNames(twiml)).toEqual(['Say', 'Leave']);
  });
});

describe('/hold-key', () => {
  it('1: voicemail now, by leaving the queue', async () => {
    const { twiml } = await invoke(holdKey, { ...waitParams(30), Digits: '1' });
    expect(verbNames(twiml)).toEqual(['Say', 'Leave']);
  });

  it('2: the team is texted once that the caller wants a callback, with the number; the caller leaves the queue at once, hears a confirmation and the call ends', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const { twiml } = await invoke(holdKey, { CallSid: jane.callSid, From: jane.from, QueueTime: '35', Digits: '2' });
    expect(verbNames(twiml)).toEqual(['Leave']);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
    expect(twilio.messages[0]?.body).toEqual(withCallBack('JANE asked for a callback after 35s: +16175550101'));

    // <Leave/> brings Twilio to the Enqueue action, which ends the call with the confirmation.
    const left = await invoke(queueResult, { CallSid: jane.callSid, From: jane.from, QueueResult: 'leave', QueueTime: '36' });
    expect(verbNames(left.twiml)).toEqual(['Say', 'Hangup']);
    expect(spoken(left.twiml)).toMatch(/call you back/);

    // A member's reply naming the caller in that moment does not pull them back out.
    const reply = await invoke(smsReply, sms(ANN.number, `N ${jane.reference}`));
    expect(findAll(reply.twiml, 'Message')[0]?.text).toBe(`Caller ${jane.reference} is no longer waiting: they asked for a callback.`);

    // The hang-up that follows reaches /call-status: no "missed" text on top.
    twilio.resetLog();
    await invoke(callStatus, { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed' });
    expect(twilio.messages).toHaveLength(0);
  });

  it('2 from a withheld number: nobody could call back, so the caller is asked to leave the number in a message', async () => {
    const { twiml } = await invoke(holdKey, { CallSid: newCallSid(), From: 'anonymous', Digits: '2' });
    expect(verbNames(twiml)).toEqual(['Say', 'Leave']);
    expect(spoken(twiml)).toMatch(/cannot see your number.*leave it in a message/);
    expect(twilio.messages).toHaveLength(0);
  });

  it('any other key: a short apology, then the document ends and Twilio plays the hold music again (with the real QueueTime)', async () => {
    const { twiml } = await invoke(holdKey, { ...waitParams(30), Digits: '7' });
    expect(verbNames(twiml)).toEqual(['Say']);
    expect(spoken(twiml)).toMatch(/not an option/);
  });
});

describe('/call-status (the number\'s status callback)', () => {
  it('a call that ended with no outcome and no recording (hung up during a prompt) is reported once as missed', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const ended = { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed', CallDuration: '30' };
    await invoke(callStatus, ended);
    await invoke(callStatus, ended);
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: JANE. Call back +16175550101'), withCallBack('Missed call: JANE. Call back +16175550101')]);
  });

  it('a call with a recording is left to the voicemail notice, even before the Record action arrives', async () => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.recordings.set('RE1', { sid: 'RE1', callSid: jane.callSid, status: 'completed', duration: 12 });
    twilio.resetLog();
    await invoke(callStatus, { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed' });
    expect(twilio.messages).toHaveLength(0);
  });

  it('an empty recording (status absent: hung up at the beep) is no voicemail: the call is reported missed', async () => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.recordings.set('RE2', { sid: 'RE2', callSid: jane.callSid, status: 'absent', duration: 0 });
    twilio.resetLog();
    await invoke(callStatus, { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed' });
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: +16175550101. Call back +16175550101'), withCallBack('Missed call: +16175550101. Call back +16175550101')]);
  });

  it('a voicemail already texted to the team is not also reported missed when Twilio cannot list the recordings', async () => {
    const jane = await arrive(twilio, '+16175550101');
    // /voicemail-saved claimed and sent the notice; /voicemail-done's outcome claim was lost to a fault.
    twilio.setSyncItem(MAPS.outcomes, `${jane.callSid}-voicemail-notice`, { sent: true });
    twilio.faults = (r) => (r.path.endsWith('/Recordings.json') ? { status: 503 } : undefined);
    twilio.resetLog();
    await invoke(callStatus, { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed' });
    expect(twilio.messages).toHaveLength(0);
    twilio.faults = undefined;
  });

  it('ignores progress events and calls that already have an outcome', async () => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.resetLog();
    await invoke(callStatus, { CallSid: jane.callSid, From: jane.from, CallStatus: 'in-progress' });
    twilio.setSyncItem(MAPS.outcomes, jane.callSid, { outcome: 'connected', member: 'Ann' });
    await invoke(callStatus, { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed' });
    expect(twilio.messages).toHaveLength(0);
  });
});

describe('/queue-result (the Enqueue action)', () => {
  it('hangup while waiting: every member gets one "missed call" text with how long they waited and the number to call', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE', FromCity: 'BOSTON', FromState: 'MA' });
    twilio.resetLog();
    const params = { CallSid: jane.callSid, From: jane.from, QueueResult: 'hangup', QueueTime: '80' };
    const { twiml } = await invoke(queueResult, params);
    expect(verbNames(twiml)).toEqual([]);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
    expect(twilio.messages[0]?.body).toEqual(withCallBack('Missed call: JANE, BOSTON MA, waited 1m20s. Call back +16175550101'));
    expect(twilio.syncItems(MAPS.outcomes)?.get(jane.callSid)?.data).toMatchObject({ outcome: 'missed' });

    twilio.resetLog();
    await invoke(queueResult, params); // Twilio retries a callback: no second text
    expect(twilio.messages).toHaveLength(0);
  });

  it('leave after a callback request, with Sync failing the first reads: still the confirmation, never the voicemail prompt', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    await invoke(holdKey, { CallSid: jane.callSid, From: jane.from, QueueTime: '35', Digits: '2' });
    let failures = 3;
    twilio.faults = (r) => (r.method === 'GET' && r.host === 'sync.twilio.com' && failures-- > 0 ? { status: 503 } : undefined);
    const left = await invoke(queueResult, { CallSid: jane.callSid, From: jane.from, QueueResult: 'leave', QueueTime: '36' });
    twilio.faults = undefined;
    expect(verbNames(left.twiml)).toEqual(['Say', 'Hangup']);
    expect(spoken(left.twiml)).toMatch(/call you back/);
  });

  it('leave (key 1 or the maximum wait): to voicemail', async () => {
    const { twiml } = await invoke(queueResult, { CallSid: newCallSid(), QueueResult: 'leave', QueueTime: '120' });
    expect(verbNames(twiml)).toEqual(['Redirect']);
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
  });

  it('redirected: a member pulled the caller; the answer sends them where the pull did, should Twilio run it (V1)', async () => {
    const callSid = newCallSid();
    const bridge = url(`/bridge?member=${encodeURIComponent(ANN.number)}`);
    twilio.setSyncItem(MAPS.outcomes, `${callSid}-pull`, { member: 'Ann', memberNumber: ANN.number, action: 'accept', url: bridge });
    const { twiml } = await invoke(queueResult, { CallSid: callSid, QueueResult: 'redirected' });
    expect(verbNames(twiml)).toEqual(['Redirect']);
    expect(find(twiml, 'Redirect').text).toBe(bridge);
    expect(twilio.messages).toHaveLength(0);
  });

  it('redirected with no pull on record: voicemail, never silence', async () => {
    const { twiml } = await invoke(queueResult, { CallSid: newCallSid(), QueueResult: 'redirected' });
    expect(verbNames(twiml)).toEqual(['Redirect']);
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
  });

  it.each([['bridged'], ['bridging-in-process'], ['redirected-from-bridged']])(
    '%s: a <Dial><Queue> bridge owns the call; nothing is said or sent', async (result) => {
      const { twiml } = await invoke(queueResult, { CallSid: newCallSid(), QueueResult: result });
      expect(verbNames(twiml)).toEqual([]);
      expect(twilio.messages).toHaveLength(0);
    },
  );

  it.each([['queue-full'], ['error'], ['system-error'], ['something-new'], [undefined]])(
    '%s: the caller hears an apology and goes to voicemail, never dropped', async (result) => {
      const { twiml } = await invoke(queueResult, { CallSid: newCallSid(), ...(result === undefined ? {} : { QueueResult: result }) });
      expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
      expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
    },
  );

  it('a missed call is still reported when the caller details are gone (by number)', async () => {
    const callSid = newCallSid();
    await invoke(queueResult, { CallSid: callSid, From: '+16175550177', QueueResult: 'hangup', QueueTime: '5' });
    expect(twilio.messages).toHaveLength(2);
    expect(twilio.messages[0]?.body).toEqual(withCallBack('Missed call: +16175550177, waited 5s. Call back +16175550177'));
  });
});

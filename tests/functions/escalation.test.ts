/** Ring-all escalation step by step against the REST stand-in: /wait-music, /ring-team, /ring-answer, /ring-join, /ring-wait. */
import { handler as waitMusic } from '../../functions/wait-music.protected';
import { handler as ringTeam } from '../../functions/ring-team.protected';
import { handler as ringAnswer } from '../../functions/ring-answer.protected';
import { handler as ringJoin } from '../../functions/ring-join.protected';
import { handler as ringWait } from '../../functions/ring-wait.protected';
import { handler as ringStatus } from '../../functions/ring-status.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as callStatus } from '../../functions/call-status.protected';
import { MAPS } from '../../src/store';
import { sequentialRounds, TwilioStandIn } from '../../sim/standin';
import { arrive, Arrival, sms } from '../support/calls';
import { ANN, BOB, CARA, ENV, invoke, newCallSid, startTwilio, TWILIO_NUMBER, url } from '../support/harness';
import { find, findAll, spoken, verbNames } from '../support/twiml';

const ON = { ...ENV, RING_TEAM_AFTER_SECONDS: '60' };
const TEAM3 = { ...ON, TEAM_MEMBERS: `${ANN.name}:${ANN.number},${BOB.name}:${BOB.number},${CARA.name}:${CARA.number}` };

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => { twilio.reset(); });

const queueSid = (): string => [...twilio.queues.values()][0]?.sid ?? '';
const waitParams = (caller: Arrival, queueTime: number): Record<string, string> => ({
  CallSid: caller.callSid, From: caller.from, QueueTime: String(queueTime), QueuePosition: '1', QueueSid: queueSid(), CurrentQueueSize: '1',
});
/** The request /wait-music redirects to, as Twilio would send it (no queue parameters: the URL carries them). */
async function ringTeamFor(caller: Arrival, queueTime: number, env = ON) {
  return invoke(ringTeam, { CallSid: caller.callSid, From: caller.from, waited: String(queueTime), queue: queueSid() }, env);
}
const ringParams = (caller: Arrival, member: { number: string }, callSid: string, digits?: string): Record<string, string> => ({
  caller: caller.callSid, member: member.number, queue: queueSid(), CallSid: callSid, From: TWILIO_NUMBER, To: member.number, CallStatus: 'in-progress',
  ...(digits === undefined ? {} : { Digits: digits }),
});

describe('/wait-music with RING_TEAM_AFTER_SECONDS', () => {
  it('from the first loop at or after the setting it redirects to /ring-team, still without a REST request', async () => {
    const caller = await arrive(twilio, '+16175550101', {}, ON);
    twilio.resetLog();
    const before = await invoke(waitMusic, waitParams(caller, 59), ON);
    expect(verbNames(before.twiml)).toEqual(['Gather']);
    const at = await invoke(waitMusic, waitParams(caller, 60), ON);
    expect(verbNames(at.twiml)).toEqual(['Redirect']);
    const target = new URL(find(at.twiml, 'Redirect').text);
    expect(`${target.origin}${target.pathname}`).toBe(url('/ring-team'));
    expect(Object.fromEntries(target.searchParams)).toEqual({ waited: '60', queue: queueSid() });
    // The maximum wait still wins, and without the setting nothing changes.
    expect(verbNames((await invoke(waitMusic, waitParams(caller, 120), ON)).twiml)).toEqual(['Say', 'Leave']);
    expect(verbNames((await invoke(waitMusic, waitParams(caller, 90), ENV)).twiml)).toEqual(['Gather']);
    expect(twilio.requests).toHaveLength(0);
  });
});

describe('/ring-team', () => {
  it('rings every member who has not paused, once per caller, from the team number; the caller keeps hearing the hold loop', async () => {
    await invoke(smsReply, sms(CARA.number, 'OFF'), TEAM3);
    // An earlier caller's escalation has made the Sync maps, as on any account after its first day.
    await ringTeamFor(await arrive(twilio, '+16175550100', {}, TEAM3), 61, TEAM3);
    const caller = await arrive(twilio, '+16175550101', {}, TEAM3);
    twilio.resetLog();
    // A latency at which parallel requests overlap, so rounds can be counted.
    twilio.latencyMs = 150;
    const first = await ringTeamFor(caller, 62, TEAM3);
    twilio.latencyMs = 0;
    expect(verbNames(first.twiml)).toEqual(['Gather']);
    expect(spoken(first.twiml)).toMatch(/Press 1 at any time/);
    expect(twilio.createdCalls.map((c) => c.to).sort()).toEqual([ANN.number, BOB.number]);
    expect(twilio.createdCalls.map((c) => c.to)).not.toContain(CARA.number);
    for (const call of twilio.createdCalls) {
      expect(call.from).toBe(TWILIO_NUMBER);
      expect(call.timeout).toBe(20);
      const answer = new URL(call.url);
      expect(answer.pathname).toBe('/ring-answer');
      expect(Object.fromEntries(answer.searchParams)).toEqual({ caller: caller.callSid, member: call.to, queue: queueSid() });
    }
    // Four sequential rounds at most (claim, calls, their SIDs, a last look at the pull), whatever the team size.
    expect(sequentialRounds(twilio.requests)).toBeLessThanOrEqual(4);

    twilio.resetLog();
    const again = await ringTeamFor(caller, 110, TEAM3);
    expect(verbNames(again.twiml)).toEqual(['Gather']);
    expect(twilio.createdCalls).toHaveLength(0);
  });

  it('a caller already pulled by SMS is not escalated', async () => {
    const caller = await arrive(twilio, '+16175550101', {}, ON);
    await invoke(smsReply, sms(ANN.number, `Y ${caller.reference}`), ON);
    twilio.resetLog();
    await ringTeamFor(caller, 65);
    expect(twilio.createdCalls).toHaveLength(0);
  });

  it('at the maximum wait it sends the caller out of the queue as /wait-music does', async () => {
    const caller = await arrive(twilio, '+16175550101', {}, ON);
    const { twiml } = await ringTeamFor(caller, 125);
    expect(verbNames(twiml)).toEqual(['Say', 'Leave']);
  });
});

describe('/ring-answer and /ring-join', () => {
  async function escalated(): Promise<{ caller: Arrival; annCall: string; bobCall: string }> {
    const caller = await arrive(twilio, '+16175550101', { CallerName: 'JANE' }, ON);
    await ringTeamFor(caller, 61);
    const sid = (number: string): string => twilio.createdCalls.find((c) => c.to === number)?.sid ?? '';
    return { caller, annCall: sid(ANN.number), bobCall: sid(BOB.number) };
  }

  it('the member hears who is waiting and is asked for 1', async () => {
    const { caller, annCall } = await escalated();
    const { twiml } = await invoke(ringAnswer, ringParams(caller, ANN, annCall), ON);
    expect(verbNames(twiml)).toEqual(['Gather', 'Say', 'Hangup']);
    expect(find(twiml, 'Gather').attrs).toMatchObject({ numDigits: '1', timeout: '8' });
    expect(spoken(twiml)).toContain(`Pull Phone: JANE is still waiting, reference ${caller.reference.split('').join(' ')}. Press 1 to be connected at once.`);
  });

  it('1: the caller is dequeued to /ring-join, the other phone stops, the team is told, the member joins the caller\'s conference; the next 1 hears who took it', async () => {
    const { caller, annCall, bobCall } = await escalated();
    twilio.resetLog();
    twilio.latencyMs = 150;
    const { twiml } = await invoke(ringAnswer, ringParams(caller, ANN, annCall, '1'), ON);
    twilio.latencyMs = 0;
    // Straight into the room: nothing said on the way in, where a hang-up would leave the caller alone.
    expect(verbNames(twiml)).toEqual(['Dial']);
    const room = find(twiml, 'Conference');
    expect(room.text).toBe(`pull-${caller.callSid}`);
    expect(room.attrs).toMatchObject({ startConferenceOnEnter: 'true', endConferenceOnExit: 'true', beep: 'false' });
    const dequeue = twilio.requests.find((r) => r.method === 'POST' && r.path.includes('/Members/'));
    // The member's own call rides along, so the caller's side can tell whether the member is still on the line.
    expect(dequeue?.params.Url).toBe(`${url('/ring-join')}?member=%2B15551230001&ring=${annCall}`);
    expect(twilio.callUpdates.map((u) => [u.sid, u.status])).toEqual([[bobCall, 'completed']]);
    expect(twilio.messages.map((m) => [m.to, m.body])).toEqual([[BOB.number, `Ann took the call from JANE (${caller.reference}).`]]);
    expect(sequentialRounds(twilio.requests)).toBeLessThanOrEqual(3);

    // The caller's side joins the same room, and only then is the call settled as connected: hanging up after
    // talking is no missed call.
    expect(twilio.syncItems(MAPS.outcomes)?.get(caller.callSid)).toBeUndefined();
    const joined = await invoke(ringJoin, { CallSid: caller.callSid, From: caller.from, member: ANN.number, ring: annCall }, ON);
    expect(verbNames(joined.twiml)).toEqual(['Dial']);
    expect(find(joined.twiml, 'Conference').text).toBe(`pull-${caller.callSid}`);
    // The caller waits for the member rather than start the room: the wait document checks on the member.
    expect(find(joined.twiml, 'Conference').attrs).toMatchObject({
      startConferenceOnEnter: 'false', endConferenceOnExit: 'true', beep: 'false', waitMethod: 'POST',
      waitUrl: `${url('/ring-wait')}?caller=${caller.callSid}&ring=${annCall}&member=%2B15551230001`,
    });
    expect(twilio.syncItems(MAPS.outcomes)?.get(caller.callSid)?.data).toMatchObject({ outcome: 'connected', member: 'Ann' });
    twilio.resetLog();
    await invoke(callStatus, { CallSid: caller.callSid, From: caller.from, CallStatus: 'completed' }, ON);
    expect(twilio.messages).toEqual([]);

    // Bob pressed 1 a moment later; an SMS pull after that is too late too.
    twilio.resetLog();
    const late = await invoke(ringAnswer, ringParams(caller, BOB, bobCall, '1'), ON);
    expect(verbNames(late.twiml)).toEqual(['Say', 'Hangup']);
    expect(spoken(late.twiml)).toBe('Thank you. Ann has already taken this caller. Goodbye.');
    const reply = await invoke(smsReply, sms(BOB.number, `Y ${caller.reference}`), ON);
    expect(findAll(reply.twiml, 'Message')[0]?.text).toMatch(/^Too late: Ann took JANE/);
    expect(twilio.requests.filter((r) => r.method === 'POST' && r.path.includes('/Members/'))).toEqual([]);
  });

  it('an SMS pull that wins stops the ringing phones; a member answering after that hears who took the caller', async () => {
    const { caller, annCall, bobCall } = await escalated();
    twilio.resetLog();
    const reply = await invoke(smsReply, sms(BOB.number, `Y ${caller.reference}`), ON);
    expect(findAll(reply.twiml, 'Message')[0]?.text).toMatch(/^Calling you now for JANE/);
    expect(twilio.callUpdates.map((u) => u.sid).sort()).toEqual([annCall, bobCall].sort());
    const answered = await invoke(ringAnswer, ringParams(caller, ANN, annCall), ON);
    expect(spoken(answered.twiml)).toBe('Thank you. Bob has already taken this caller. Goodbye.');
  });

  it('a key other than 1, or a request naming no member, hangs up and leaves the caller waiting', async () => {
    const { caller, annCall } = await escalated();
    twilio.resetLog();
    const other = await invoke(ringAnswer, ringParams(caller, ANN, annCall, '5'), ON);
    expect(spoken(other.twiml)).toBe('OK, the caller stays in the queue. Goodbye.');
    const stranger = await invoke(ringAnswer, { ...ringParams(caller, ANN, annCall, '1'), member: '+19995550000' }, ON);
    expect(verbNames(stranger.twiml)).toEqual(['Say', 'Hangup']);
    expect(twilio.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(twilio.queues.get(queueSid())?.members.map((m) => m.callSid)).toEqual([caller.callSid]);
  });

  it('/ring-join without a CallSid apologises and sends the caller to voicemail', async () => {
    const { twiml } = await invoke(ringJoin, { CallSid: newCallSid().slice(0, 10) }, ON);
    expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
  });
});

describe('/ring-wait: the caller is in the room, waiting for the member who pressed 1', () => {
  async function taken(): Promise<{ caller: Arrival; annCall: string; waitUrl: URL }> {
    const caller = await arrive(twilio, '+16175550101', { CallerName: 'JANE' }, ON);
    await ringTeamFor(caller, 61);
    const annCall = twilio.createdCalls.find((c) => c.to === ANN.number)?.sid ?? '';
    twilio.callStatus.set(annCall, 'in-progress');
    twilio.callStatus.set(caller.callSid, 'in-progress');
    await invoke(ringAnswer, ringParams(caller, ANN, annCall, '1'), ON);
    const joined = await invoke(ringJoin, { CallSid: caller.callSid, From: caller.from, member: ANN.number, ring: annCall }, ON);
    return { caller, annCall, waitUrl: new URL(find(joined.twiml, 'Conference').attrs.waitUrl ?? '') };
  }
  const waitRequest = (waitUrl: URL, caller: Arrival, extra: Record<string, string> = {}): Record<string, string> => ({
    ...Object.fromEntries(waitUrl.searchParams), CallSid: caller.callSid, From: caller.from, CallStatus: 'in-progress', ...extra,
  });

  it('the member still on the line: the caller waits 5 s more in silence and the document asks for itself again; nothing moves', async () => {
    const { caller, annCall, waitUrl } = await taken();
    twilio.resetLog();
    const { twiml } = await invoke(ringWait, waitRequest(waitUrl, caller), ON);
    // A conference wait document may hold only Say, Play, Pause and Redirect (error 13238).
    expect(verbNames(twiml)).toEqual(['Pause', 'Redirect']);
    expect(find(twiml, 'Pause').attrs.length).toBe('5');
    const again = new URL(find(twiml, 'Redirect').text);
    expect(Object.fromEntries(again.searchParams)).toEqual({ caller: caller.callSid, ring: annCall, member: ANN.number, waited: '5' });
    expect(twilio.requests.map((r) => `${r.method} ${r.path.replace(/CA\w+/, 'CA…')}`)).toEqual([expect.stringMatching(/^GET .*\/Calls\/CA….json$/)]);
    expect(twilio.callUpdates).toEqual([]);
  });

  it('the member hung up before coming in: the caller is moved back to /ring-join, told, and sent to voicemail; "connected" is undone', async () => {
    const { caller, annCall, waitUrl } = await taken();
    expect(twilio.syncItems(MAPS.outcomes)?.get(caller.callSid)?.data).toMatchObject({ outcome: 'connected' });
    twilio.callStatus.set(annCall, 'completed');
    twilio.resetLog();
    await invoke(ringWait, waitRequest(waitUrl, caller), ON);
    // Ann's ring call's status callback sees the same room at the same moment: the caller is moved once, not twice
    // (a second move would pull them out of the voicemail the first one started).
    twilio.conferenceRooms = () => [{ sid: `CF${'1'.repeat(32)}`, friendlyName: `pull-${caller.callSid}`, status: 'init' }];
    await invoke(ringStatus, { caller: caller.callSid, CallSid: annCall, CallStatus: 'completed', From: TWILIO_NUMBER, To: ANN.number }, ON);
    expect(twilio.callUpdates.map((u) => [u.sid, u.url, u.method])).toEqual([
      [caller.callSid, `${url('/ring-join')}?member=%2B15551230001&ring=${annCall}&left=1`, 'POST'],
    ]);
    const back = await invoke(ringJoin, { CallSid: caller.callSid, From: caller.from, member: ANN.number, ring: annCall, left: '1' }, ON);
    expect(verbNames(back.twiml)).toEqual(['Say', 'Redirect']);
    expect(spoken(back.twiml)).toBe('Sorry, the team member who took your call could not stay on the line.');
    expect(find(back.twiml, 'Redirect').text).toBe(url('/voicemail'));
    expect(twilio.syncItems(MAPS.outcomes)?.get(caller.callSid)).toBeUndefined();
    // So a caller who hangs up now is reported missed, like any caller nobody talked to.
    twilio.resetLog();
    await invoke(callStatus, { CallSid: caller.callSid, From: caller.from, CallStatus: 'completed' }, ON);
    expect(twilio.messages.map((m) => m.body)).toEqual([expect.stringMatching(/^Missed call: JANE/), expect.stringMatching(/^Missed call: JANE/)]);
  });

  it('a caller who arrives after the member hung up goes to voicemail at once, never into the room', async () => {
    const caller = await arrive(twilio, '+16175550101', {}, ON);
    await ringTeamFor(caller, 61);
    const annCall = twilio.createdCalls.find((c) => c.to === ANN.number)?.sid ?? '';
    twilio.callStatus.set(annCall, 'completed');
    const { twiml } = await invoke(ringJoin, { CallSid: caller.callSid, From: caller.from, member: ANN.number, ring: annCall }, ON);
    expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
    expect(twilio.syncItems(MAPS.outcomes)?.get(caller.callSid)).toBeUndefined();
  });

  it('the member on the line but not in the room after 45 s: the caller goes to voicemail all the same', async () => {
    const { caller, waitUrl } = await taken();
    twilio.resetLog();
    await invoke(ringWait, waitRequest(waitUrl, caller, { waited: '45' }), ON);
    expect(twilio.callUpdates.map((u) => u.sid)).toEqual([caller.callSid]);
  });
});

describe('/ring-status: a ring call ends', () => {
  async function taken(): Promise<{ caller: Arrival; annCall: string; bobCall: string }> {
    const caller = await arrive(twilio, '+16175550101', { CallerName: 'JANE' }, ON);
    await ringTeamFor(caller, 61);
    const sid = (number: string): string => twilio.createdCalls.find((c) => c.to === number)?.sid ?? '';
    twilio.callStatus.set(caller.callSid, 'in-progress');
    await invoke(ringAnswer, ringParams(caller, ANN, sid(ANN.number), '1'), ON);
    return { caller, annCall: sid(ANN.number), bobCall: sid(BOB.number) };
  }
  const room = (caller: Arrival, status: 'init' | 'in-progress' | 'completed') => () => [{ sid: `CF${'1'.repeat(32)}`, friendlyName: `pull-${caller.callSid}`, status }];
  const ended = (caller: Arrival, callSid: string, member: { number: string }) => ({
    caller: caller.callSid, CallSid: callSid, CallStatus: 'completed', From: TWILIO_NUMBER, To: member.number, CallDuration: '9',
  });

  it('every ring call asks for it when it ends (completed only, the default event)', async () => {
    const caller = await arrive(twilio, '+16175550101', {}, ON);
    await ringTeamFor(caller, 61);
    for (const created of twilio.createdCalls) {
      expect([created.statusCallback, created.statusCallbackMethod, created.statusCallbackEvents]).toEqual([`${url('/ring-status')}?caller=${caller.callSid}`, 'POST', ['completed']]);
    }
  });

  it('the taker\'s call ends while the caller waits in a room that never started: the caller is moved back to /ring-join, to voicemail', async () => {
    const { caller, annCall } = await taken();
    twilio.conferenceRooms = room(caller, 'init');
    twilio.resetLog();
    await invoke(ringStatus, ended(caller, annCall, ANN), ON);
    expect(twilio.callUpdates.map((u) => [u.sid, u.url])).toEqual([[caller.callSid, `${url('/ring-join')}?member=%2B15551230001&ring=${annCall}&left=1`]]);
    // One round: the pull claim and the room, read in parallel.
    expect(twilio.requests.filter((r) => r.method === 'GET').map((r) => r.path.replace(/.*\/(Conferences\.json|Items\/.*)$/, '$1'))).toEqual(expect.arrayContaining(['Conferences.json']));
  });

  it('nothing moves when the room started (the two talked), or when a call other than the taker\'s ends', async () => {
    const { caller, annCall, bobCall } = await taken();
    twilio.conferenceRooms = room(caller, 'completed');
    twilio.resetLog();
    await invoke(ringStatus, ended(caller, annCall, ANN), ON);
    twilio.conferenceRooms = room(caller, 'init');
    await invoke(ringStatus, ended(caller, bobCall, BOB), ON);
    await invoke(ringStatus, { ...ended(caller, annCall, ANN), CallStatus: 'in-progress' }, ON);
    expect(twilio.callUpdates).toEqual([]);
  });
});

/** From a member's pull to a conversation: /bridge, /screen and /bridge-result. */
import { handler as bridge } from '../../functions/bridge.protected';
import { handler as screen } from '../../functions/screen.protected';
import { handler as bridgeResult } from '../../functions/bridge-result.protected';
import { MAPS } from '../../src/store';
import { TwilioStandIn } from '../../sim/standin';
import { arrive } from '../support/calls';
import { ANN, BOB, invoke, newCallSid, startTwilio, TWILIO_NUMBER, url } from '../support/harness';
import { find, spoken, verbNames, withCallBack } from '../support/twiml';

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => { twilio.resetLog(); });

describe('/bridge', () => {
  it('rings the member, showing the caller\'s own number, and screens the answer before connecting', async () => {
    const callSid = newCallSid();
    const { twiml } = await invoke(bridge, { CallSid: callSid, From: '+16175550101', To: TWILIO_NUMBER, member: ANN.number });
    expect(verbNames(twiml)).toEqual(['Say', 'Dial']);
    const dial = find(twiml, 'Dial');
    expect(dial.attrs).toMatchObject({ callerId: '+16175550101', timeout: '20', action: `${url('/bridge-result')}?member=%2B15551230001` });
    const number = find(dial, 'Number');
    expect(number.text).toBe(ANN.number);
    expect(number.attrs.url).toBe(`${url('/screen')}?caller=${callSid}&member=%2B15551230001`);
  });

  it('a withheld caller is shown as the team\'s Twilio number', async () => {
    const { twiml } = await invoke(bridge, { CallSid: newCallSid(), From: 'anonymous', member: ANN.number });
    expect(find(twiml, 'Dial').attrs.callerId).toBe(TWILIO_NUMBER);
  });

  it('never dials a number that is not a configured member: the caller goes to voicemail instead', async () => {
    const { twiml } = await invoke(bridge, { CallSid: newCallSid(), From: '+16175550101', member: '+19005550000' });
    expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
  });
});

describe('/screen (on the member\'s phone)', () => {
  it('says who is calling and asks for 1; silence (a mobile\'s own voicemail) hangs up instead of connecting', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE', FromCity: 'BOSTON', FromState: 'MA' });
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: jane.callSid, member: ANN.number });
    expect(verbNames(twiml)).toEqual(['Gather', 'Hangup']);
    expect(find(twiml, 'Gather').attrs.action).toBe(`${url('/screen')}?caller=${jane.callSid}&member=%2B15551230001`);
    expect(spoken(twiml)).toContain('call from JANE from BOSTON MA');
  });

  it('1 connects (an empty response lets Twilio bridge) and settles the call as connected by that member', async () => {
    const jane = await arrive(twilio, '+16175550101');
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: jane.callSid, member: ANN.number, Digits: '1' });
    expect(verbNames(twiml)).toEqual([]);
    expect(twilio.syncItems(MAPS.outcomes)?.get(jane.callSid)?.data).toMatchObject({ outcome: 'connected', member: 'Ann' });
  });

  it('1 after the caller already had an outcome (hung up): the member is told and nothing connects', async () => {
    const callSid = newCallSid();
    twilio.setSyncItem(MAPS.outcomes, callSid, { outcome: 'missed' });
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: callSid, member: ANN.number, Digits: '1' });
    expect(verbNames(twiml)).toEqual(['Say', 'Hangup']);
    expect(spoken(twiml)).toMatch(/already hung up/);
  });

  it('1 for a caller who asked for a callback while being pulled: they are still on the line, so connect', async () => {
    const callSid = newCallSid();
    twilio.setSyncItem(MAPS.outcomes, callSid, { outcome: 'callback' });
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: callSid, member: ANN.number, Digits: '1' });
    expect(verbNames(twiml)).toEqual([]);
  });

  it('1 for a caller another member already took: told so, and nothing connects', async () => {
    const callSid = newCallSid();
    twilio.setSyncItem(MAPS.outcomes, callSid, { outcome: 'connected', member: 'Bob' });
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: callSid, member: ANN.number, Digits: '1' });
    expect(spoken(twiml)).toMatch(/another member already took this call/);
    expect(verbNames(twiml)).toEqual(['Say', 'Hangup']);
  });

  it('1 while Sync is down: the member is told, and the caller goes to voicemail (via the Dial action)', async () => {
    twilio.faults = (r) => (r.host === 'sync.twilio.com' ? { status: 503 } : undefined);
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: newCallSid(), member: ANN.number, Digits: '1' });
    twilio.faults = undefined;
    expect(verbNames(twiml)).toEqual(['Say', 'Hangup']);
    expect(spoken(twiml)).toMatch(/cannot be connected right now/);
  });

  it('another key declines: hang up, the caller will go to voicemail', async () => {
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: newCallSid(), member: ANN.number, Digits: '9' });
    expect(verbNames(twiml)).toEqual(['Say', 'Hangup']);
  });
});

describe('/bridge-result (the Dial action, on the caller\'s call)', () => {
  it('bridged: the conversation is over, hang up; nobody is texted', async () => {
    const { twiml } = await invoke(bridgeResult, { CallSid: newCallSid(), DialCallStatus: 'completed', DialBridged: 'true', member: ANN.number });
    expect(verbNames(twiml)).toEqual(['Hangup']);
    expect(twilio.messages).toHaveLength(0);
  });

  it.each([
    ['no-answer', 'false', 'no answer'], ['busy', 'false', 'busy'], ['completed', 'false', 'did not accept'], ['failed', 'false', 'call failed'],
  ])('%s (bridged=%s): the team is told and the caller goes to voicemail', async (status, bridged, reason) => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const { twiml } = await invoke(bridgeResult, { CallSid: jane.callSid, From: jane.from, DialCallStatus: status, DialBridged: bridged, member: ANN.number });
    expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
    expect(twilio.messages[0]?.body).toBe(`Ann did not connect (${reason}) with JANE (${jane.reference}); the caller is sent to voicemail.`);
  });

  it('the caller hung up while the member\'s phone rang: one missed-call text, not a "sent to voicemail" one', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const params = { CallSid: jane.callSid, From: jane.from, CallStatus: 'completed', DialCallStatus: 'canceled', DialBridged: 'false', member: ANN.number };
    await invoke(bridgeResult, params);
    await invoke(bridgeResult, params);
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: JANE. Call back +16175550101'), withCallBack('Missed call: JANE. Call back +16175550101')]);
  });

  it('without DialBridged (older accounts) the connected claim made at screening decides', async () => {
    const callSid = newCallSid();
    twilio.setSyncItem(MAPS.outcomes, callSid, { outcome: 'connected', member: 'Ann' });
    const connected = await invoke(bridgeResult, { CallSid: callSid, DialCallStatus: 'completed', member: ANN.number });
    expect(verbNames(connected.twiml)).toEqual(['Hangup']);
    const screenedOut = await invoke(bridgeResult, { CallSid: newCallSid(), DialCallStatus: 'completed', member: ANN.number });
    expect(verbNames(screenedOut.twiml)).toEqual(['Say', 'Redirect']);
  });
});

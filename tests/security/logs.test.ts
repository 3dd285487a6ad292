/**
 * Twilio keeps Functions' logs in the Console for anyone with access to the account, and they are
 * often pasted into tickets: they must never hold the Auth Token (or the Account SID), nor a caller's
 * or a member's full number. The last four digits are allowed: enough to tell members apart.
 * Every main flow runs here with console output captured, including failures and broken configuration.
 */
import { handler as bridge } from '../../functions/bridge.protected';
import { handler as bridgeResult } from '../../functions/bridge-result.protected';
import { handler as holdKey } from '../../functions/hold-key.protected';
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { handler as queueResult } from '../../functions/queue-result.protected';
import { handler as screen } from '../../functions/screen.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as voicemailDone } from '../../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../../functions/voicemail-saved.protected';
import { TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ACCOUNT_SID, AUTH_TOKEN, ENV, invoke, newCallSid, startTwilio } from '../support/harness';

const DEE = '+16175550111';
const EVE = '+16175550122';
const CALLER = '+14155550188';
const STRANGER = '+19005550177';
const TEAM: Record<string, string> = { ...ENV, TEAM_MEMBERS: `Dee:${DEE},Eve:${EVE}` };
const RECORDING = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${'7'.repeat(32)}`;
const BAD_TOKEN = 'Sup3r-Secret-Token-Value';
const WRONG_TOKEN = 'b'.repeat(32);

let twilio: TwilioStandIn;
let lines: string[];
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => {
  lines = [];
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); });
  }
  twilio.faults = undefined;
  twilio.optedOut.clear();
  for (const queue of twilio.queues.values()) queue.members = [];
});
afterEach(() => { jest.restoreAllMocks(); });

/** Every form a full number could take in a log line. */
function forms(e164: string): string[] {
  const national = e164.slice(2);
  return [e164, e164.slice(1), national, `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`, `${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`];
}

function expectClean(): void {
  const text = lines.join('\n');
  expect(text).not.toBe('');
  for (const secret of [AUTH_TOKEN, BAD_TOKEN, WRONG_TOKEN, ACCOUNT_SID]) expect(text).not.toContain(secret);
  for (const number of [DEE, EVE, CALLER, STRANGER]) {
    for (const form of forms(number)) expect({ form, found: text.includes(form) }).toEqual({ form, found: false });
  }
}

describe('logs hold no secret and no full number', () => {
  it('incoming call: a member who opted out (21610) and a failing name lookup are logged by last four digits', async () => {
    twilio.optedOut.add(EVE);
    twilio.faults = (r) => (r.host === 'lookups.twilio.com' ? { status: 500 } : undefined);
    await invoke(incomingCall, { CallSid: newCallSid(), From: CALLER, To: ENV.TWILIO_PHONE_NUMBER, FromCity: 'OAKLAND' }, { ...TEAM, CALLER_NAME_LOOKUP: 'true' });
    expect(lines.join('\n')).toMatch(/text to …0122 about caller \d{4} failed \(HTTP 400 code 21610: /);
    expect(lines.join('\n')).toMatch(/…0188/);
    expectClean();
  });

  it('SMS replies: accept, voicemail, status, unknown, pause, resume, too late, and a customer who texts and opts out', async () => {
    const jane = await arrive(twilio, CALLER, { CallerName: 'JANE' }, TEAM);
    const ken = await arrive(twilio, '+14155550199', {}, TEAM);
    for (const [from, body] of [[DEE, 'STATUS'], [DEE, `Y ${jane.reference}`], [EVE, `Y ${jane.reference}`], [EVE, `N ${ken.reference}`],
      [DEE, 'huh'], [EVE, 'OFF'], [EVE, 'ON'], [STRANGER, 'Y'], [STRANGER, 'STOP']] as const) {
      await invoke(smsReply, sms(from, body), TEAM);
    }
    expect(lines.join('\n')).toMatch(/customer text T\d{4} forwarded to 2 member\(s\)/);
    expect(lines.join('\n')).toMatch(/customer …0177 opted out; the team is told/);
    expectClean();
  });

  it('hang-up in the queue, a callback request, and a voicemail with a transcription quoting the caller\'s number', async () => {
    const a = await arrive(twilio, CALLER, {}, TEAM);
    await invoke(queueResult, { CallSid: a.callSid, From: CALLER, QueueResult: 'hangup', QueueTime: '40' }, TEAM);
    const b = await arrive(twilio, CALLER, {}, TEAM);
    await invoke(holdKey, { CallSid: b.callSid, From: CALLER, Digits: '2', QueueTime: '20' }, TEAM);
    const c = await arrive(twilio, CALLER, {}, TEAM);
    await invoke(voicemailDone, { CallSid: c.callSid, From: CALLER, RecordingUrl: RECORDING, RecordingDuration: '30' }, TEAM);
    await invoke(voicemailSaved, { CallSid: c.callSid, From: CALLER, RecordingUrl: RECORDING, TranscriptionStatus: 'completed', TranscriptionText: `Call me at ${CALLER}` }, TEAM);
    const d = await arrive(twilio, CALLER, {}, TEAM);
    await invoke(voicemailDone, { CallSid: d.callSid, From: CALLER, Digits: 'hangup' }, TEAM);
    expect(lines.join('\n')).toMatch(/\[pull-phone queue-result\] caller \d{4}: missed; 2 of 2 members texted$/m);
    expectClean();
  });

  it('bridge failures: the member did not connect, and a forged member parameter', async () => {
    const jane = await arrive(twilio, CALLER, {}, TEAM);
    await invoke(bridge, { CallSid: jane.callSid, From: CALLER, member: STRANGER }, TEAM);
    await invoke(screen, { CallSid: newCallSid(), caller: jane.callSid, member: DEE }, TEAM);
    await invoke(bridgeResult, { CallSid: jane.callSid, From: CALLER, member: DEE, DialCallStatus: 'no-answer', DialBridged: 'false' }, TEAM);
    expect(lines.join('\n')).toMatch(/not connected \(no answer\)/);
    expectClean();
  });

  it('broken configuration: a malformed Auth Token and Account SID, and a malformed member entry, are named, never quoted', async () => {
    await invoke(incomingCall, { CallSid: newCallSid(), From: CALLER }, { ...TEAM, AUTH_TOKEN: BAD_TOKEN });
    await invoke(smsReply, sms(DEE, 'Y'), { ...TEAM, ACCOUNT_SID: `${ACCOUNT_SID}x` });
    await invoke(incomingCall, { CallSid: newCallSid(), From: CALLER }, { ...TEAM, TEAM_MEMBERS: `Dee:${DEE.slice(2)},Eve:${EVE}` });
    const text = lines.join('\n');
    expect(text).toMatch(/configuration: AUTH_TOKEN must be/);
    expect(text).toMatch(/configuration: ACCOUNT_SID must be/);
    expect(text).toMatch(/configuration: TEAM_MEMBERS entry 1 \(.*\) is not/);
    expectClean();
  });

  it('Twilio refusing the credentials, or failing outright', async () => {
    await invoke(incomingCall, { CallSid: newCallSid(), From: CALLER }, { ...TEAM, AUTH_TOKEN: WRONG_TOKEN });
    await arrive(twilio, CALLER, {}, TEAM);
    twilio.faults = () => ({ status: 500 });
    await invoke(smsReply, sms(DEE, 'Y'), TEAM);
    await invoke(queueResult, { CallSid: newCallSid(), From: CALLER, QueueResult: 'hangup' }, TEAM);
    // A step answers with its fallback as soon as one request fails; the others finish (and log) a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = lines.join('\n');
    expect(text).toMatch(/HTTP 401 code 20003/);
    expect(text).toMatch(/HTTP 500/);
    expectClean();
  });
});

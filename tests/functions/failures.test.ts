/**
 * Logs that explain (issue 13, item 5): every failed REST call is logged with its cause (Twilio's code and
 * message, or the network error), the step and the caller's reference; counts are true; a member hears
 * "did not answer in time" only for a time-out. The errors here are real ones from twilio's own HTTP client:
 * refused connections to a closed loopback port, and time-outs against the stand-in.
 */
import { createServer } from 'node:net';
import twilio from 'twilio';
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as voicemailSaved } from '../../functions/voicemail-saved.protected';
import { callReference } from '../../src/reference';
import { describeFailure, failureKind } from '../../src/twilio-api';
import { routeTwilioTo } from '../../sim/twilio-loopback.cjs';
import { TwilioStandIn } from '../../sim/standin';
import { sms } from '../support/calls';
import { ACCOUNT_SID, ANN, AUTH_TOKEN, BOB, ENV, invoke, newCallSid, startTwilio } from '../support/harness';
import { findAll } from '../support/twiml';

let standIn: TwilioStandIn;
let lines: string[];
/** A loopback port nothing listens on: connecting to it fails at once with ECONNREFUSED. */
let closedUrl: string;

beforeAll(async () => {
  standIn = await startTwilio();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  closedUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => { await standIn.stop(); });
beforeEach(() => {
  lines = [];
  for (const method of ['log', 'error'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); });
  }
  standIn.faults = undefined;
  standIn.resetLog();
});
afterEach(() => {
  jest.restoreAllMocks();
  routeTwilioTo(standIn.url);
});

describe('with the network down', () => {
  beforeEach(() => { routeTwilioTo(closedUrl); });

  it('the new-call log line gives the true count and the cause, and each failed text names the caller', async () => {
    const callSid = newCallSid();
    await invoke(incomingCall, { CallSid: callSid, From: '+16175550123' });
    const reference = callReference(callSid);
    const host = closedUrl.replace('http://', '');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`\\[pull-phone incoming-call\\] caller ${reference} .* queued; 0 of 2 members texted: ECONNREFUSED ${host.replace(/\./g, '\\.')}$`)));
    expect(lines.filter((l) => l.includes(`about caller ${reference} failed (ECONNREFUSED ${host})`))).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/\(Error\)/);
  });

  it('a member\'s command is answered in plain words, not "did not answer in time"', async () => {
    const { twiml } = await invoke(smsReply, sms(ANN.number, 'STATUS'));
    const reply = findAll(twiml, 'Message').map((m) => m.text).join(' ');
    expect(reply).toMatch(/could not reach Twilio/);
    expect(reply).not.toMatch(/in time/);
    expect(lines).toContainEqual(expect.stringMatching(/\[pull-phone sms-reply\] failed \(ECONNREFUSED 127\.0\.0\.1:\d+\)/));
  });
});

it('a Twilio refusal is logged with its code and message, numbers masked, and counted', async () => {
  standIn.optedOut.add(BOB.number);
  const callSid = newCallSid();
  await invoke(incomingCall, { CallSid: callSid, From: '+16175550123' });
  const failed = lines.find((l) => l.includes('text to …0002'));
  expect(failed).toMatch(/about caller \d{4} failed \(HTTP 400 code 21610: .+\)/);
  expect(failed).not.toContain(BOB.number);
  expect(lines).toContainEqual(expect.stringMatching(/queued; 1 of 2 members texted: HTTP 400 code 21610/));
  standIn.optedOut.clear();
});

it('a real time-out (the twilio client, 50 ms) is called a time-out; refusals and network errors are not (above)', async () => {
  standIn.faults = () => ({ status: 200, delayMs: 400 });
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { timeout: 50 });
  const error = await client.messages.create({ to: ANN.number, from: ENV.TWILIO_PHONE_NUMBER ?? '', body: 'x' }).then(() => undefined, (e: unknown) => e);
  expect(failureKind(error)).toBe('time-out');
  expect(describeFailure(error)).toMatch(/^time-out \(E[A-Z]+\)/);
});

it('a step that fails names the caller\'s reference and the cause, never the number', async () => {
  routeTwilioTo(closedUrl);
  const callSid = newCallSid();
  await invoke(voicemailSaved, {
    CallSid: callSid, RecordingStatus: 'completed', RecordingDuration: '12', From: '+16175550123',
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${'7'.repeat(32)}`,
  });
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[pull-phone voicemail-saved\\] failed for caller ${callReference(callSid)} \\(ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\); answering with the safe fallback$`)));
  expect(lines.join('\n')).not.toContain('+16175550123');
});

describe('describeFailure on the shapes twilio-node produces', () => {
  it('DNS failure wrapped by the HTTP client: ENOTFOUND and the host', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.twilio.com'), { code: 'ENOTFOUND', hostname: 'api.twilio.com', syscall: 'getaddrinfo' });
    const wrapped = Object.assign(new Error('getaddrinfo ENOTFOUND api.twilio.com'), { name: 'AxiosError', code: 'ENOTFOUND', cause: dns });
    expect(describeFailure(wrapped)).toBe('ENOTFOUND api.twilio.com');
    expect(failureKind(wrapped)).toBe('network');
  });

  it('a Twilio error whose message quotes a number: masked', () => {
    const rest = Object.assign(new Error("The 'To' number +15551230001 is not a valid phone number."), { status: 400, code: 21211 });
    expect(describeFailure(rest)).toBe("HTTP 400 code 21211: The 'To' number …0001 is not a valid phone number.");
    expect(failureKind(rest)).toBe('twilio');
  });

  it('anything else: its name and message, never "(Error)" alone', () => {
    expect(describeFailure(new TypeError('x is not a function'))).toBe('TypeError: x is not a function');
    expect(failureKind(new TypeError('x'))).toBe('other');
  });
});

/**
 * Whatever a caller or a request controls (CallerName, FromCity, an SMS Body, TranscriptionText,
 * query parameters such as member= and caller=) must stay data: it cannot add TwiML, send the
 * call anywhere but our own functions, dial anyone but a member, or text anyone but the team.
 * Each function is invoked with each payload in each parameter it reads; the invariants are checked
 * on the parsed TwiML, on the stand-in's outgoing messages, and on dequeue URLs.
 */
import type { ServerlessFunctionSignature } from '@twilio-labs/serverless-runtime-types/types';
import { handler as bridge } from '../../functions/bridge.protected';
import { handler as bridgeResult } from '../../functions/bridge-result.protected';
import { handler as holdKey } from '../../functions/hold-key.protected';
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { handler as queueResult } from '../../functions/queue-result.protected';
import { handler as screen } from '../../functions/screen.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as voicemail } from '../../functions/voicemail.protected';
import { handler as voicemailDone } from '../../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../../functions/voicemail-saved.protected';
import { handler as waitMusic } from '../../functions/wait-music.protected';
import { TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, BOB, DOMAIN, ENV, invoke, newCallSid, startTwilio, TWILIO_NUMBER } from '../support/harness';
import { find, findAll, parseTwiml, Verb, verbNames } from '../support/twiml';

const STRANGER = '+19005550000';
const EVIL = 'https://evil.example/x';
const MEMBERS = new Set([ANN.number, BOB.number]);
const CALLER = '+16175550101';
const RECORDING = `https://api.twilio.com/2010-04-01/Accounts/${ENV.ACCOUNT_SID ?? ''}/Recordings/RE${'7'.repeat(32)}`;

/** Each breaks one invariant if it ever escapes into markup or routing. */
const PAYLOADS = [
  `</Say><Dial>${STRANGER}</Dial><Say>`,
  `"/><Redirect>${EVIL}</Redirect><Say x="`,
  `]]></Message><Message to="${STRANGER}">hi</Message><![CDATA[`,
  `Y 1234</Body></Message><Message to="${STRANGER}"><Body>x`,
  STRANGER,
  EVIL,
  `${ANN.number}&member=${STRANGER}`,
  '\u0000\u001b\u202e<Hangup/>&amp;&#60;',
];

let twilio: TwilioStandIn;
let dequeues: string[];
beforeAll(async () => {
  twilio = await startTwilio();
  twilio.onDequeue = (_callSid, to) => { dequeues.push(to); };
});
afterAll(async () => { await twilio.stop(); });
afterEach(() => { jest.restoreAllMocks(); });
beforeEach(() => {
  // Rejected requests are logged by design; the log contents are tests/security/logs.test.ts's subject.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  dequeues = [];
  twilio.resetLog();
  for (const queue of twilio.queues.values()) queue.members = [];
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own event type; the harness passes plain parameters
type AnyHandler = ServerlessFunctionSignature<any, any>;
interface Case {
  name: string;
  handler: AnyHandler;
  /** A realistic request (with a caller waiting when the function needs one). */
  base: () => Promise<Record<string, string>>;
  /** Parameters a caller or a forged request controls. */
  params: string[];
}

const waiting = async (extra: Record<string, string> = {}): Promise<{ callSid: string; reference: string }> => arrive(twilio, CALLER, { CallerName: 'JANE', ...extra });

const CASES: Case[] = [
  { name: 'incoming-call', handler: incomingCall, params: ['From', 'CallerName', 'FromCity', 'FromState', 'FromCountry', 'To'],
    base: () => Promise.resolve({ CallSid: newCallSid(), From: CALLER, To: TWILIO_NUMBER, CallerName: 'JANE', FromCity: 'BOSTON', FromState: 'MA', FromCountry: 'US' }) },
  { name: 'sms-reply', handler: smsReply, params: ['Body', 'To', 'NumMedia'],
    base: async () => sms(ANN.number, `Y ${(await waiting()).reference}`) },
  { name: 'wait-music', handler: waitMusic, params: ['QueueTime', 'QueuePosition', 'returning', 'From'],
    base: () => Promise.resolve({ CallSid: newCallSid(), From: CALLER, QueueTime: '45', QueuePosition: '2' }) },
  { name: 'hold-key', handler: holdKey, params: ['Digits', 'From', 'QueueTime'],
    base: async () => ({ CallSid: (await waiting()).callSid, From: CALLER, Digits: '2', QueueTime: '30' }) },
  { name: 'queue-result', handler: queueResult, params: ['QueueResult', 'From', 'QueueTime'],
    base: async () => ({ CallSid: (await waiting()).callSid, From: CALLER, QueueResult: 'hangup', QueueTime: '30' }) },
  { name: 'bridge', handler: bridge, params: ['member', 'From', 'CallSid'],
    base: async () => ({ CallSid: (await waiting()).callSid, From: CALLER, member: ANN.number }) },
  { name: 'screen', handler: screen, params: ['caller', 'member', 'Digits'],
    base: async () => ({ CallSid: newCallSid(), caller: (await waiting()).callSid, member: ANN.number }) },
  { name: 'bridge-result', handler: bridgeResult, params: ['member', 'From', 'DialCallStatus', 'DialBridged'],
    base: async () => ({ CallSid: (await waiting()).callSid, From: CALLER, member: ANN.number, DialCallStatus: 'no-answer', DialBridged: 'false' }) },
  { name: 'voicemail', handler: voicemail, params: ['From', 'CallSid'],
    base: () => Promise.resolve({ CallSid: newCallSid(), From: CALLER }) },
  { name: 'voicemail-done', handler: voicemailDone, params: ['From', 'RecordingUrl', 'RecordingDuration', 'Digits'],
    base: async () => ({ CallSid: (await waiting()).callSid, From: CALLER, RecordingUrl: RECORDING, RecordingDuration: '0', Digits: 'hangup' }) },
  { name: 'voicemail-saved', handler: voicemailSaved, params: ['TranscriptionText', 'RecordingUrl', 'TranscriptionStatus', 'From'],
    base: async () => ({ CallSid: (await waiting()).callSid, From: CALLER, RecordingUrl: RECORDING, TranscriptionStatus: 'completed', TranscriptionText: 'Please call me back.' }) },
];

function allVerbs(verb: Verb): Verb[] {
  return [verb, ...verb.children.flatMap(allVerbs)];
}

const URL_ATTRIBUTES = ['action', 'url', 'waitUrl', 'recordingStatusCallback', 'transcribeCallback', 'statusCallback'];

/** Everything a response can do with a destination, in one list of violations (empty when safe). */
function violations(twiml: Verb, messagesBefore: number, dequeuesBefore: number): string[] {
  const found: string[] = [];
  const ours = (u: string): boolean => u.startsWith(`https://${DOMAIN}/`);
  for (const verb of allVerbs(twiml)) {
    for (const [name, value] of Object.entries(verb.attrs)) {
      if (URL_ATTRIBUTES.includes(name) && !ours(value)) found.push(`<${verb.name} ${name}="${value}">`);
      if (value.includes('evil.example')) found.push(`<${verb.name} ${name}> names evil.example`);
    }
  }
  for (const verb of [...findAll(twiml, 'Redirect'), ...findAll(twiml, 'Play')]) {
    if (!ours(verb.text)) found.push(`<${verb.name}>${verb.text}`);
  }
  for (const number of findAll(twiml, 'Number')) if (!MEMBERS.has(number.text)) found.push(`dials ${number.text}`);
  for (const dial of findAll(twiml, 'Dial')) {
    if (dial.text.trim() !== '') found.push(`dials ${dial.text}`);
    if (verbNames(dial).some((n) => n !== 'Number')) found.push(`<Dial> holds ${verbNames(dial).join(',')}`);
  }
  for (const message of findAll(twiml, 'Message')) {
    const to = message.attrs.to;
    if (to !== undefined && !MEMBERS.has(to)) found.push(`<Message to="${to}">`);
    if (message.children.length > 0) found.push('<Message> holds markup');
  }
  for (const m of twilio.messages.slice(messagesBefore)) if (!MEMBERS.has(m.to)) found.push(`texted ${m.to}`);
  for (const u of dequeues.slice(dequeuesBefore)) if (!ours(u)) found.push(`dequeued to ${u}`);
  return found;
}

it('the rules catch each kind of escape (so a pass means something)', () => {
  const escaped = parseTwiml([
    '<Response><Say>x</Say>',
    `<Dial>${STRANGER}</Dial><Dial><Number>${STRANGER}</Number></Dial>`,
    `<Redirect>${EVIL}</Redirect><Gather action="${EVIL}"/>`,
    `<Message to="${STRANGER}">hi</Message><Message><Body>x</Body></Message>`,
    '</Response>',
  ].join(''));
  expect(violations(escaped, twilio.messages.length, dequeues.length)).toEqual([
    `<Gather action="${EVIL}">`, '<Gather action> names evil.example',
    `<Redirect>${EVIL}`, `dials ${STRANGER}`, `dials ${STRANGER}`, `<Message to="${STRANGER}">`, '<Message> holds markup',
  ]);
});

describe.each(CASES)('/$name: caller-controlled text stays data', ({ handler, base, params }) => {
  it('the normal request is safe by these rules (so the rules are not vacuous)', async () => {
    const before = twilio.messages.length;
    const { twiml } = await invoke(handler, await base());
    expect(violations(twiml, before, 0)).toEqual([]);
  });

  it.each(params)('every payload in %s: no new destination, no markup', async (param) => {
    for (const payload of PAYLOADS) {
      const request = await base();
      const before = { messages: twilio.messages.length, dequeues: dequeues.length };
      for (const value of [payload, [payload, ANN.number]]) {
        const { twiml } = await invoke(handler, { ...request, [param]: value });
        expect({ payload, value, problems: violations(twiml, before.messages, before.dequeues) }).toEqual({ payload, value, problems: [] });
      }
    }
  });
});

describe('a forged caller name reaches members and the screen as text only', () => {
  const NAME = `</Say><Dial>${STRANGER}</Dial><Redirect>${EVIL}</Redirect>`;

  it('the team text and the queue are unchanged in shape, and only members are texted', async () => {
    const before = twilio.messages.length;
    const { twiml } = await invoke(incomingCall, { CallSid: newCallSid(), From: CALLER, To: TWILIO_NUMBER, CallerName: NAME, FromCity: NAME });
    expect(verbNames(twiml)).toEqual(['Enqueue']);
    expect(find(twiml, 'Enqueue').text).toBe(ENV.QUEUE_NAME);
    expect(twilio.messages.slice(before).map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
  });

  it('the member hears it spoken, and the screen still only gathers a key and hangs up', async () => {
    const jane = await arrive(twilio, CALLER, { CallerName: NAME });
    const { twiml } = await invoke(screen, { CallSid: newCallSid(), caller: jane.callSid, member: ANN.number });
    expect(verbNames(twiml)).toEqual(['Gather', 'Hangup']);
    expect(verbNames(find(twiml, 'Gather'))).toEqual(['Say']);
    expect(find(twiml, 'Say').text).toContain('</Say><Dial>');
  });

  it('the "who took it" texts go to the other members only, as plain text', async () => {
    const jane = await arrive(twilio, CALLER, { CallerName: NAME });
    const { twiml } = await invoke(smsReply, sms(ANN.number, `Y ${jane.reference}`));
    const messages = findAll(twiml, 'Message');
    expect(messages.map((m) => m.attrs.to)).toEqual([undefined, BOB.number]);
    for (const m of messages) expect(m.children).toEqual([]);
    expect(dequeues).toEqual([`https://${DOMAIN}/bridge?member=%2B15551230001`]);
  });
});

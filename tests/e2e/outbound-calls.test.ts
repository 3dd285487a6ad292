// The simulator plays calls the functions create over REST (POST Calls.json): against a scripted stand-in for our
// functions, it rings the callee's simulated phone as its script says, runs the Url's TwiML once answered, dials
// onward showing the caller ID the <Dial> asks for, and posts the progress callbacks StatusCallbackEvent asks for.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { VirtualClock } from '../../sim/clock';
import { CalledPhone, MemberPhone } from '../../sim/phones';
import { TwilioStandIn } from '../../sim/standin';
import { routeTwilioTo } from '../../sim/twilio-loopback.cjs';
import { Simulator } from '../../sim/voice';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'f'.repeat(32);
const NUMBER = '+15550100000';
const ANN = '+15551230001';
const JANE = '+16175550101';

type Route = (params: Record<string, string>, origin: string) => string;

let server: Server;
let origin: string;
let routes: Record<string, Route>;
let received: { path: string; params: Record<string, string>; signed: boolean }[];
let standIn: TwilioStandIn;
let clock: VirtualClock;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      received.push({ path: url.pathname, params, signed: twilio.validateRequest(AUTH_TOKEN, signature, `${origin}${req.url ?? ''}`, params) });
      const route = routes[url.pathname];
      res.writeHead(route === undefined ? 404 : 200, { 'Content-Type': 'text/xml' });
      res.end(route === undefined ? 'not found' : `<?xml version="1.0" encoding="UTF-8"?><Response>${route(params, origin)}</Response>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn = new TwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, now: () => clock.now(), wiredNumber: { phoneNumber: NUMBER, voiceUrl: `${origin}/incoming-call` } });
  routeTwilioTo(await standIn.start());
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  await standIn.stop();
});
beforeEach(() => {
  received = [];
  routes = {
    '/status': () => '',
    // What a callback's first step does: say who, ask for 1, dial the customer from the team number.
    '/answer': (_p, o) => `<Gather numDigits="1" timeout="6" action="${o}/pressed"><Say>Call back Jane. Press 1.</Say></Gather><Say>Goodbye.</Say><Hangup/>`,
    '/pressed': (p, o) => (p.Digits === '1' ? `<Dial callerId="${NUMBER}" timeout="20" action="${o}/dialed"><Number>${JANE}</Number></Dial>` : '<Hangup/>'),
    '/dialed': () => '<Hangup/>',
  };
  standIn.reset();
});

function world(): { sim: Simulator; ann: MemberPhone; jane: CalledPhone } {
  clock = new VirtualClock(0);
  const sim = new Simulator({ functionsUrl: origin, clock, twilio: standIn, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, twilioNumber: NUMBER });
  return { sim, ann: sim.addPhone(new MemberPhone('Ann', ANN)), jane: sim.addPhone(new CalledPhone('Jane', JANE)) };
}

const client = (): ReturnType<typeof twilio> => twilio(ACCOUNT_SID, AUTH_TOKEN);

async function callAnn(sim: Simulator, extra: { timeout?: number; statusCallbackEvent?: string[] } = {}): Promise<string> {
  const created = await sim.clock.track(() => client().calls.create({
    to: ANN, from: NUMBER, url: `${origin}/answer`, statusCallback: `${origin}/status`,
    statusCallbackEvent: extra.statusCallbackEvent ?? ['initiated', 'ringing', 'answered', 'completed'],
    ...(extra.timeout === undefined ? {} : { timeout: extra.timeout }),
  }));
  return created.sid;
}

const statuses = (): string[] => received.filter((r) => r.path === '/status').map((r) => `${r.params.SequenceNumber ?? '?'}:${r.params.CallStatus ?? '?'}`);

it('rings the member, runs the Url once answered, and the customer sees the team number when dialed', async () => {
  const { sim, ann, jane } = world();
  ann.answers({ afterSeconds: 4, press: '1', pressAfterSeconds: 2 });
  jane.picksUp(5, 20);
  const sid = await callAnn(sim);
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(standIn.createdCalls.map((c) => [c.to, c.from, c.statusCallbackEvents])).toEqual([[ANN, NUMBER, ['initiated', 'ringing', 'answered', 'completed']]]);
  const [out] = sim.outbound;
  expect(out?.status).toBe('completed');
  expect(ann.legs.map((l) => [l.callerId, l.answered, l.pressed])).toEqual([[NUMBER, true, ['1']]]);
  expect(ann.legs[0]?.heard[0]).toBe('Call back Jane. Press 1.');
  // The customer's phone rang showing the team number, and they talked.
  expect(jane.legs.map((l) => [l.callerId, l.answered, l.bridged])).toEqual([[NUMBER, true, true]]);
  expect(out?.dials).toEqual([{ member: 'Jane', status: 'completed', bridged: true, talkSeconds: 20 }]);
  const answer = received.find((r) => r.path === '/answer');
  expect(answer?.signed).toBe(true);
  expect(answer?.params).toEqual(expect.objectContaining({ CallSid: sid, From: NUMBER, To: ANN, Direction: 'outbound-api', CallStatus: 'in-progress' }));
  expect(received.find((r) => r.path === '/dialed')?.params).toEqual(expect.objectContaining({ DialCallStatus: 'completed', CallSid: sid }));
  // Progress callbacks in order, each with its sequence number; the last carries the call's length from the answer.
  expect(statuses()).toEqual(['0:initiated', '1:ringing', '2:in-progress', '3:completed']);
  const completed = received.filter((r) => r.path === '/status').at(-1);
  expect(Number(completed?.params.CallDuration)).toBeGreaterThanOrEqual(2 + 5 + 20);
  expect(standIn.callStatus.get(sid)).toBe('completed');
});

it.each([
  ['does not answer', (ann: MemberPhone) => ann.doesNotAnswer(), 'no-answer', 15],
  ['is busy', (ann: MemberPhone) => ann.isBusy(), 'busy', 3],
] as const)('reports a member who %s on the completed callback, and never requests the Url', async (_what, script, status, seconds) => {
  const { sim, ann } = world();
  script(ann);
  await callAnn(sim, { timeout: 15 });
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(received.some((r) => r.path === '/answer')).toBe(false);
  expect(statuses()).toEqual(['0:initiated', '1:ringing', `2:${status}`]);
  expect(sim.outbound[0]?.status).toBe(status);
  expect(((sim.outbound[0]?.call.endedAt ?? 0) - (sim.outbound[0]?.call.startedAt ?? 0)) / 1000).toBe(seconds);
  expect(ann.legs.map((l) => l.answered)).toEqual([false]);
});

it("plays on when a phone's own voicemail picks up: no key, the Gather times out, the document goes on", async () => {
  const { sim, ann, jane } = world();
  ann.answersWithoutPressing(6);
  await callAnn(sim, { statusCallbackEvent: [] });
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(ann.legs[0]?.heard).toEqual(['Call back Jane. Press 1.', 'Goodbye.']);
  expect(received.some((r) => r.path === '/pressed')).toBe(false);
  expect(jane.legs).toEqual([]);
  // No StatusCallbackEvent: only `completed` is sent (Calls create docs).
  expect(statuses()).toEqual(['0:completed']);
});

it('tells the Dial action a customer who does not answer, after the Dial timeout and its five-second buffer', async () => {
  const { sim, ann, jane } = world();
  ann.answers({ afterSeconds: 2, press: '1', pressAfterSeconds: 1 });
  jane.doesNotAnswer();
  await callAnn(sim);
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(jane.legs.map((l) => [l.callerId, l.answered])).toEqual([[NUMBER, false]]);
  expect(received.find((r) => r.path === '/dialed')?.params.DialCallStatus).toBe('no-answer');
  expect(sim.outbound[0]?.dials).toEqual([{ member: 'Jane', status: 'no-answer', bridged: false, talkSeconds: 0 }]);
});

it('ends the call when the member hangs up while the customer rings, and the Dial action learns it', async () => {
  const { sim, ann, jane } = world();
  ann.whenRinging(() => ({ kind: 'answer', afterSeconds: 2, press: '1', pressAfterSeconds: 1, hangUpAfterSeconds: 10, talkSeconds: 0 }));
  jane.doesNotAnswer();
  await callAnn(sim);
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(sim.outbound[0]?.call.endedBy).toBe('caller');
  expect(received.find((r) => r.path === '/dialed')?.params).toEqual(expect.objectContaining({ DialCallStatus: 'canceled', CallStatus: 'completed' }));
  expect(statuses().at(-1)).toMatch(/:completed$/);
});

it('refuses what Twilio refuses: a From that is not the account\'s (21210), a To that is not a number (21211); a number no phone has fails', async () => {
  const { sim } = world();
  await expect(client().calls.create({ to: ANN, from: '+15559990000', url: `${origin}/answer` })).rejects.toMatchObject({ code: 21210 });
  await expect(client().calls.create({ to: 'Ann', from: NUMBER, url: `${origin}/answer` })).rejects.toMatchObject({ code: 21211 });
  expect(standIn.createdCalls).toEqual([]);
  await sim.clock.track(() => client().calls.create({ to: '+15557770000', from: NUMBER, url: `${origin}/answer`, statusCallback: `${origin}/status` }));
  await sim.run();
  expect(sim.violations).toEqual([]);
  expect(sim.outbound.map((c) => c.status)).toEqual(['failed']);
  expect(statuses()).toEqual(['0:failed']);
});

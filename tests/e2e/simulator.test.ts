// The simulator checks itself: against a scripted stand-in for our functions, its webhooks are signed as
// Twilio signs them, it times audio from the WAV header, and it flags each answer Twilio would fail.
// Without this, a simulator that accepted anything would make every end-to-end test pass.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { VirtualClock } from '../../sim/clock';
import { TwilioStandIn } from '../../sim/standin';
import { Simulator } from '../../sim/voice';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'f'.repeat(32);
const NUMBER = '+15550100000';

type Route = (params: Record<string, string>, origin: string) => { status?: number; type?: string; body: string | Buffer; delayMs?: number };

let server: Server;
let origin: string;
let routes: Record<string, Route>;
let received: { path: string; params: Record<string, string>; signed: boolean }[];

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
      const answer = route === undefined ? { status: 404, body: 'not found' } : route(params, origin);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'Content-Type': answer.type ?? 'text/xml' });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
});
beforeEach(() => {
  received = [];
  routes = {};
});

function simulator(webhookTimeoutMs = 15_000): Simulator {
  const clock = new VirtualClock(0);
  const standIn = new TwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, now: () => clock.now() });
  return new Simulator({ functionsUrl: origin, clock, twilio: standIn, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, twilioNumber: NUMBER, webhookTimeoutMs });
}

/** A WAV file of `seconds` of 8 kHz 8-bit mono silence. */
function wav(seconds: number): Buffer {
  const data = Buffer.alloc(8000 * seconds, 0xff);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const twiml = (inner: string): { body: string } => ({ body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>` });

it('signs every webhook as Twilio does and sends the usual call parameters', async () => {
  routes['/incoming-call'] = (_p, o) => twiml(`<Say>Hello</Say><Redirect method="POST">${o}/next?step=2</Redirect>`);
  routes['/next'] = () => twiml('<Hangup/>');
  const sim = simulator();
  const call = sim.call({ from: '+16175550101', city: 'Boston', state: 'MA', country: 'US', callerName: 'JANE' });
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(received.map((r) => [r.path, r.signed])).toEqual([['/incoming-call', true], ['/next', true]]);
  expect(received[0]?.params).toEqual(expect.objectContaining({
    CallSid: call.callSid, AccountSid: ACCOUNT_SID, From: '+16175550101', To: NUMBER, CallStatus: 'ringing', Direction: 'inbound',
    FromCity: 'Boston', FromState: 'MA', FromCountry: 'US', CallerName: 'JANE',
  }));
  expect(call.heard()).toEqual(['Hello']);
  expect(call.endedBy).toBe('app');
});

it('plays audio for as long as its WAV header says, in virtual time', async () => {
  routes['/incoming-call'] = (_p, o) => twiml(`<Play>${o}/tune.wav</Play><Hangup/>`);
  routes['/tune.wav'] = () => ({ type: 'audio/wav', body: wav(3) });
  const sim = simulator();
  const call = sim.call({ from: '+16175550101' });
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(call.heard()).toEqual(['(audio /tune.wav, 3 s)']);
  expect((call.endedAt ?? 0) - (call.startedAt ?? 0)).toBe(3000);
});

it.each([
  ['a verb not allowed in a wait document', (o: string) => twiml(`<Enqueue waitUrl="${o}/wait">q</Enqueue>`), () => twiml('<Dial>+15551230001</Dial>'), /<Dial> is not allowed in a wait document/],
  ['a relative URL', () => twiml('<Enqueue waitUrl="/wait">q</Enqueue>'), () => twiml('<Leave/>'), /relative or empty URL/],
  ['an HTTP 500', () => ({ status: 500, body: 'boom' }), () => twiml(''), /HTTP 500/],
  ['an answer that is not XML', () => ({ type: 'application/json', body: '{}' }), () => twiml(''), /not XML/],
  ['malformed TwiML', () => ({ body: '<Response><Say>oops</Response>' }), () => twiml(''), /not well-formed/],
  ['an answer slower than the webhook timeout', () => ({ ...twiml('<Hangup/>'), delayMs: 400 }), () => twiml(''), /no answer within 200 ms/],
])('flags %s, and the caller hears an application error', async (_what, incoming, wait, problem) => {
  routes['/incoming-call'] = (_p, o) => incoming(o);
  routes['/wait'] = () => wait();
  const sim = simulator(200);
  const call = sim.call({ from: '+16175550101' });
  await sim.run();

  expect(sim.violations.map((v) => v.problem)).toEqual([expect.stringMatching(problem)]);
  expect(call.outcome).toBe('error');
  expect(call.heard().at(-1)).toMatch(/application error/);
});

it('runs the Enqueue action after <Leave/> with QueueResult=leave and follows what it returns', async () => {
  routes['/incoming-call'] = (_p, o) => twiml(`<Enqueue waitUrl="${o}/wait" action="${o}/left">q</Enqueue>`);
  routes['/wait'] = (p) => twiml(Number(p.QueueTime) >= 10 ? '<Leave/>' : '<Pause length="6"/>');
  routes['/left'] = () => twiml('<Say>Bye</Say><Hangup/>');
  const sim = simulator();
  const call = sim.call({ from: '+16175550101' });
  await sim.run();

  expect(sim.violations).toEqual([]);
  expect(received.map((r) => [r.path, r.params.QueueTime ?? '', r.params.QueueResult ?? ''])).toEqual([
    ['/incoming-call', '', ''], ['/wait', '0', ''], ['/wait', '6', ''], ['/wait', '12', ''], ['/left', '12', 'leave'],
  ]);
  expect(call.queue?.result).toBe('leave');
  expect(call.heard().at(-1)).toBe('Bye');
});

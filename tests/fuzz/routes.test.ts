/**
 * Every route fed hundreds of malformed and hostile webhooks from a seeded generator
 * (set PULL_PHONE_FUZZ_SEED to explore other seeds; a failure names its case and input).
 *
 * Whatever arrives, a voice route answers in time with well-formed TwiML whose verbs are
 * those its place in the call allows, never dials, calls or texts anyone but a configured member
 * (a callback's <Dial> reaches only the customer whose Sync claim holds that very attempt, for the
 * member who holds it; a ring-all answer joins only the conference of the caller the member claimed),
 * and never lets injected markup or URLs become TwiML; the SMS route answers strangers with
 * nothing at all and makes no REST request for them; nothing throws into the safe fallback,
 * and no log line carries a full phone number.
 */
import { Prng } from '../../sim/prng';
import { isDeepStrictEqual } from 'node:util';
import { handler as bridgeResult } from '../../functions/bridge-result.protected';
import { handler as bridge } from '../../functions/bridge.protected';
import { handler as holdKey } from '../../functions/hold-key.protected';
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { handler as queueResult } from '../../functions/queue-result.protected';
import { handler as screen } from '../../functions/screen.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as voicemailDone } from '../../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../../functions/voicemail-saved.protected';
import { handler as callStatus } from '../../functions/call-status.protected';
import { handler as voicemail } from '../../functions/voicemail.protected';
import { handler as waitMusic } from '../../functions/wait-music.protected';
import { handler as callbackAnswer } from '../../functions/callback-answer.protected';
import { handler as callbackDial } from '../../functions/callback-dial.protected';
import { handler as callbackResult } from '../../functions/callback-result.protected';
import { handler as callbackStatus } from '../../functions/callback-status.protected';
import { handler as ringTeam } from '../../functions/ring-team.protected';
import { handler as ringAnswer } from '../../functions/ring-answer.protected';
import { handler as ringJoin } from '../../functions/ring-join.protected';
import { handler as ringWait } from '../../functions/ring-wait.protected';
import { handler as ringStatus } from '../../functions/ring-status.protected';
import { CALLBACK_MAP } from '../../src/callback-store';
import { toE164 } from '../../src/phone';
import { conferenceName } from '../../src/ring';
import { contractValidator } from '../../sim/contract';
import { RecordedRequest, segments, TwilioStandIn } from '../../sim/standin';
import { callReference } from '../../src/reference';
import { isSingleSegment } from '../../src/sms-text';
import { messagingResponse, voiceResponse } from '../../src/step';
import { MAPS } from '../../src/store';
import { ACCOUNT_SID, ANN, AUTH_TOKEN, BOB, CARA, DOMAIN, ENV, invoke, startTwilio, TWILIO_NUMBER, url } from '../support/harness';
import { Verb } from '../support/twiml';

const CASES_PER_ROUTE = 240;
const SEED = Number(process.env.PULL_PHONE_FUZZ_SEED ?? 20_260_414);
/** Far under Twilio's 15 s: with the stand-in on loopback every route answers in milliseconds. */
const ANSWER_WITHIN_MS = 3000;

const MEMBERS = [ANN, BOB, CARA];
const MEMBER_NUMBERS = MEMBERS.map((m) => m.number);
const TEAM = { ...ENV, TEAM_MEMBERS: MEMBERS.map((m) => `${m.name}:${m.number}`).join(',') };
const TEAM_WITH_EXTRAS = { ...TEAM, CALLER_NAME_LOOKUP: 'true', TRANSCRIBE_VOICEMAIL: 'true' };
const QUEUE_NAME = 'pull-phone';
const ATTACKER = '+19005550199';

// --- the simulator's seeded generator: the same seed gives the same inputs on every machine ---

class Rng extends Prng {
  /** Uniform in 0..n-1. */
  int(n: number): number { return this.integer(0, n - 1); }
}

function seedOf(name: string): number {
  let h = SEED >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

// --- what hostile input looks like ---

const INJECTION = `</Say><Dial>${ATTACKER}</Dial><Say>`;
const HOSTILE_TEXT: readonly string[] = [
  '', ' ', '\t\r\n', '\u0000', 'a\u0000b', '\uD800', '\uDC00x', 'x\uDBFF', '\uFFFE', '\u001b[31m',
  '\u202Eevil\u202C', 'مرحبا بك', 'שלום', '😀👍🏽👨‍👩‍👧', 'e\u0301\u0302\u0303\u0304\u0305', 'Z̷̢̛͙a̶l̷g̵o̴', '０１２３', '١٢٣٤',
  '<', '>', '&', '&amp;', '&#0;', '&#x1F600;', ']]>', '<![CDATA[<Dial>x</Dial>]]>', '<?xml version="1.0"?>',
  '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>&x;', INJECTION, `"/><Dial>${ATTACKER}</Dial>`,
  "'><Redirect>https://evil.example/x</Redirect>", `<Response><Dial><Number>${ATTACKER}</Number></Dial></Response>`,
  `</Message><Message to="${ATTACKER}">pwned</Message>`, '<Enqueue>other-queue</Enqueue>', '<Record action="https://evil.example"/>',
  'Y 1234\nSTOP', 'STOP', 'Y%201234', 'Y+1234', 'Ｙ １２３４', '%00', '%0d%0aSet-Cookie:x', '${7*7}', '{{7*7}}',
  '__proto__', 'constructor', 'null', 'undefined', 'NaN', 'Infinity', '-0', '1e309', '9'.repeat(400),
  'https://evil.example/voicemail', 'javascript:alert(1)', '//evil.example/x', ATTACKER, '+1 900 555 0199',
];
const WRONG_TYPES: readonly unknown[] = [
  42, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, {}, { value: ANN.number }, { 0: ANN.number, length: 1 },
  [], [[ANN.number]], [[[]]], [null, ANN.number], [{ toString: ANN.number }],
];
/** 100 KB bodies, built once: strings are immutable, so cases share them. */
const HUGE: readonly string[] = [
  'A'.repeat(100_000), INJECTION.repeat(Math.ceil(100_000 / INJECTION.length)), '😀'.repeat(50_000), '\u0000'.repeat(100_000),
  '9'.repeat(100_000), 'Y '.repeat(50_000),
];
const CHARS: readonly string[] = [
  'a', 'Z', '1', '0', ' ', '\n', '\r', '\t', '<', '>', '&', '"', "'", '/', '\\', ';', '%', '+', '#', '*', '=',
  '\u0000', '\u0007', '\u001f', '\u007f', '\u0085', '\u00a0', '\u200b', '\u200f', '\u202e', '\u2028', '\uFEFF', '\uFFFF',
  '\uD800', '\uDFFF', '😀', 'é', 'e\u0301', 'ß', 'ا', 'א', '中', '€', '[', ']', '{', '}', '~', '|', '^',
];

function randomText(rng: Rng): string {
  let s = '';
  for (let n = rng.int(40); n > 0; n -= 1) s += rng.pick(CHARS);
  return s;
}

function hostileText(rng: Rng): string {
  return rng.chance(0.6) ? rng.pick(HOSTILE_TEXT) : randomText(rng);
}

const hex = (rng: Rng, n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');

// --- the calls the routes are asked about: a fixed pool, kept waiting, with records in Sync ---

const POOL = Array.from({ length: 6 }, (_, i) => `CA${'7'.repeat(30)}${String(i).padStart(2, '0')}`);
const POOL_NAMES = ['JANE', 'KEN <Dial>+19005550199</Dial>', 'محمد', 'Zoë 😀', 'A&B "Co"', '\u202eRTL'];
/** The pool's callers' own numbers: the customers a callback dials. */
const CUSTOMERS = POOL.map((_sid, i) => `+1617555010${i}`);

/**
 * One callback attempt under way per pool caller, as CALL left it in Sync (a claim on the customer's number holding the
 * attempt's token) and in the /callback-* URLs Twilio calls (member, to, ref, label, a). Each is a different member's.
 */
const ATTEMPTS = POOL.map((callSid, i) => {
  const member = MEMBERS[i % MEMBERS.length] ?? ANN;
  const reference = String(4100 + i);
  return { callSid, member, to: CUSTOMERS[i] ?? '', ref: reference, label: `${POOL_NAMES[i] ?? ''} (${reference})`, a: `0000000${i}-0000-4000-8000-00000000000${i}` };
});
/**
 * The ring-all calls /ring-team recorded for the pool's odd callers, already escalated (one per member, SIDs no other
 * caller has); the even ones have not been yet.
 */
const RING_CALLS = POOL.map((_sid, i) => (i % 2 === 1 ? MEMBERS.map((m, j) => ({ sid: `CA${'8'.repeat(30)}${i}${j}`, member: m.number })) : []));
/** The queue the pool waits in (the stand-in's first, so the same SID on every run). */
let queueSid = '';

// --- values by what a parameter means; numbers carry whether they are a configured member ---

type Kind = 'callSid' | 'number' | 'customer' | 'attempt' | 'ref' | 'digits' | 'queueResult' | 'dialStatus' | 'bool' | 'int' | 'url' | 'recordingStatus' | 'transcriptionStatus' | 'text' | 'sid' | 'body';

interface Generated {
  value: unknown;
  /** For a phone-number parameter: the member it names, or undefined when it names none. */
  member?: string | undefined;
}

function memberNumber(rng: Rng): Generated {
  const m = rng.pick(MEMBER_NUMBERS);
  const digits = m.slice(1);
  // Twilio sends E.164; these are the same number as a person might type it, which Pull Phone also accepts.
  const forms = [m, ` ${m} `, `+${digits.slice(0, 1)} (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`,
    `+${digits.slice(0, 1)}-${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`, `00${digits}`];
  const value = rng.chance(0.15) ? [rng.pick(forms), strangerNumber(rng).value] : rng.pick(forms);
  return { value, member: m };
}

/** Never a member, however it is dressed up: other numbers, near misses, wrong types, a member hidden second in a list. */
function strangerNumber(rng: Rng): Generated {
  const m = rng.pick(MEMBER_NUMBERS);
  const options: (() => unknown)[] = [
    () => `+1${String(2000000000 + rng.int(7999999999)).slice(0, 10)}`,
    () => ATTACKER,
    () => TWILIO_NUMBER,
    () => `${m}0`,
    () => m.slice(0, -1),
    () => `${m.slice(0, -1)}${(Number(m.slice(-1)) + 5) % 10}`,
    () => m.replace('+1', '+44'),
    () => m.replace('+', ''),
    () => `\u202e${m}`,
    () => `${m.slice(0, 5)}\u0000${m.slice(5)}`,
    () => m.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    () => `sip:${m}@evil.example`,
    () => `client:${m}`,
    () => `whatsapp:${m}`,
    () => 'anonymous',
    () => '+266696687',
    () => '',
    () => [ATTACKER, m],
    () => [`+1${hex(rng, 3).replace(/\D/g, '9')}5550000`, m],
    () => [[m]],
    () => Number(m.slice(1)),
    () => ({ number: m }),
    () => hostileText(rng),
    () => rng.pick(HUGE),
  ];
  return { value: rng.pick(options)(), member: undefined };
}

function valueOf(kind: Kind, rng: Rng): Generated {
  switch (kind) {
    case 'number':
      return rng.chance(0.4) ? memberNumber(rng) : strangerNumber(rng);
    case 'callSid':
      return { value: rng.pick<() => string>([
        () => rng.pick(POOL), () => rng.pick(POOL), () => `CA${hex(rng, 32)}`, () => `CA${hex(rng, 32).toUpperCase()}`,
        () => `CA${hex(rng, 31)}`, () => `CA${hex(rng, 33)}`, () => `QU${hex(rng, 32)}`, () => `CA${'g'.repeat(32)}`,
        () => `${rng.pick(POOL)}\n`, () => ` ${rng.pick(POOL)}`, () => `${rng.pick(POOL)}</Say>`, () => 'CA../../etc/passwd', () => hostileText(rng),
      ])() };
    case 'customer':
      // A callback's `to`: the pool's customers (some another attempt's), members, the team number, attackers.
      return rng.chance(0.4) ? { value: rng.pick(CUSTOMERS) } : strangerNumber(rng);
    case 'attempt':
      return { value: rng.pick<() => string>([
        () => rng.pick(ATTEMPTS).a, () => rng.pick(ATTEMPTS).a, () => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-8${hex(rng, 3)}-${hex(rng, 12)}`,
        () => rng.pick(ATTEMPTS).a.toUpperCase(), () => `${rng.pick(ATTEMPTS).a}0`, () => '-'.repeat(36), () => hostileText(rng),
      ])() };
    case 'ref':
      return { value: rng.pick([rng.pick(ATTEMPTS).ref, '0000', '999', '12345', '4100\n', '', hostileText(rng)]) };
    case 'sid':
      return { value: rng.pick([`QU${hex(rng, 32)}`, `RE${hex(rng, 32)}`, ACCOUNT_SID, `AC${hex(rng, 32)}`, hostileText(rng)]) };
    case 'digits':
      return { value: rng.pick(['1', '1', '2', '2', '0', '3', '9', '*', '#', '11', '12', '21', '1#', '１', '١', ' 1', '1 ', '', 'w', hostileText(rng)]) };
    case 'queueResult':
      return { value: rng.pick(['hangup', 'leave', 'bridged', 'bridging-in-process', 'redirected', 'redirected-from-bridged', 'queue-full',
        'error', 'system-error', 'HANGUP', ' hangup', 'hangup\n', 'leave ', 'Leave', hostileText(rng)]) };
    case 'dialStatus':
      return { value: rng.pick(['completed', 'busy', 'no-answer', 'failed', 'canceled', 'answered', 'in-progress', 'COMPLETED', hostileText(rng)]) };
    case 'bool':
      return { value: rng.pick(['true', 'false', 'True', 'TRUE', '1', '0', 'yes', '', hostileText(rng)]) };
    case 'int':
      return { value: rng.pick(['0', '1', '2', '3', '4', '5', '44', '119', '120', '121', '3600', '-1', '-120', '1.5', '2.5', '1e3', '1e308', '-1e308',
        '5e-324', 'NaN', 'Infinity', '0x10', ' 7 ', '', '9'.repeat(30), hostileText(rng)]) };
    case 'url':
      return { value: rng.pick([
        `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${hex(rng, 32)}`, `http://api.twilio.com/x/RE${hex(rng, 32)}`,
        `https://evil.example/${INJECTION}`, 'javascript:alert(1)', `https://x.example/a\n<Dial>${ATTACKER}</Dial>`, 'https://', '', hostileText(rng),
      ]) };
    case 'recordingStatus':
      return { value: rng.pick(['completed', 'completed', 'in-progress', 'absent', 'failed', 'COMPLETED', hostileText(rng)]) };
    case 'transcriptionStatus':
      return { value: rng.pick(['completed', 'failed', 'in-progress', hostileText(rng)]) };
    case 'body': {
      const ref = callReference(rng.pick(POOL));
      return { value: rng.pick([
        'Y', 'N', 'y', 'n.', `Y ${ref}`, `N${ref}`, `y  ${ref}!`, `TAKE ${ref}`, `VM ${ref}`, 'Y 0000', 'N 99999', 'STATUS', 'list', 'OFF', 'ON',
        'COMMANDS', 'STOP', 'HELP', 'START', `Y ${ref}\nSTOP`, `Y ${ref}${INJECTION}`, `Y ${ref} ${'😀'.repeat(40)}`, 'Y -1', 'Y 1e3',
        '', ' ', hostileText(rng), hostileText(rng),
      ]) };
    }
    case 'text':
      return { value: hostileText(rng) };
  }
}

// --- cases: a realistic webhook, then one to four hostile mutations ---

interface Case {
  index: number;
  params: Record<string, unknown>;
  env: Record<string, string>;
  /** Per phone-number parameter (From, member): the member it names after mutation, undefined when none. */
  names: Record<string, string | undefined>;
  mutations: string[];
}

type AnyHandler = Parameters<typeof invoke>[0];
type Context = 'call' | 'queue' | 'whisper' | 'conference-wait';

interface VoiceRoute {
  name: string;
  handler: AnyHandler;
  keys: Record<string, Kind>;
  base: (rng: Rng) => Record<string, unknown>;
  /** Where the TwiML runs: on a call, inside the queue's wait document, or on a member's leg before it is connected. */
  context: Context;
  /** The top-level verb sequences this route may answer with. */
  shapes: string[][];
  /** Texts the route may send: every notice is one segment. */
  maxSegments: number;
  /** What this route promises beyond the shared rules, given the case and the REST requests it made. */
  promises?: (c: Case, root: Verb, requests: readonly RecordedRequest[]) => string[];
  /** Named attacks on this route, run on every seed before the generated cases. */
  corpus?: Attack[];
  /** Settings this route needs on top of the team's (RING_TEAM_AFTER_SECONDS for the escalation). */
  env?: Record<string, string>;
  /**
   * Whom a <Dial> may reach: a configured member (default; the caller's leg pulled to a member), the customer a
   * callback claim in Sync holds for this very attempt (never a number because the webhook names it), or the
   * conference of one caller's ring-all answer.
   */
  dials?: 'member' | 'callback' | 'conference';
  /** The path the fuzz must reach in some cases, so its promises are not kept only by never getting there. */
  reaches?: { what: string; atLeast: number; when: (root: Verb, requests: readonly RecordedRequest[]) => boolean };
  /** Every case starts from the pool's first state: no pull, ring or callback settled yet (else the first case settles them for all). */
  fresh?: boolean;
}

/** Parameters laid over a realistic webhook; `names` when a phone parameter names a member in a form other than E.164. */
interface Attack {
  params: Record<string, unknown>;
  names?: Record<string, string | undefined>;
}

/** Attacks every voice route gets. */
const COMMON_ATTACKS: Attack[] = [
  { params: { CallSid: undefined, From: undefined, To: undefined } },
  { params: { CallSid: [`CA${'1'.repeat(32)}`, POOL[0]] } },
  { params: { CallSid: `CA${'ab'.repeat(16)}`.toUpperCase() } },
  { params: { From: INJECTION } },
  { params: { From: [ATTACKER, ANN.number] } },
  { params: { From: '9'.repeat(100_000) } },
  { params: { member: ATTACKER, caller: `CA${'2'.repeat(32)}` } },
  { params: { AccountSid: `AC${'f'.repeat(32)}` } },
];

/** Twilio's verbs by where the document runs (TWILIO-NOTES: waitUrl TwiML is Play, Say, Pause, Hangup, Redirect, Leave, Gather). */
const ALLOWED: Record<Context, readonly string[]> = {
  call: ['Say', 'Play', 'Pause', 'Gather', 'Dial', 'Number', 'Conference', 'Enqueue', 'Leave', 'Hangup', 'Redirect', 'Record', 'Reject'],
  queue: ['Say', 'Play', 'Pause', 'Gather', 'Hangup', 'Redirect', 'Leave'],
  whisper: ['Say', 'Play', 'Pause', 'Gather', 'Hangup'],
  // A <Conference waitUrl> document "can only contain Say, Play, Pause, and Redirect" (twilio.com/docs/errors/13238).
  'conference-wait': ['Say', 'Play', 'Pause', 'Redirect'],
};
/** What may nest where in what Pull Phone answers. */
const CHILDREN: Record<string, readonly string[]> = { Response: [], Gather: ['Say', 'Play', 'Pause'], Dial: ['Number', 'Conference'] };

const PHONE_KEYS = new Set(['From', 'member', 'Caller', 'To', 'Called']);

const callParams = (rng: Rng): Record<string, unknown> => ({
  CallSid: rng.pick(POOL), AccountSid: ACCOUNT_SID, From: '+16175550123', To: TWILIO_NUMBER, CallStatus: 'in-progress',
  Direction: 'inbound', ApiVersion: '2010-04-01',
});
const CALL_KEYS: Record<string, Kind> = {
  CallSid: 'callSid', AccountSid: 'sid', From: 'number', To: 'number', CallStatus: 'text', Direction: 'text', Caller: 'number', Called: 'number',
};

const RING_ENV = { RING_TEAM_AFTER_SECONDS: '60' };

/** What Twilio sends the /callback-* URLs: its call to the member's phone, from the team number, with the attempt's query. */
const ATTEMPT_QUERY = ATTEMPTS.map((a) => ({ member: a.member.number, to: a.to, ref: a.ref, label: a.label, a: a.a }));
const ATTEMPT_KEYS: Record<string, Kind> = { ...CALL_KEYS, member: 'number', to: 'customer', ref: 'ref', label: 'text', a: 'attempt' };
function attemptParams(rng: Rng): Record<string, unknown> {
  const query = rng.pick(ATTEMPT_QUERY);
  return { CallSid: `CA${hex(rng, 32)}`, AccountSid: ACCOUNT_SID, From: TWILIO_NUMBER, To: query.member, CallStatus: 'in-progress', Direction: 'outbound-api',
    ApiVersion: '2010-04-01', ...query };
}
/** Attacks on every /callback-* route: an attacker's number, someone else's attempt or reference, injection, lists, 100 KB, nothing. */
const CALLBACK_ATTACKS: Attack[] = [
  { params: { ...ATTEMPT_QUERY[0], to: ATTACKER } },
  { params: { ...ATTEMPT_QUERY[0], a: ATTEMPT_QUERY[1]?.a } },
  { params: { ...ATTEMPT_QUERY[0], a: '01234567-89ab-4def-8123-456789abcdef' } },
  { params: { ...ATTEMPT_QUERY[0], member: ATTACKER } },
  { params: { ...ATTEMPT_QUERY[0], member: [ATTACKER, ANN.number], to: [ATTACKER, CUSTOMERS[0]] } },
  { params: { ...ATTEMPT_QUERY[0], ref: INJECTION, label: INJECTION } },
  { params: { ...ATTEMPT_QUERY[0], label: HUGE[1], a: HUGE[0] } },
  { params: { ...ATTEMPT_QUERY[0], label: ['A', 'B'], ref: ['4101', '4100'] } },
  { params: { ...ATTEMPT_QUERY[0], label: undefined } },
  { params: { member: undefined, to: undefined, ref: undefined, label: undefined, a: undefined } },
];

const VOICE_ROUTES: VoiceRoute[] = [
  {
    name: 'incoming-call', handler: incomingCall, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS, CallerName: 'text', FromCity: 'text', FromState: 'text', FromCountry: 'text' },
    base: (rng) => ({ ...callParams(rng), CallSid: `CA${hex(rng, 32)}`, CallStatus: 'ringing', CallerName: 'JANE DOE', FromCity: 'BOSTON', FromState: 'MA', FromCountry: 'US' }),
    shapes: [['Enqueue'], ['Say', 'Redirect']],
    corpus: [
      { params: { CallerName: INJECTION, FromCity: '<Dial>', FromState: '\u0000', FromCountry: '\uD800' } },
      { params: { CallerName: `\u202e${ATTACKER}`, FromCity: 'e\u0301\u0301\u0301' } },
      { params: { CallerName: HUGE[1], FromCity: HUGE[2] } },
      { params: { From: ['anonymous', ANN.number], CallerName: ['A', 'B'] } },
    ],
  },
  {
    name: 'wait-music', handler: waitMusic, context: 'queue', maxSegments: 1,
    keys: { ...CALL_KEYS, QueueTime: 'int', QueuePosition: 'int', QueueSid: 'sid', CurrentQueueSize: 'int', AvgQueueTime: 'int', MaxQueueSize: 'int', returning: 'text' },
    base: (rng) => ({ ...callParams(rng), QueueTime: String(rng.int(200)), QueuePosition: String(1 + rng.int(5)), QueueSid: `QU${'0'.repeat(32)}`, CurrentQueueSize: '5', AvgQueueTime: '30', MaxQueueSize: '1000' }),
    shapes: [['Gather'], ['Say', 'Leave']],
    corpus: [
      ...['2.5', '999999999999999999999999999999', '-3', 'Infinity', '0x10', ['3', '4'], { n: 3 }].map((position): Attack => ({ params: { QueueTime: '45', QueuePosition: position } })),
      ...['-1', '1e308', 'NaN', '', HUGE[4]].map((time): Attack => ({ params: { QueueTime: time } })),
    ],
    promises: (_c, root, requests) => {
      const problems = requests.length > 0 ? [`${requests.length} REST request(s) from the hold music`] : [];
      // What the caller hears about their place in line is a real place.
      for (const say of walk(root).filter((v) => v.name === 'Say')) {
        const position = /caller (\S+) in line/.exec(say.text)?.[1];
        if (position !== undefined && !/^([2-9]|[1-9]\d{1,3})$/.test(position)) problems.push(`says ${JSON.stringify(say.text)}`);
      }
      return problems;
    },
  },
  {
    name: 'hold-key', handler: holdKey, context: 'queue', maxSegments: 1,
    keys: { ...CALL_KEYS, Digits: 'digits', QueueTime: 'int', FinishedOnKey: 'digits', msg: 'text' },
    base: (rng) => ({ ...callParams(rng), Digits: rng.pick(['1', '2', '3']), QueueTime: '35' }),
    shapes: [['Say', 'Leave'], ['Leave'], ['Say'], []],
    corpus: [
      ...['1#', '１', ['2', '1'], {}, '', INJECTION, HUGE[4]].map((digits): Attack => ({ params: { Digits: digits } })),
      { params: { Digits: '2', CallSid: `CA${'3'.repeat(32)}`, From: INJECTION, QueueTime: '1e308' } },
    ],
  },
  {
    name: 'queue-result', handler: queueResult, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS, QueueResult: 'queueResult', QueueTime: 'int', QueueSid: 'sid' },
    base: (rng) => ({ ...callParams(rng), QueueResult: rng.pick(['hangup', 'leave', 'bridged']), QueueTime: '80', QueueSid: `QU${'0'.repeat(32)}` }),
    shapes: [[], ['Redirect'], ['Say', 'Redirect'], ['Say', 'Hangup']],
    corpus: [INJECTION, ['hangup', 'leave'], ['leave', 'hangup'], 'HANGUP', '', HUGE[1], `hangup ${ATTACKER}`].map((result) => ({ params: { QueueResult: result } })),
  },
  {
    name: 'bridge', handler: bridge, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS, member: 'number', QueueSid: 'sid', QueueTime: 'int' },
    base: (rng) => ({ ...callParams(rng), member: rng.pick(MEMBER_NUMBERS) }),
    shapes: [['Say', 'Dial'], ['Say', 'Redirect']],
    corpus: [
      { params: { member: ATTACKER } },
      { params: { member: [ATTACKER, ANN.number] } },
      { params: { member: `${ANN.number}\u0000` } },
      { params: { member: `${ANN.number}</Number><Number>${ATTACKER}` } },
      { params: { member: ANN.number, CallSid: `CA${'g'.repeat(32)}` } },
      { params: { member: ANN.number, From: INJECTION } },
      { params: { member: '+1 (555) 123-0001' }, names: { member: ANN.number } },
      { params: { member: TWILIO_NUMBER } },
    ],
    promises: (c, root) => {
      const dialled = walk(root).find((v) => v.name === 'Number')?.text;
      const callSid = Array.isArray(c.params.CallSid) ? (c.params.CallSid as unknown[])[0] : c.params.CallSid;
      const validCall = typeof callSid === 'string' && /^CA[0-9a-f]{32}$/.test(callSid);
      // Pulled by a member with a real call: that member is rung. Anything else goes to voicemail.
      const expected = c.names.member !== undefined && validCall ? c.names.member : undefined;
      return dialled === expected ? [] : [`dials ${JSON.stringify(dialled)}, expected ${JSON.stringify(expected)}`];
    },
  },
  {
    name: 'screen', handler: screen, context: 'whisper', maxSegments: 1,
    keys: { ...CALL_KEYS, caller: 'callSid', member: 'number', Digits: 'digits' },
    base: (rng) => ({ ...callParams(rng), CallSid: `CA${hex(rng, 32)}`, caller: rng.pick(POOL), member: rng.pick(MEMBER_NUMBERS), ...(rng.chance(0.5) ? { Digits: rng.pick(['1', '2']) } : {}) }),
    shapes: [['Gather', 'Hangup'], [], ['Say', 'Hangup']],
    corpus: [
      { params: { member: ATTACKER, Digits: '1' } },
      { params: { member: ATTACKER } },
      { params: { member: [ATTACKER, BOB.number], Digits: '1' } },
      { params: { caller: `CA${'4'.repeat(32)}`, Digits: '1' } },
      { params: { caller: [`CA${'5'.repeat(32)}`, POOL[1]], Digits: ['1', '2'] } },
      { params: { Digits: '１' } },
    ],
    promises: (c, root, requests) => {
      if (c.names.member !== undefined) return [];
      // A leg that is not a member's is never connected and learns nothing about the caller.
      const top = root.children.map((v) => v.name).join(',');
      return top === 'Say,Hangup' && requests.length === 0 ? [] : [`a non-member's leg got ${top} after ${requests.length} REST request(s)`];
    },
  },
  {
    name: 'bridge-result', handler: bridgeResult, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS, member: 'number', DialCallStatus: 'dialStatus', DialBridged: 'bool', DialCallSid: 'callSid', DialCallDuration: 'int' },
    base: (rng) => ({ ...callParams(rng), member: rng.pick(MEMBER_NUMBERS), DialCallStatus: rng.pick(['completed', 'no-answer', 'busy']), DialBridged: rng.pick(['true', 'false']), DialCallSid: `CA${hex(rng, 32)}` }),
    shapes: [['Hangup'], ['Say', 'Redirect']],
    corpus: [
      { params: { member: ATTACKER, DialBridged: 'false', DialCallStatus: 'no-answer' } },
      { params: { DialBridged: ['true', 'false'] } },
      { params: { DialBridged: 'TRUE', DialCallStatus: INJECTION } },
      { params: { DialBridged: undefined, DialCallStatus: 'completed', CallSid: `CA${'6'.repeat(32)}` } },
    ],
    promises: (c, _root, requests) => {
      const texts = requests.filter((r) => r.path.endsWith('/Messages.json'));
      return c.names.member === undefined && texts.length > 0 ? [`${texts.length} team text(s) about a Dial by a non-member`] : [];
    },
  },
  {
    name: 'voicemail', handler: voicemail, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS },
    base: callParams,
    // After <Record> (reached when nothing was recorded): on to /voicemail-done, or a goodbye.
    shapes: [['Say', 'Record', 'Redirect'], ['Say', 'Record', 'Say', 'Hangup']],
  },
  {
    name: 'voicemail-done', handler: voicemailDone, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS, RecordingUrl: 'url', RecordingDuration: 'int', RecordingSid: 'sid', Digits: 'digits' },
    base: (rng) => ({ ...callParams(rng), RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${hex(rng, 32)}`, RecordingDuration: String(rng.int(30)), RecordingSid: `RE${hex(rng, 32)}` }),
    shapes: [['Say', 'Hangup']],
    corpus: [
      { params: { RecordingDuration: '-5' } },
      { params: { RecordingDuration: '1e308', RecordingUrl: 'javascript:alert(1)' } },
      { params: { RecordingUrl: undefined, RecordingDuration: '30' } },
      { params: { Digits: 'hangup', RecordingUrl: INJECTION } },
    ],
  },
  {
    name: 'voicemail-saved', handler: voicemailSaved, context: 'call', maxSegments: 1,
    keys: { CallSid: 'callSid', AccountSid: 'sid', RecordingUrl: 'url', RecordingDuration: 'int', RecordingStatus: 'recordingStatus', RecordingSid: 'sid',
      TranscriptionStatus: 'transcriptionStatus', TranscriptionText: 'text', TranscriptionSid: 'sid' },
    base: (rng) => ({
      CallSid: rng.pick(POOL), AccountSid: ACCOUNT_SID, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${hex(rng, 32)}`,
      RecordingDuration: String(rng.int(200)), RecordingSid: `RE${hex(rng, 32)}`,
      ...(rng.chance(0.5) ? { RecordingStatus: 'completed' } : { TranscriptionStatus: 'completed', TranscriptionText: 'Please call me back.' }),
    }),
    shapes: [[]],
    corpus: [
      { params: { RecordingStatus: 'completed', RecordingUrl: `https://evil.example/${INJECTION}` } },
      { params: { TranscriptionStatus: 'completed', TranscriptionText: HUGE[1] } },
      { params: { TranscriptionStatus: 'completed', TranscriptionText: `${INJECTION}\u0000\uD800😀` } },
      { params: { RecordingStatus: 'completed', RecordingDuration: '-1e308' } },
      { params: { TranscriptionStatus: ['completed', 'failed'], TranscriptionText: ['a', 'b'] } },
    ],
  },
  {
    name: 'call-status', handler: callStatus, context: 'call', maxSegments: 1,
    keys: { ...CALL_KEYS, CallDuration: 'int', CallbackSource: 'text', SequenceNumber: 'int', Timestamp: 'text' },
    base: (rng) => ({ ...callParams(rng), CallStatus: rng.pick(['completed', 'no-answer', 'busy', 'in-progress']), CallDuration: String(rng.int(600)) }),
    shapes: [[]],
    corpus: [
      { params: { CallStatus: ['completed', 'completed'], From: INJECTION } },
      { params: { CallStatus: 'completed', CallSid: `CA${'4'.repeat(32)}`, From: ATTACKER } },
      { params: { CallStatus: 'COMPLETED' } },
    ],
  },
  // Issue 15: a member's phone rings from the team number (/callback-answer), they press 1 (/callback-dial), the customer is dialled.
  {
    name: 'callback-answer', handler: callbackAnswer, context: 'call', maxSegments: 1, fresh: true,
    keys: ATTEMPT_KEYS,
    base: attemptParams,
    shapes: [['Gather'], ['Say', 'Hangup']],
    reaches: { what: 'prompts', atLeast: 50, when: (root) => walk(root).some((v) => v.name === 'Gather') },
    corpus: [
      ...CALLBACK_ATTACKS,
      { params: { label: `a${'😀'.repeat(40)}` } },
      { params: { label: '\uD800'.repeat(70) } },
    ],
    promises: (c, root, requests) => {
      const problems = requests.length > 0 ? [`${requests.length} REST request(s) before the member pressed anything`] : [];
      const gather = walk(root).find((v) => v.name === 'Gather');
      if (gather === undefined) return problems;
      // The key goes to /callback-dial about this same attempt, for a configured member only.
      const action = new URL(gather.attrs.action ?? 'https://x.invalid/');
      const to = firstOf(c.params, 'to');
      if (action.pathname !== '/callback-dial' || c.names.member === undefined || action.searchParams.get('member') !== c.names.member
        || action.searchParams.get('a') !== firstOf(c.params, 'a') || action.searchParams.get('to') !== toE164(typeof to === 'string' ? to : undefined)) {
        problems.push(`asks for the key for ${JSON.stringify(gather.attrs.action)}`);
      }
      return problems;
    },
  },
  {
    name: 'callback-dial', handler: callbackDial, context: 'call', maxSegments: 1, fresh: true, dials: 'callback',
    keys: { ...ATTEMPT_KEYS, Digits: 'digits' },
    base: (rng) => ({ ...attemptParams(rng), Digits: rng.pick(['1', '1', '1', '2', '']) }),
    shapes: [['Dial'], ['Say', 'Hangup']],
    reaches: { what: 'customers dialled', atLeast: 20, when: (root) => walk(root).some((v) => v.name === 'Dial') },
    corpus: [
      ...CALLBACK_ATTACKS.map((attack): Attack => ({ ...attack, params: { Digits: '1', ...attack.params } })),
      // The right key and a real attempt, but the number dialled named by the webhook: another customer, the team, a member.
      { params: { ...ATTEMPT_QUERY[0], Digits: '1', to: CUSTOMERS[1] } },
      { params: { ...ATTEMPT_QUERY[0], Digits: '1', to: TWILIO_NUMBER } },
      { params: { ...ATTEMPT_QUERY[0], Digits: '1', to: BOB.number } },
      { params: { ...ATTEMPT_QUERY[0], Digits: '1', to: `${CUSTOMERS[0] ?? ''}</Number><Number>${ATTACKER}` } },
      { params: { ...ATTEMPT_QUERY[0], Digits: '1', to: [ATTACKER, CUSTOMERS[0]] } },
      // Another member's attempt token, with this member's number: the claim is not theirs.
      { params: { ...ATTEMPT_QUERY[0], Digits: '1', member: BOB.number }, names: { member: BOB.number } },
      { params: { ...ATTEMPT_QUERY[1], Digits: '1', member: ANN.number }, names: { member: ANN.number } },
      { params: { ...ATTEMPT_QUERY[0], Digits: ['2', '1'] } },
      { params: { ...ATTEMPT_QUERY[0], Digits: '１' } },
    ],
    promises: (c) => othersClaimsDisturbed(c),
  },
  {
    name: 'callback-result', handler: callbackResult, context: 'call', maxSegments: 1, fresh: true,
    keys: { ...ATTEMPT_KEYS, DialCallStatus: 'dialStatus', DialBridged: 'bool', DialCallSid: 'callSid', DialCallDuration: 'int' },
    base: (rng) => ({ ...attemptParams(rng), DialCallStatus: rng.pick(['completed', 'no-answer', 'busy', 'failed']), DialBridged: rng.pick(['true', 'false']),
      DialCallSid: `CA${hex(rng, 32)}`, DialCallDuration: String(rng.int(300)) }),
    shapes: [[], ['Say', 'Hangup']],
    reaches: { what: 'team texts', atLeast: 30, when: (_root, requests) => requests.some((r) => r.path.endsWith('/Messages.json')) },
    corpus: [
      ...CALLBACK_ATTACKS.map((attack): Attack => ({ ...attack, params: { DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '40', ...attack.params } })),
      { params: { ...ATTEMPT_QUERY[0], member: BOB.number, DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '40' }, names: { member: BOB.number } },
      { params: { ...ATTEMPT_QUERY[0], ref: ATTEMPT_QUERY[1]?.ref, DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '40' } },
      { params: { ...ATTEMPT_QUERY[2], DialCallStatus: INJECTION, DialBridged: ['true', 'false'], DialCallDuration: '1e308' } },
    ],
    promises: (c) => othersClaimsDisturbed(c),
  },
  {
    name: 'callback-status', handler: callbackStatus, context: 'call', maxSegments: 1, fresh: true,
    keys: { ...ATTEMPT_KEYS, CallDuration: 'int' },
    base: (rng) => ({ ...attemptParams(rng), CallStatus: rng.pick(['completed', 'no-answer', 'busy', 'failed', 'canceled']), CallDuration: String(rng.int(60)) }),
    shapes: [[]],
    reaches: { what: 'team texts', atLeast: 30, when: (_root, requests) => requests.some((r) => r.path.endsWith('/Messages.json')) },
    corpus: [
      ...CALLBACK_ATTACKS.map((attack): Attack => ({ ...attack, params: { CallStatus: 'no-answer', ...attack.params } })),
      { params: { ...ATTEMPT_QUERY[3], a: ATTEMPT_QUERY[4]?.a, CallStatus: 'busy' } },
      { params: { ...ATTEMPT_QUERY[3], CallStatus: ['completed', 'busy'] } },
    ],
    promises: (c) => othersClaimsDisturbed(c),
  },
  // Issue 16: in the wait document, /wait-music redirects to /ring-team; the rung member answers (/ring-answer); the caller joins (/ring-join).
  {
    name: 'ring-team', handler: ringTeam, context: 'queue', maxSegments: 1, fresh: true, env: RING_ENV,
    keys: { ...CALL_KEYS, waited: 'int', queue: 'sid', QueueTime: 'int', QueuePosition: 'int', QueueSid: 'sid' },
    // The redirect's own URL carries the wait and the queue (no queue parameters come with a <Redirect>).
    base: (rng) => ({ ...callParams(rng), waited: String(55 + rng.int(70)), queue: queueSid }),
    shapes: [['Gather'], ['Say', 'Leave']],
    reaches: { what: 'escalations', atLeast: 20, when: (_root, requests) => requests.some((r) => r.path.endsWith('/Calls.json')) },
    corpus: [
      { params: { waited: '1e308' } },
      { params: { waited: '-1', QueueTime: '90' } },
      { params: { waited: ['90', '10'], queue: [`QU${'9'.repeat(32)}`, queueSid] } },
      { params: { waited: '90', queue: INJECTION, QueuePosition: '1e308' } },
      { params: { waited: '90', CallSid: `CA${'5'.repeat(32)}` } },
      { params: { waited: '90', member: ATTACKER, To: ATTACKER, From: ATTACKER } },
    ],
    promises: (c, _root, requests) => {
      // Members are rung for the caller whose call this is, each once, each asked on their own phone; never twice for a caller.
      const calls = requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'));
      const rung = calls.map((r) => r.params.To);
      const problems = new Set(rung).size === rung.length ? [] : [`rang ${JSON.stringify(rung)}`];
      const callSid = firstOf(c.params, 'CallSid');
      if (calls.length > 0 && (RING_CALLS[POOL.indexOf(typeof callSid === 'string' ? callSid : '')]?.length ?? 0) > 0) problems.push(`rang the team again for ${String(callSid)}`);
      for (const r of calls) {
        const query = queryOf(r.params.Url ?? 'https://x.invalid/');
        if (query.get('caller') !== firstOf(c.params, 'CallSid') || query.get('member') !== r.params.To) problems.push(`rang ${r.params.To ?? ''} with ${r.params.Url ?? ''}`);
      }
      return problems;
    },
  },
  {
    name: 'ring-answer', handler: ringAnswer, context: 'call', maxSegments: 1, fresh: true, dials: 'conference', env: RING_ENV,
    keys: { ...CALL_KEYS, caller: 'callSid', member: 'number', queue: 'sid', Digits: 'digits' },
    base: (rng) => {
      const member = rng.pick(MEMBER_NUMBERS);
      return { CallSid: `CA${hex(rng, 32)}`, AccountSid: ACCOUNT_SID, From: TWILIO_NUMBER, To: member, CallStatus: 'in-progress', Direction: 'outbound-api',
        ApiVersion: '2010-04-01', caller: rng.pick(POOL), member, queue: queueSid, ...(rng.chance(0.6) ? { Digits: rng.pick(['1', '1', '2']) } : {}) };
    },
    shapes: [['Gather', 'Say', 'Hangup'], ['Say', 'Hangup'], ['Dial'], ['Say', 'Dial']],
    reaches: { what: 'members joined to a caller', atLeast: 20, when: (root) => walk(root).some((v) => v.name === 'Conference') },
    corpus: [
      { params: { member: ATTACKER, Digits: '1' } },
      { params: { member: [ATTACKER, ANN.number], Digits: '1' } },
      { params: { member: TWILIO_NUMBER, Digits: '1' } },
      { params: { caller: `CA${'5'.repeat(32)}`, Digits: '1' } },
      { params: { caller: [POOL[1], POOL[0]], Digits: '1' } },
      { params: { caller: `${POOL[0] ?? ''}</Conference><Conference>x`, Digits: '1' } },
      { params: { queue: `QU${'9'.repeat(32)}`, Digits: '1' } },
      { params: { queue: undefined, Digits: '1' } },
      { params: { Digits: '１' } },
      { params: { Digits: ['2', '1'] } },
      { params: { member: '+1 (555) 123-0001', Digits: '1' }, names: { member: ANN.number } },
      { params: { CallSid: POOL[0], Digits: '1' } },
    ],
    promises: (c, root, requests) => {
      const callerSid = firstOf(c.params, 'caller');
      const member = c.names.member;
      if (member === undefined) {
        // A leg that is not a member's is never connected and moves nothing.
        const posts = requests.filter((r) => r.method === 'POST');
        const top = root.children.map((v) => v.name).join(',');
        return top === 'Say,Hangup' && posts.length === 0 ? [] : [`a non-member's leg got ${top} after ${posts.length} POST(s)`];
      }
      const problems: string[] = [];
      const pull = typeof callerSid === 'string' ? twilio.syncItems(MAPS.outcomes)?.get(`${callerSid}-pull`)?.data as { memberNumber?: unknown } | undefined : undefined;
      if (walk(root).some((v) => v.name === 'Conference') && (pull?.memberNumber !== member || firstOf(c.params, 'Digits') !== '1')) {
        problems.push(`joins the caller though the pull claim is ${JSON.stringify(pull)}`);
      }
      for (const d of dequeued) {
        // The member's own call rides along (only as Twilio would send it: a well-formed CallSid).
        const own = firstOf(c.params, 'CallSid');
        const ring = typeof own === 'string' && /^CA[0-9a-f]{32}$/.test(own) ? `&ring=${own}` : '';
        if (d.callSid !== callerSid || d.url !== `${url('/ring-join')}?member=${encodeURIComponent(member)}${ring}`) problems.push(`moved ${d.callSid} to ${d.url}`);
      }
      // Only the other phones rung for this caller are stopped.
      const own = RING_CALLS[POOL.indexOf(typeof callerSid === 'string' ? callerSid : '')]?.map((call) => call.sid) ?? [];
      for (const r of requests.filter((q) => q.method === 'POST' && /\/Calls\/CA[0-9a-f]{32}\.json$/.test(q.path))) {
        const sid = /(CA[0-9a-f]{32})\.json$/.exec(r.path)?.[1] ?? '';
        if (!own.includes(sid) || sid === firstOf(c.params, 'CallSid')) problems.push(`ended call ${sid}`);
      }
      return problems;
    },
  },
  {
    name: 'ring-join', handler: ringJoin, context: 'call', maxSegments: 1, fresh: true, dials: 'conference', env: RING_ENV,
    keys: { ...CALL_KEYS, member: 'number', QueueSid: 'sid', QueueTime: 'int' },
    base: (rng) => ({ ...callParams(rng), member: rng.pick(MEMBER_NUMBERS), QueueSid: queueSid, QueueTime: String(60 + rng.int(50)) }),
    shapes: [['Dial'], ['Say', 'Redirect']],
    reaches: { what: 'callers joined', atLeast: 50, when: (root) => walk(root).some((v) => v.name === 'Conference') },
    corpus: [
      { params: { member: ATTACKER } },
      { params: { CallSid: [POOL[1], POOL[0]] } },
      { params: { CallSid: `${POOL[0] ?? ''}</Conference>` } },
      { params: { member: INJECTION, CallSid: `CA${'5'.repeat(32)}` } },
    ],
    promises: (c) => {
      // The call is settled connected, naming a member only when the URL names a configured one.
      const callSid = firstOf(c.params, 'CallSid');
      const outcome = typeof callSid === 'string' ? twilio.syncItems(MAPS.outcomes)?.get(callSid)?.data as { member?: unknown } | undefined : undefined;
      const named = MEMBERS.find((m) => m.number === c.names.member)?.name;
      return outcome === undefined || outcome.member === named ? [] : [`settled with member ${JSON.stringify(outcome.member)} for ${JSON.stringify(c.names.member)}`];
    },
  },
  {
    name: 'ring-wait', handler: ringWait, context: 'conference-wait', maxSegments: 1, fresh: true, env: RING_ENV,
    keys: { ...CALL_KEYS, caller: 'callSid', ring: 'callSid', member: 'number', waited: 'int' },
    base: (rng) => ({ ...callParams(rng), caller: rng.pick(POOL), ring: rng.pick(POOL), member: rng.pick(MEMBER_NUMBERS), waited: String(rng.int(60)) }),
    shapes: [['Pause', 'Redirect'], ['Pause']],
    reaches: { what: 'callers moved to voicemail', atLeast: 20, when: (_root, requests) => requests.some((r) => r.method === 'POST' && /\/Calls\/CA\w+\.json$/.test(r.path)) },
    corpus: [
      { params: { caller: `${POOL[0] ?? ''}</Conference>`, waited: '45' } },
      { params: { caller: [POOL[1], POOL[0]], waited: '99' } },
      { params: { waited: '-5' } },
      { params: { waited: INJECTION, member: INJECTION } },
    ],
    promises: (c, _root, requests) => movesOnlyTheCaller(c, requests),
  },
  {
    name: 'ring-status', handler: ringStatus, context: 'call', maxSegments: 1, fresh: true, env: RING_ENV,
    keys: { ...CALL_KEYS, caller: 'callSid', CallDuration: 'int' },
    base: (rng) => ({ ...callParams(rng), caller: rng.pick(POOL), CallStatus: rng.pick(['completed', 'busy', 'no-answer', 'canceled', 'failed', 'in-progress']), CallDuration: String(rng.int(60)) }),
    shapes: [[]],
    corpus: [
      { params: { caller: `${POOL[0] ?? ''}</Conference>` } },
      { params: { caller: [POOL[1], POOL[0]], CallStatus: 'completed' } },
      { params: { CallStatus: ['completed', 'in-progress'] } },
    ],
    promises: (c, _root, requests) => movesOnlyTheCaller(c, requests),
  },
];

/** Only the caller the URL names is ever moved, and only back to /ring-join (which sends them to voicemail). */
function movesOnlyTheCaller(c: Case, requests: readonly RecordedRequest[]): string[] {
  const problems: string[] = [];
  const caller = firstOf(c.params, 'caller');
  for (const r of requests.filter((q) => q.method === 'POST' && /\/Calls\/CA\w+\.json$/.test(q.path))) {
    const sid = /(CA[0-9a-f]{32})\.json$/.exec(r.path)?.[1] ?? '';
    if (sid !== caller) problems.push(`moved call ${sid}, not the caller ${JSON.stringify(caller)}`);
    if (!(r.params.Url ?? '').startsWith(`${url('/ring-join')}?`) || !(r.params.Url ?? '').includes('left=1')) problems.push(`moved the caller to ${r.params.Url ?? '(no Url)'}`);
  }
  return problems;
}

const SMS_KEYS: Record<string, Kind> = { Body: 'body', To: 'number', MessageSid: 'sid', AccountSid: 'sid', NumMedia: 'int', NumSegments: 'int', MediaUrl0: 'url', SmsStatus: 'text' };

const EXTRA_KEYS: readonly [string, Kind][] = [
  ['member', 'number'], ['caller', 'callSid'], ['returning', 'text'], ['Digits', 'digits'], ['QueueResult', 'queueResult'],
  ['__proto__', 'text'], ['constructor', 'text'], ['toString', 'text'], ['<Dial>', 'text'], ['Body[0]', 'text'], ['', 'text'],
];

/**
 * Apply one change to `c`, naming it in c.mutations. A bogus value of the right kind may happen to be
 * a valid one, so `malformed` restricts the change to ones no real Twilio request has: a missing,
 * hostile, mistyped, repeated or 100 KB parameter.
 */
function mutate(c: Case, keys: Record<string, Kind>, rng: Rng, malformed: boolean, fixed: ReadonlySet<string> = new Set()): void {
  const names = Object.keys(keys).filter((k) => !fixed.has(k));
  const key = rng.pick(names);
  const kind = keys[key] ?? 'text';
  const set = (k: string, g: Generated, what: string): void => {
    // defineProperty, so '__proto__' becomes a plain parameter named so, as a parsed webhook body would have it.
    Object.defineProperty(c.params, k, { value: g.value, enumerable: true, writable: true, configurable: true });
    if (PHONE_KEYS.has(k)) c.names[k] = g.member;
    c.mutations.push(`${what} ${JSON.stringify(k)}`);
  };
  switch (malformed ? rng.pick([0, 3, 4, 5, 6]) : rng.int(8)) {
    case 0:
      Reflect.deleteProperty(c.params, key);
      if (PHONE_KEYS.has(key)) c.names[key] = undefined;
      c.mutations.push(`drop ${JSON.stringify(key)}`);
      return;
    case 1:
    case 2:
      set(key, valueOf(kind, rng), `bogus ${kind}`);
      return;
    case 3:
      set(key, { value: hostileText(rng) }, 'hostile text');
      return;
    case 4:
      set(key, { value: rng.pick(WRONG_TYPES) }, 'wrong type');
      return;
    case 5: {
      const first = valueOf(kind, rng);
      // A parameter sent twice is read by its first value; a list inside a list names nobody.
      set(key, { value: [first.value, valueOf(kind, rng).value], member: typeof first.value === 'string' ? first.member : undefined }, 'duplicated');
      return;
    }
    case 6:
      set(key, { value: rng.pick(HUGE) }, '100 KB');
      return;
    default: {
      const [extra, extraKind] = rng.pick(EXTRA_KEYS);
      if (fixed.has(extra)) return;
      set(extra, extra === 'member' && rng.chance(0.5) ? { value: ATTACKER, member: undefined } : valueOf(extraKind, rng), 'extra');
    }
  }
}

function namesOf(params: Record<string, unknown>): Record<string, string | undefined> {
  const names: Record<string, string | undefined> = {};
  for (const key of PHONE_KEYS) {
    // A repeated parameter is read by its first value.
    const value = Array.isArray(params[key]) ? (params[key] as unknown[])[0] : params[key];
    if (value !== undefined) names[key] = typeof value === 'string' && MEMBER_NUMBERS.includes(value) ? value : undefined;
  }
  return names;
}

function voiceCases(route: VoiceRoute): Case[] {
  const rng = new Rng(seedOf(route.name));
  const attacks = [...COMMON_ATTACKS, ...(route.corpus ?? [])].map((attack, index): Case => {
    const params = { ...route.base(rng), ...attack.params };
    for (const [key, value] of Object.entries(params)) if (value === undefined) Reflect.deleteProperty(params, key);
    return { index: -1 - index, params, env: { ...TEAM, ...route.env }, names: { ...namesOf(params), ...attack.names }, mutations: ['named attack'] };
  });
  return attacks.concat(Array.from({ length: CASES_PER_ROUTE }, (_, index) => {
    const params = route.base(rng);
    const c: Case = { index, params, env: { ...(rng.chance(0.3) ? TEAM_WITH_EXTRAS : TEAM), ...route.env }, names: namesOf(params), mutations: [] };
    if (rng.chance(0.03)) {
      c.params = {};
      c.names = {};
      c.mutations.push('no parameters at all');
    }
    for (let n = 1 + rng.int(4); n > 0; n -= 1) mutate(c, route.keys, rng, c.mutations.length === 0);
    return c;
  }));
}

/** SMS cases: from a stranger (however disguised), or from a member sending anything at all. */
const SMS_ATTACKS: Record<'stranger' | 'member', Attack[]> = {
  stranger: [
    { params: { From: [ATTACKER, ANN.number], Body: 'Y' } },
    { params: { From: [[ANN.number]], Body: 'Y' } },
    { params: { From: { number: ANN.number }, Body: 'OFF' } },
    { params: { From: `${ANN.number}0`, Body: 'STATUS' } },
    { params: { From: `\u202e${ANN.number}`, Body: `N ${callReference(POOL[0] ?? '')}` } },
    { params: { From: `sip:${ANN.number}@evil.example`, Body: 'Y' } },
    { params: { From: TWILIO_NUMBER, Body: 'Y' } },
    { params: { From: HUGE[4], Body: 'Y' } },
    { params: { Body: 'Y' } },
  ],
  member: [
    { params: { From: ANN.number, Body: INJECTION }, names: { From: ANN.number } },
    { params: { From: BOB.number, Body: HUGE[5] }, names: { From: BOB.number } },
    { params: { From: CARA.number, Body: `Y ${callReference(POOL[0] ?? '')}${INJECTION}` }, names: { From: CARA.number } },
    { params: { From: [ANN.number, ATTACKER], Body: 'STATUS' }, names: { From: ANN.number } },
    { params: { From: '+1 (555) 123-0002', Body: `N ${callReference(POOL[1] ?? '')}` }, names: { From: BOB.number } },
    { params: { From: ANN.number, Body: ['Y', 'N'] }, names: { From: ANN.number } },
    { params: { From: ANN.number, Body: {} }, names: { From: ANN.number } },
    { params: { From: ANN.number, Body: 'Y 1234\nSTOP' }, names: { From: ANN.number } },
    { params: { From: ANN.number, Body: 'Y', member: ATTACKER, To: ATTACKER }, names: { From: ANN.number } },
  ],
};

function smsCases(fromMember: boolean): Case[] {
  const rng = new Rng(seedOf(fromMember ? 'sms-reply member' : 'sms-reply stranger'));
  const attacks = SMS_ATTACKS[fromMember ? 'member' : 'stranger'].map((attack, index): Case => ({
    index: -1 - index, params: { MessageSid: `SM${'a'.repeat(32)}`, AccountSid: ACCOUNT_SID, To: TWILIO_NUMBER, ...attack.params },
    env: TEAM, names: { From: attack.names?.From }, mutations: ['named attack'],
  }));
  return attacks.concat(Array.from({ length: CASES_PER_ROUTE }, (_, index) => {
    const params: Record<string, unknown> = {
      MessageSid: `SM${hex(rng, 32)}`, AccountSid: ACCOUNT_SID, To: TWILIO_NUMBER, Body: valueOf('body', rng).value, NumMedia: '0', NumSegments: '1',
    };
    const c: Case = { index, params, env: TEAM, names: {}, mutations: [] };
    for (let n = 1 + rng.int(4); n > 0; n -= 1) mutate(c, SMS_KEYS, rng, c.mutations.length === 0, new Set(['From']));
    const from = fromMember ? memberNumber(rng) : strangerNumber(rng);
    if (from.value === '' && !fromMember && rng.chance(0.5)) {
      c.mutations.push('no From');
    } else {
      c.params.From = from.value;
      c.mutations.push('From');
    }
    c.names.From = from.member;
    return c;
  }));
}

// --- checking one answer ---

/** Characters XML 1.0 does not allow, including UTF-16 halves without their partner. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const URL_ATTRIBUTES = ['action', 'url', 'waitUrl', 'recordingStatusCallback', 'transcribeCallback', 'statusCallback'];
const OUR_PAGES = new Set(['/incoming-call', '/wait-music', '/hold-key', '/queue-result', '/bridge', '/bridge-result', '/screen', '/voicemail',
  '/voicemail-done', '/voicemail-saved', '/sms-reply', '/call-status', '/hold-music.wav', '/callback-answer', '/callback-dial', '/callback-result',
  '/callback-status', '/ring-team', '/ring-answer', '/ring-join', '/ring-wait', '/ring-status']);

/** Texts stay in the GSM-7 alphabet (one emoji would make every segment 70 characters). */
function gsm7(text: string): boolean {
  for (let i = 0; i < text.length; i += 160) if (!isSingleSegment(text.slice(i, i + 160))) return false;
  return true;
}

function walk(verb: Verb): Verb[] {
  return [verb, ...verb.children.flatMap(walk)];
}

function queryOf(link: string): URLSearchParams {
  return new URL(link).searchParams;
}

/** Every URL in the answer leads to one of our own pages on our own domain. */
function foreignUrls(root: Verb): string[] {
  const links: string[] = [];
  for (const verb of walk(root)) {
    for (const attr of URL_ATTRIBUTES) if (verb.attrs[attr] !== undefined) links.push(verb.attrs[attr]);
    if (verb.name === 'Redirect' || verb.name === 'Play') links.push(verb.text);
  }
  return links.filter((link) => {
    try {
      const parsed = new URL(link);
      return parsed.origin !== `https://${DOMAIN}` || !OUR_PAGES.has(parsed.pathname);
    } catch {
      return true;
    }
  });
}

function voiceProblems(route: VoiceRoute, c: Case, root: Verb): string[] {
  const problems: string[] = [];
  const top = root.children.map((v) => v.name);
  if (!route.shapes.some((shape) => isDeepStrictEqual(shape, top))) problems.push(`answered ${JSON.stringify(top)}, expected one of ${JSON.stringify(route.shapes)}`);
  for (const verb of walk(root).slice(1)) {
    if (!ALLOWED[route.context].includes(verb.name)) problems.push(`<${verb.name}> is not allowed in the ${route.context} context`);
    for (const child of verb.children) {
      if (!(CHILDREN[verb.name] ?? []).includes(child.name)) problems.push(`<${child.name}> inside <${verb.name}>`);
    }
  }
  const foreign = foreignUrls(root);
  if (foreign.length > 0) problems.push(`URLs outside our functions: ${JSON.stringify(foreign)}`);
  for (const enqueue of walk(root).filter((v) => v.name === 'Enqueue')) {
    if (enqueue.text !== QUEUE_NAME) problems.push(`enqueued into ${JSON.stringify(enqueue.text)}`);
  }
  const dials = walk(root).filter((v) => v.name === 'Dial');
  if (route.dials === 'callback') return [...problems, ...dials.flatMap((dial) => callbackDialProblems(c, dial))];
  if (route.dials === 'conference') return [...problems, ...dials.flatMap((dial) => conferenceDialProblems(route, c, dial))];
  for (const dial of dials) {
    if (dial.children.some((v) => v.name === 'Conference')) problems.push('a conference where only a member may be dialled');
    const numbers = dial.children.filter((v) => v.name === 'Number');
    const dialled = numbers[0]?.text ?? '';
    if (numbers.length !== 1 || !MEMBER_NUMBERS.includes(dialled)) problems.push(`dials ${JSON.stringify(numbers.map((n) => n.text))}, not one configured member`);
    if (!/^\+[1-9]\d{7,14}$/.test(dial.attrs.callerId ?? '')) problems.push(`shows caller ID ${JSON.stringify(dial.attrs.callerId)}`);
    if (dial.attrs.action !== undefined && queryOf(dial.attrs.action).get('member') !== dialled) problems.push('the Dial action names another member');
    const screenUrl = numbers[0]?.attrs.url;
    if (screenUrl === undefined || queryOf(screenUrl).get('member') !== dialled || !/^CA[0-9a-f]{32}$/.test(queryOf(screenUrl).get('caller') ?? '')) {
      problems.push(`the member's leg is screened by ${JSON.stringify(screenUrl)}`);
    }
    if (c.names.member === undefined) problems.push('dials although the member parameter names no configured member');
  }
  return problems;
}

/** The first value of a parameter, as the functions read a repeated one. */
function firstOf(params: Record<string, unknown>, key: string): unknown {
  const value = params[key];
  return Array.isArray(value) ? (value as unknown[])[0] : value;
}

/**
 * /callback-dial dials a customer, not a member: only the number whose Sync claim holds this request's attempt token
 * for this request's member, after the member pressed 1, showing the team number, with the Dial action about the same attempt.
 */
function callbackDialProblems(c: Case, dial: Verb): string[] {
  const problems: string[] = [];
  const numbers = dial.children.filter((v) => v.name === 'Number');
  const dialled = numbers[0]?.text ?? '';
  const attempt = ATTEMPTS.find((a) => a.to === dialled);
  if (numbers.length !== 1 || dial.children.length !== 1 || attempt === undefined) {
    return [`dials ${JSON.stringify(dial.children.map((n) => n.text))}, not one customer a callback claim holds`];
  }
  if (firstOf(c.params, 'a') !== attempt.a) problems.push(`dials ${dialled}, whose claim is another attempt's (${JSON.stringify(firstOf(c.params, 'a'))})`);
  if (c.names.member !== attempt.member.number) problems.push(`dials ${dialled} for ${JSON.stringify(c.names.member)}, though ${attempt.member.name} holds the claim`);
  if (firstOf(c.params, 'Digits') !== '1') problems.push(`dials after the key ${JSON.stringify(firstOf(c.params, 'Digits'))}`);
  if (dial.attrs.callerId !== TWILIO_NUMBER) problems.push(`shows caller ID ${JSON.stringify(dial.attrs.callerId)}, not the team number`);
  if (numbers[0]?.attrs.url !== undefined) problems.push('screens the customer\'s leg');
  const action = dial.attrs.action === undefined ? undefined : new URL(dial.attrs.action);
  if (action?.pathname !== '/callback-result' || action.searchParams.get('a') !== attempt.a || action.searchParams.get('to') !== dialled
    || action.searchParams.get('member') !== attempt.member.number) problems.push(`the Dial action is ${JSON.stringify(dial.attrs.action)}`);
  return problems;
}

/** A ring-all answer's <Dial>: one conference, named after the caller whose call it is about. */
function conferenceDialProblems(route: VoiceRoute, c: Case, dial: Verb): string[] {
  const rooms = dial.children.filter((v) => v.name === 'Conference');
  if (rooms.length !== 1 || dial.children.length !== 1) return [`dials ${JSON.stringify(dial.children.map((v) => `${v.name} ${v.text}`))}, not one conference`];
  // /ring-join runs on the caller's own call; /ring-answer on a member's, about the caller its URL names.
  const callSid = firstOf(c.params, route.name === 'ring-join' ? 'CallSid' : 'caller');
  const expected = typeof callSid === 'string' && /^CA[0-9a-f]{32}$/.test(callSid) ? conferenceName(callSid) : undefined;
  return rooms[0]?.text === expected ? [] : [`joins conference ${JSON.stringify(rooms[0]?.text)}, expected ${JSON.stringify(expected)}`];
}

function smsProblems(c: Case, root: Verb, dequeued: readonly { url: string }[]): string[] {
  const problems: string[] = [];
  const sender = c.names.From;
  const messages = root.children;
  if (messages.some((m) => m.name !== 'Message' || m.children.length > 0)) problems.push(`answered ${JSON.stringify(messages.map((m) => m.name))}`);
  if (sender === undefined) {
    // A stranger's text is a customer's: it may be forwarded to members, but nothing goes back and nothing moves.
    const back = messages.filter((m) => m.attrs.to === undefined);
    if (back.length > 0) problems.push(`a stranger got ${back.length} message(s) back: ${JSON.stringify(back.map((m) => m.text))}`);
    for (const m of messages) {
      if (m.attrs.to !== undefined && !MEMBER_NUMBERS.includes(m.attrs.to)) problems.push(`texts ${JSON.stringify(m.attrs.to)}, not a member`);
    }
    if (dequeued.length > 0) problems.push('a stranger moved a caller');
    return problems;
  }
  // One reply; STATUS may add the customer texts not yet answered and the callbacks owed, one text each.
  const replies = messages.filter((m) => m.attrs.to === undefined);
  const extra = replies.slice(1).map((m) => (m.text.startsWith('Texts not answered: ') ? 'texts' : m.text.startsWith('Callbacks owed ') ? 'callbacks' : 'other'));
  if (extra.includes('other') || new Set(extra).size !== extra.length) problems.push('more than one reply to the sender');
  for (const m of messages) {
    const to = m.attrs.to;
    if (to !== undefined && (!MEMBER_NUMBERS.includes(to) || to === sender)) problems.push(`texts ${JSON.stringify(to)}, not another member`);
    if (!isSingleSegment(m.text)) problems.push(`a reply over one GSM-7 segment: ${JSON.stringify(m.text)}`);
  }
  for (const d of dequeued) {
    if (d.url !== url('/voicemail') && d.url !== `${url('/bridge')}?member=${encodeURIComponent(sender)}`) problems.push(`pulled a caller to ${d.url}`);
  }
  return problems;
}

// --- running ---

let twilio: TwilioStandIn;
let logs: string[] = [];
let dequeued: { callSid: string; url: string }[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };

/**
 * Put the pool back in the queue with its records, as if those callers were still waiting; `fresh`, also as if
 * nobody had pulled them, rung the team for them or settled their callbacks yet.
 */
function refill(fresh = false): void {
  const waiting = new Set(twilio.waiting(QUEUE_NAME));
  POOL.forEach((callSid, i) => {
    if (!waiting.has(callSid)) twilio.enqueue(QUEUE_NAME, callSid);
    const reference = callReference(callSid);
    const record = twilio.syncItems(MAPS.calls)?.get(reference)?.data as { callSid?: unknown } | undefined;
    if (record?.callSid !== callSid) {
      twilio.setSyncItem(MAPS.calls, reference, { callSid, reference, name: POOL_NAMES[i], place: 'BOSTON MA', number: `+1617555010${i}` });
    }
  });
  if (!fresh) return;
  const outcomes = twilio.syncItems(MAPS.outcomes);
  const callbacks = twilio.syncItems(CALLBACK_MAP);
  // Outcomes, pulls and ring calls of any call (a case may have named a caller outside the pool).
  outcomes?.clear();
  for (const key of [...callbacks?.keys() ?? []]) callbacks?.delete(key);
  POOL.forEach((callSid, i) => {
    const attempt = ATTEMPTS[i];
    if (attempt === undefined) return;
    if (RING_CALLS[i]?.length !== 0) twilio.setSyncItem(MAPS.outcomes, `${callSid}-ring`, { calls: RING_CALLS[i] });
    twilio.setSyncItem(CALLBACK_MAP, `ref-${attempt.ref}`, { callSid, reference: attempt.ref, kind: 'missed', number: attempt.to, name: POOL_NAMES[i], at: Date.now() });
    twilio.setSyncItem(CALLBACK_MAP, `num-${attempt.to}`, { reference: attempt.ref });
    twilio.setSyncItem(CALLBACK_MAP, `claim-${attempt.to}`, { member: attempt.member.name, memberNumber: attempt.member.number, label: attempt.label, attempt: attempt.a });
  });
}

/**
 * What a /callback-* request must leave alone: every other attempt's claim as CALL left it, and every customer but
 * the one its own `to` names not marked called back. (The Dial action is the proof a customer was reached, and it can
 * come after a long talk, when the claim has run out: that customer's own reference may be marked.)
 */
function othersClaimsDisturbed(c: Case): string[] {
  const callbacks = twilio.syncItems(CALLBACK_MAP);
  const to = firstOf(c.params, 'to');
  const named = toE164(typeof to === 'string' ? to : undefined);
  return ATTEMPTS.flatMap((a) => {
    const claim = callbacks?.get(`claim-${a.to}`)?.data as { attempt?: unknown; dialing?: unknown } | undefined;
    const record = callbacks?.get(`ref-${a.ref}`)?.data as { calledBackBy?: unknown } | undefined;
    const own = a.a === firstOf(c.params, 'a');
    const problems = own || (claim?.attempt === a.a && claim.dialing === undefined) ? [] : [`${a.member.name}'s claim on ${a.to} became ${JSON.stringify(claim)}`];
    return record?.calledBackBy === undefined || a.to === named ? problems : [...problems, `reference ${a.ref} marked called back by ${JSON.stringify(record.calledBackBy)}`];
  });
}

function describeCase(route: string, c: Case): string {
  const shown = JSON.stringify(c.params, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length > 80) return `<${value.length} chars: ${JSON.stringify(value.slice(0, 40))}...>`;
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  });
  const which = c.index < 0 ? `named attack ${-c.index}` : `case ${c.index} (seed ${SEED}; ${c.mutations.join(', ')})`;
  return `${route} ${which}: ${shown}`;
}

async function answer(handler: AnyHandler, c: Case): Promise<{ xml: string; twiml: Verb }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)); }, ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([invoke(handler, c.params, c.env), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Run one case; every broken promise it shows, or none. */
async function runCase(route: string, handler: AnyHandler, c: Case, check: (root: Verb, requests: readonly RecordedRequest[]) => string[], maxSegments: number): Promise<string[]> {
  const requestsBefore = twilio.requests.length;
  const messagesBefore = twilio.messages.length;
  const callsBefore = twilio.createdCalls.length;
  logs = [];
  dequeued = [];
  const problems: string[] = [];
  try {
    const { xml, twiml } = await answer(handler, c);
    if (NOT_XML.test(xml)) problems.push(`characters XML forbids in ${JSON.stringify(xml.slice(0, 300))}`);
    problems.push(...check(twiml, twilio.requests.slice(requestsBefore)));
  } catch (error) {
    problems.push(`no well-formed answer: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
  }
  const requests = twilio.requests.slice(requestsBefore);
  const refused = requests.filter((r) => r.status === 422 || r.status >= 500);
  if (refused.length > 0) problems.push(`REST requests refused: ${JSON.stringify(refused.map((r) => `${r.status} ${r.method} ${r.path}`))}`);
  for (const m of twilio.messages.slice(messagesBefore)) {
    if (!MEMBER_NUMBERS.includes(m.to)) problems.push(`texted ${JSON.stringify(m.to)}, who is not a member`);
    if (m.from !== TWILIO_NUMBER) problems.push(`texted from ${JSON.stringify(m.from)}`);
    if (segments(m.body) > maxSegments || !gsm7(m.body)) problems.push(`a text of ${segments(m.body)} segment(s): ${JSON.stringify(m.body)}`);
  }
  for (const call of twilio.createdCalls.slice(callsBefore)) {
    if (!MEMBER_NUMBERS.includes(call.to)) problems.push(`called ${JSON.stringify(call.to)}, who is not a member`);
    if (call.from !== TWILIO_NUMBER) problems.push(`called from ${JSON.stringify(call.from)}`);
    if (foreignUrls({ name: 'Call', attrs: { url: call.url }, text: '', children: [] }).length > 0) problems.push(`a call answered by ${JSON.stringify(call.url)}`);
  }
  const fellBack = logs.filter((line) => line.includes('answering with the safe fallback'));
  if (fellBack.length > 0) problems.push(`threw: ${fellBack.join(' | ')}`);
  const secrets = [...MEMBER_NUMBERS, ...CUSTOMERS, ATTACKER, TWILIO_NUMBER].map((n) => n.slice(-10)).concat(AUTH_TOKEN);
  const leaky = logs.filter((line) => secrets.some((s) => line.includes(s)));
  if (leaky.length > 0) problems.push(`logged a full number or the token: ${leaky.join(' | ').slice(0, 300)}`);
  if (unhandled.length > 0) problems.push(`unhandled rejection: ${String(unhandled.splice(0)[0])}`);
  return problems.map((p) => `${describeCase(route, c)}\n    -> ${p}`);
}

beforeAll(async () => {
  twilio = await startTwilio();
  queueSid = twilio.queueNamed(QUEUE_NAME).sid;
  // Twilio's own description of its API, when it is beside the project (it is in CI): hostile input must never become a request Twilio refuses.
  twilio.validator = contractValidator();
  twilio.onDequeue = (callSid, to) => { dequeued.push({ callSid, url: to }); };
  process.on('unhandledRejection', onUnhandled);
  for (const stream of ['log', 'error', 'warn'] as const) {
    jest.spyOn(console, stream).mockImplementation((...args: unknown[]) => { logs.push(args.map(String).join(' ')); });
  }
});

afterAll(async () => {
  jest.restoreAllMocks();
  process.off('unhandledRejection', onUnhandled);
  await twilio.stop();
});

describe('the generator', () => {
  it('is reproducible: the same seed gives the same inputs, and they differ between routes', () => {
    const route = VOICE_ROUTES[0];
    if (route === undefined) throw new Error('no routes');
    expect(isDeepStrictEqual(voiceCases(route), voiceCases(route))).toBe(true);
    expect(isDeepStrictEqual(smsCases(false), smsCases(false))).toBe(true);
    expect(isDeepStrictEqual(smsCases(false).map((c) => c.params), smsCases(true).map((c) => c.params))).toBe(false);
  });
});

describe('the checks', () => {
  // Deliberately careless handlers: the same cases and checks must catch what each does wrong.
  const first = (value: unknown): string => {
    const v = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof v === 'string') return v;
    // JSON.stringify(undefined) is undefined, whatever its declared type says.
    return v === undefined ? '' : JSON.stringify(v);
  };
  /** Answers through the callback even when building the answer throws (twilio's XML builder refuses some characters). */
  const careless = (build: (event: Record<string, unknown>) => object): AnyHandler => (_context, event: Record<string, unknown>, callback) => {
    try {
      callback(null, build(event));
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const route = (name: string): VoiceRoute => {
    const found = VOICE_ROUTES.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no route ${name}`);
    return found;
  };
  const failuresOf = async (name: string, handler: AnyHandler, cases: Case[], check: (c: Case, root: Verb, requests: readonly RecordedRequest[]) => string[]): Promise<string> => {
    const failures: string[] = [];
    for (const c of cases) failures.push(...await runCase(name, handler, c, (root, requests) => check(c, root, requests), 1));
    return failures.join('\n');
  };

  it('catch a Dial to whatever number the request names', async () => {
    const dialsAnyone = careless((event) => {
      const response = voiceResponse();
      response.say('Connecting you now.');
      response.dial({ callerId: TWILIO_NUMBER }).number({ url: url('/screen') }, first(event.member));
      return response;
    });
    const bridgeRoute = route('bridge');
    const found = await failuresOf('careless bridge', dialsAnyone, voiceCases(bridgeRoute).slice(0, 40), (c, root) => voiceProblems(bridgeRoute, c, root));
    expect(found).toMatch(/not one configured member/);
    expect(found).toMatch(/dials although the member parameter names no configured member/);
  });

  it('catch markup pasted into TwiML: injected verbs, forbidden characters, foreign URLs', async () => {
    const pastes = careless((event) => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?><Response><Say>You pressed ${first(event.Digits)}</Say><Redirect>${first(event.RecordingUrl)}</Redirect></Response>`;
      // A response object, as the functions answer, whose XML was pasted together from the request.
      return { toString: () => xml };
    });
    const holdRoute = route('hold-key');
    const cases = voiceCases(holdRoute).slice(0, 60).map((c) => ({ ...c, params: { ...c.params, Digits: c.index % 2 === 0 ? INJECTION : '\u0000', RecordingUrl: 'https://evil.example/x' } }));
    const found = await failuresOf('careless hold-key', pastes, cases, (c, root) => voiceProblems(holdRoute, c, root));
    expect(found).toMatch(/<Dial> is not allowed in the queue context/);
    expect(found).toMatch(/no well-formed answer|characters XML forbids/);
    expect(found).toMatch(/URLs outside our functions/);
  });

  it('catch a callback that dials the number its URL names, and a ring answer that joins whoever asks to any caller', async () => {
    const dialsTo = careless((event) => {
      const response = voiceResponse();
      if (first(event.Digits) === '1') response.dial({ callerId: TWILIO_NUMBER, action: url('/callback-result') }).number(first(event.to));
      return response;
    });
    const dialRoute = route('callback-dial');
    const dialCases = voiceCases(dialRoute).slice(0, 60);
    const found = await failuresOf('careless callback-dial', dialsTo, dialCases, (c, root) => voiceProblems(dialRoute, c, root));
    expect(found).toMatch(/not one customer a callback claim holds/);
    expect(found).toMatch(/whose claim is another attempt's|though \w+ holds the claim/);

    const joinsAnyone = careless((event) => {
      const response = voiceResponse();
      response.dial().conference(`pull-${first(event.caller)}`);
      return response;
    });
    const answerRoute = route('ring-answer');
    const answerCases = voiceCases(answerRoute).slice(0, 60);
    const joined = await failuresOf('careless ring-answer', joinsAnyone, answerCases, (c, root, requests) => [...voiceProblems(answerRoute, c, root), ...answerRoute.promises?.(c, root, requests) ?? []]);
    expect(joined).toMatch(/joins the caller though the pull claim is undefined/);
    expect(joined).toMatch(/a non-member's leg got Dial/);
    expect(joined).toMatch(/joins conference "pull-[^"]*", expected undefined/);
  });

  it('catch a reply to a stranger and a text to a non-member', async () => {
    const answersEveryone = careless((event) => {
      const response = messagingResponse();
      response.message('Commands: Y, N, STATUS');
      response.message({ to: first(event.From) }, 'Hello');
      return response;
    });
    const found = await failuresOf('careless sms-reply', answersEveryone, smsCases(false).slice(0, 20), (c, root) => smsProblems(c, root, []));
    expect(found).toMatch(/a stranger got \d message\(s\) back/);
    const toOthers = await failuresOf('careless sms-reply', answersEveryone, smsCases(true).slice(0, 20), (c, root) => smsProblems(c, root, []));
    expect(toOthers).toMatch(/texts "[^"]*", not another member/);
  });
});

describe.each(VOICE_ROUTES.map((route) => [route.name, route] as const))('/%s under hostile input', (_name, route) => {
  it(`answers ${CASES_PER_ROUTE} malformed webhooks with well-formed TwiML of its own verbs, dialling and texting only members`, async () => {
    const cases = voiceCases(route);
    const failures: string[] = [];
    let reached = 0;
    for (const c of cases) {
      refill(route.fresh);
      failures.push(...await runCase(route.name, route.handler, c, (root, requests) => {
        if (route.reaches?.when(root, requests) === true) reached += 1;
        return [...voiceProblems(route, c, root), ...(route.promises?.(c, root, requests) ?? [])];
      }, route.maxSegments));
      // A caller Twilio really queued is one the later routes can be asked about.
      if (route.name === 'incoming-call' && typeof c.params.CallSid === 'string' && /^CA[0-9a-f]{32}$/.test(c.params.CallSid)) twilio.enqueue(QUEUE_NAME, c.params.CallSid);
    }
    expect(cases.filter((c) => c.index >= 0).length).toBeGreaterThanOrEqual(200);
    expect(failures.slice(0, 10)).toEqual([]);
    if (route.reaches !== undefined) {
      expect({ [route.reaches.what]: reached >= route.reaches.atLeast }).toEqual({ [route.reaches.what]: true });
    }
  }, 60_000);
});

describe('/sms-reply under hostile input', () => {
  it(`answers ${CASES_PER_ROUTE} texts from strangers, however disguised, with nothing back, texts only members, and makes no REST request but the inbox's Sync`, async () => {
    const cases = smsCases(false);
    const failures: string[] = [];
    for (const c of cases) {
      refill();
      const before = twilio.requests.length;
      failures.push(...await runCase('sms-reply', smsReply, c, (root) => smsProblems(c, root, dequeued), 1));
      const made = twilio.requests.slice(before).filter((r) => r.host !== 'sync.twilio.com');
      if (made.length > 0) failures.push(`${describeCase('sms-reply', c)}\n    -> a stranger caused ${made.length} REST request(s) besides Sync: ${made.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    }
    expect(cases.filter((c) => c.index >= 0).length).toBeGreaterThanOrEqual(200);
    expect(cases.every((c) => c.names.From === undefined)).toBe(true);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 60_000);

  it(`answers ${CASES_PER_ROUTE} hostile texts from members with single-segment replies to the sender and notices only to other members`, async () => {
    const cases = smsCases(true);
    expect(cases.filter((c) => c.index >= 0).length).toBeGreaterThanOrEqual(200);
    const failures: string[] = [];
    let pulled = 0;
    for (const c of cases) {
      refill();
      failures.push(...await runCase('sms-reply', smsReply, c, (root) => smsProblems(c, root, dequeued), 1));
      pulled += dequeued.length;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The fuzz reached the pulling path, not only the parser.
    expect(pulled).toBeGreaterThan(10);
  }, 60_000);
});

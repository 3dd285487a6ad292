/**
 * Per-route measurements: each route invoked in-process many times at every team size and queue length,
 * with the REST requests it makes timed at the stand-in. A case prepares the state the step expects
 * (a waiting caller, their stored record) directly in the stand-in, as earlier steps would have left it.
 */
import { handler as bridgeResult } from '../functions/bridge-result.protected';
import { handler as bridge } from '../functions/bridge.protected';
import { handler as holdKey } from '../functions/hold-key.protected';
import { handler as incomingCall } from '../functions/incoming-call.protected';
import { handler as queueResult } from '../functions/queue-result.protected';
import { handler as screen } from '../functions/screen.protected';
import { handler as smsReply } from '../functions/sms-reply.protected';
import { handler as voicemailDone } from '../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../functions/voicemail-saved.protected';
import { handler as voicemail } from '../functions/voicemail.protected';
import { handler as waitMusic } from '../functions/wait-music.protected';
import { INBOX_MAPS } from '../src/inbox-store';
import { textReference } from '../src/inbox-text';
import { callReference } from '../src/reference';
import { CallRecord, MAPS } from '../src/store';
import { describeRequest, kindOf, roundsOf, RouteCell, summarise } from './stats';
import { Handler, invokeTimed, Member, QUEUE_NAME, teamOf, twimlMessages, TWILIO_NUMBER, World } from './world';
import { segments, sequentialRounds } from '../sim/standin';

export const CALLER = { number: '+16175550101', name: 'JANE DOE', city: 'BOSTON', state: 'MA', country: 'US' };

export function recordingUrl(world: World): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${world.accountSid}/Recordings/RE${'f'.repeat(32)}`;
}

export interface Cell {
  world: World;
  team: Member[];
  queue: number;
  env: Record<string, string>;
}

export interface RouteCase {
  route: string;
  handler: Handler;
  /** Extra configuration for this case (e.g. caller-name lookup on). */
  env?: Record<string, string>;
  /** Set up the stand-in for one invocation and return Twilio's webhook parameters. */
  prepare: (cell: Cell) => Record<string, string>;
  /** A remark on a cell, shown under the table. */
  note?: (queue: number) => string | undefined;
}

/** A caller as /incoming-call stored them. */
export function storeCaller(world: World, callSid: string): CallRecord {
  const record: CallRecord = {
    callSid, reference: callReference(callSid), name: CALLER.name, number: CALLER.number,
    place: `${CALLER.city} ${CALLER.state} ${CALLER.country}`,
  };
  world.standIn.setSyncItem(MAPS.calls, record.reference, record);
  return record;
}

/**
 * The queue holds `length` callers, longest-waiting first; the first few have stored records as
 * /incoming-call leaves them. `last`, when given, is the newest caller. References are kept distinct
 * so "Y 1234" means one caller.
 */
export function fillQueue(world: World, length: number, last?: string): string[] {
  const queue = world.standIn.queueNamed(QUEUE_NAME);
  queue.members = [];
  world.standIn.syncItems(MAPS.calls)?.clear();
  const taken = new Set(last === undefined ? [] : [callReference(last)]);
  const sids: string[] = [];
  const now = world.standIn.now();
  while (sids.length < length - (last === undefined ? 0 : 1)) {
    const sid = world.newCallSid();
    if (taken.has(callReference(sid))) continue;
    taken.add(callReference(sid));
    sids.push(sid);
  }
  if (last !== undefined) sids.push(last);
  sids.forEach((callSid, i) => {
    // Longest-waiting first: a second apart, the first in line waiting longest.
    queue.members.push({ callSid, enqueuedAt: now - (sids.length - i) * 1000 });
    if (i < 5 || callSid === last) storeCaller(world, callSid);
  });
  return sids;
}

function voiceParams(callSid: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CallSid: callSid, From: CALLER.number, To: TWILIO_NUMBER, Direction: 'inbound', CallStatus: 'in-progress',
    FromCity: CALLER.city, FromState: CALLER.state, FromCountry: CALLER.country, ...extra,
  };
}

function smsParams(from: string, body: string): Record<string, string> {
  return { MessageSid: `SM${'e'.repeat(32)}`, From: from, To: TWILIO_NUMBER, Body: body, NumMedia: '0', NumSegments: '1' };
}

function firstMember(cell: Cell): string {
  return cell.team[0]?.number ?? '';
}

const smsCase = (route: string, body: (cell: Cell, target: string) => string): RouteCase => ({
  route,
  handler: smsReply,
  prepare: (cell) => {
    const target = cell.world.newCallSid();
    fillQueue(cell.world, cell.queue, target);
    return smsParams(firstMember(cell), body(cell, target));
  },
});

/** A customer number no earlier sample used, so every sample starts from the state it names. */
let customers = 0;
function newCustomer(): string {
  customers += 1;
  return `+1212${String(5_000_000 + customers)}`;
}

/** A customer who already has a conversation, with `forwarded` of the hour's forwarding slots taken. */
function existingCustomer(world: World, forwarded: number): { number: string; reference: string } {
  const number = newCustomer();
  const reference = textReference(number, 0);
  world.standIn.setSyncItem(INBOX_MAPS.claims, `num-${number}`, { reference, number });
  world.standIn.setSyncItem(INBOX_MAPS.claims, `ref-${reference}`, { number });
  world.standIn.setSyncItem(INBOX_MAPS.conversations, `last-${reference}`, { at: Date.now(), who: number });
  world.standIn.setSyncItem(INBOX_MAPS.conversations, `answered-${reference}`, { at: 0 });
  for (let slot = 1; slot <= forwarded; slot += 1) world.standIn.setSyncItem(INBOX_MAPS.claims, `fwd-${reference}-${slot}`, { at: Date.now() });
  return { number, reference };
}

const customerCase = (route: string, forwarded: number | undefined): RouteCase => ({
  route,
  handler: smsReply,
  prepare: (cell) => {
    fillQueue(cell.world, cell.queue);
    const from = forwarded === undefined ? newCustomer() : existingCustomer(cell.world, forwarded).number;
    return smsParams(from, 'Hi, are you open on Saturday? We are four.');
  },
});

export const ROUTES: RouteCase[] = [
  {
    route: 'incoming-call',
    handler: incomingCall,
    prepare: (cell) => {
      fillQueue(cell.world, cell.queue);
      return voiceParams(cell.world.newCallSid(), { CallStatus: 'ringing' });
    },
  },
  {
    route: 'incoming-call (lookup on)',
    handler: incomingCall,
    env: { CALLER_NAME_LOOKUP: 'true' },
    prepare: (cell) => {
      fillQueue(cell.world, cell.queue);
      cell.world.standIn.callerNames.set(CALLER.number, CALLER.name);
      return voiceParams(cell.world.newCallSid(), { CallStatus: 'ringing' });
    },
  },
  {
    route: 'wait-music',
    handler: waitMusic,
    prepare: (cell) => {
      const q = String(cell.queue);
      return voiceParams(cell.world.newCallSid(), { QueueTime: '45', QueuePosition: q, CurrentQueueSize: q, AvgQueueTime: '30', MaxQueueSize: '1000', QueueSid: `QU${'0'.repeat(32)}` });
    },
  },
  {
    route: 'hold-key (1: voicemail)',
    handler: holdKey,
    prepare: (cell) => voiceParams(cell.world.newCallSid(), { Digits: '1', QueueTime: '35' }),
  },
  {
    route: 'hold-key (2: callback)',
    handler: holdKey,
    prepare: (cell) => {
      const callSid = cell.world.newCallSid();
      fillQueue(cell.world, cell.queue, callSid);
      return voiceParams(callSid, { Digits: '2', QueueTime: '35' });
    },
  },
  {
    route: 'queue-result (hangup)',
    handler: queueResult,
    prepare: (cell) => {
      const callSid = cell.world.newCallSid();
      fillQueue(cell.world, cell.queue, callSid);
      cell.world.standIn.removeMember(callSid);
      return voiceParams(callSid, { QueueResult: 'hangup', QueueTime: '30', CallStatus: 'completed' });
    },
  },
  smsCase('sms-reply (Y with ref)', (_, target) => `Y ${callReference(target)}`),
  smsCase('sms-reply (bare Y)', () => 'Y'),
  {
    ...smsCase('sms-reply (bare N, several waiting)', () => 'N'),
    note: (queue) => (queue === 1 ? 'With one caller waiting a bare N pulls that caller to voicemail (nothing to choose from).' : undefined),
  },
  smsCase('sms-reply (STATUS)', () => 'STATUS'),
  {
    route: 'sms-reply (R answer to a customer)',
    handler: smsReply,
    prepare: (cell) => {
      fillQueue(cell.world, cell.queue);
      const { reference } = existingCustomer(cell.world, 1);
      return smsParams(firstMember(cell), `R ${reference} Yes, 9 to 5 on Saturday.`);
    },
  },
  customerCase('sms-reply customer text (new customer)', undefined),
  customerCase('sms-reply customer text (2nd this hour)', 1),
  customerCase('sms-reply customer text (5th this hour, the limit)', 4),
  {
    route: 'bridge',
    handler: bridge,
    prepare: (cell) => voiceParams(cell.world.newCallSid(), { member: firstMember(cell) }),
  },
  {
    route: 'screen (announce)',
    handler: screen,
    prepare: (cell) => {
      const caller = cell.world.newCallSid();
      fillQueue(cell.world, cell.queue, caller);
      cell.world.standIn.removeMember(caller);
      return { CallSid: cell.world.newCallSid(), From: TWILIO_NUMBER, To: firstMember(cell), caller, member: firstMember(cell) };
    },
  },
  {
    route: 'screen (1 pressed)',
    handler: screen,
    prepare: (cell) => {
      const caller = cell.world.newCallSid();
      return { CallSid: cell.world.newCallSid(), From: TWILIO_NUMBER, To: firstMember(cell), caller, member: firstMember(cell), Digits: '1' };
    },
  },
  {
    route: 'bridge-result (not bridged)',
    handler: bridgeResult,
    prepare: (cell) => {
      const callSid = cell.world.newCallSid();
      fillQueue(cell.world, cell.queue, callSid);
      cell.world.standIn.removeMember(callSid);
      return voiceParams(callSid, { member: firstMember(cell), DialCallStatus: 'no-answer', DialBridged: 'false', DialCallSid: cell.world.newCallSid() });
    },
  },
  {
    route: 'voicemail',
    handler: voicemail,
    prepare: (cell) => voiceParams(cell.world.newCallSid()),
  },
  {
    route: 'voicemail-done',
    handler: voicemailDone,
    prepare: (cell) => voiceParams(cell.world.newCallSid(), { RecordingUrl: recordingUrl(cell.world), RecordingDuration: '25', RecordingSid: `RE${'f'.repeat(32)}`, Digits: '#' }),
  },
  {
    route: 'voicemail-saved',
    handler: voicemailSaved,
    prepare: (cell) => {
      const callSid = cell.world.newCallSid();
      fillQueue(cell.world, cell.queue, callSid);
      cell.world.standIn.removeMember(callSid);
      return {
        CallSid: callSid, AccountSid: cell.world.accountSid, RecordingSid: `RE${'f'.repeat(32)}`, RecordingUrl: recordingUrl(cell.world),
        RecordingStatus: 'completed', RecordingDuration: '25', RecordingChannels: '1', RecordingSource: 'RecordVerb',
      };
    },
  },
];

/** Invoke one route `reps` times (after a warm-up) in one world and summarise. */
export async function measureCell(world: World, routeCase: RouteCase, teamSize: number, queue: number, reps: number): Promise<RouteCell> {
  world.reset();
  const team = teamOf(teamSize);
  const cell: Cell = { world, team, queue, env: world.env(team, routeCase.env) };
  const times: number[] = [];
  const rounds: number[] = [];
  const requests: number[] = [];
  const roundDetail: Set<string>[] = [];
  const maxSegments: Record<string, number> = {};
  const segmentsSent: number[] = [];
  const syncRequests: number[] = [];
  const texts = (list: { body: string; via: 'REST' | 'TwiML'; to: string | undefined }[]): void => {
    for (const t of list) {
      const kind = kindOf(t.body, t.via, t.to);
      maxSegments[kind] = Math.max(maxSegments[kind] ?? 0, segments(t.body));
    }
  };
  for (let i = 0; i <= reps; i += 1) {
    const params = routeCase.prepare(cell);
    world.standIn.resetLog();
    const { ms, xml } = await invokeTimed(routeCase.handler, cell.env, params);
    if (i === 0) continue;
    times.push(ms);
    rounds.push(sequentialRounds(world.standIn.requests));
    requests.push(world.standIn.requests.length);
    roundsOf(world.standIn.requests).forEach((round, depth) => {
      const seen = roundDetail[depth] ?? new Set<string>();
      roundDetail[depth] = seen;
      for (const r of round) seen.add(describeRequest(r));
    });
    texts(world.standIn.messages.map((m) => ({ body: m.body, via: 'REST', to: m.to })));
    texts(twimlMessages(xml).map((m) => ({ ...m, via: 'TwiML' })));
    segmentsSent.push([...world.standIn.messages, ...twimlMessages(xml)].reduce((n, m) => n + segments(m.body), 0));
    syncRequests.push(world.standIn.requests.filter((r) => r.host.startsWith('sync.')).length);
  }
  const sortedMedian = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const note = routeCase.note?.(queue);
  return {
    route: routeCase.route, team: teamSize, queue, time: summarise(times),
    rounds: { median: sortedMedian(rounds), max: Math.max(0, ...rounds) },
    restRequests: { median: sortedMedian(requests), max: Math.max(0, ...requests) },
    roundDetail: roundDetail.map((seen) => [...seen].sort()),
    maxSegments,
    billed: { segmentsSent: sortedMedian(segmentsSent), syncRequests: sortedMedian(syncRequests) },
    ...(note === undefined ? {} : { note }),
  };
}

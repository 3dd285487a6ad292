/**
 * The bench's measuring code: percentiles, REST round counting, the WAV length, the report's marks,
 * and a few real measurements at low latency whose counts are known from the code. Nothing here is timed
 * against a limit: only counts and the arithmetic are asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureOutcome } from '../../bench/outcomes';
import { measureCell, ROUTES } from '../../bench/routes';
import {
  describeRequest, median, OutcomeRow, percentile, renderRoutes, renderTargets, roundsOf, RouteCell, summarise, wavDurationSeconds,
} from '../../bench/stats';
import { World } from '../../bench/world';
import { RecordedRequest, sequentialRounds } from '../../sim/standin';
import { checkTargets, compareOutcomes, parseArgs, ROUTE_TARGETS, tasksFor } from '../../bench/bench';
import { TRIVIAL_FILE } from '../../bench/load';
import { PRICED_TEXT_ROUTES } from '../../bench/cost';
import { RANDOM_RUN_CALLS, randomRunTargets } from '../../bench/randomized';
import type { ProfileResult } from '../../sim/profiles';

const request = (start: number, end: number, path = '/x', host = 'api.twilio.com', method = 'GET'): RecordedRequest =>
  ({ method, host, path, params: {}, start, end, status: 200 });

describe('statistics', () => {
  it('median and nearest-rank p95', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(summarise([2, 9, 4])).toEqual({ samples: 3, medianMs: 4, p95Ms: 9, minMs: 2, maxMs: 9 });
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('REST rounds', () => {
  it('parallel requests share a round; one that starts after another was answered is the next round', () => {
    const parallel = [request(0, 100), request(1, 101)];
    const after = request(102, 200);
    const overlapping = request(150, 250);
    expect(sequentialRounds(parallel)).toBe(1);
    expect(roundsOf([after, ...parallel]).map((r) => r.length)).toEqual([2, 1]);
    expect(roundsOf([...parallel, after, overlapping]).map((round) => round.length)).toEqual([2, 2]);
    expect(roundsOf([...parallel, after, request(201, 300)])).toHaveLength(sequentialRounds([...parallel, after, request(201, 300)]));
    expect(roundsOf([])).toEqual([]);
  });

  it('labels requests without SIDs, numbers or keys', () => {
    expect(describeRequest(request(0, 1, '/v1/Services/default/Maps/pull-phone-calls/Items/1234', 'sync.twilio.com')))
      .toBe('GET sync/Maps/pull-phone-calls/Items/…');
    expect(describeRequest(request(0, 1, `/2010-04-01/Accounts/AC${'1'.repeat(32)}/Queues/QU${'2'.repeat(32)}/Members/CA${'3'.repeat(32)}.json`, 'api.twilio.com', 'POST')))
      .toBe('POST api/Queues/QU…/Members/CA….json');
    expect(describeRequest(request(0, 1, '/v2/PhoneNumbers/+16175550101', 'lookups.twilio.com'))).toBe('GET lookups/v2/PhoneNumbers/…');
  });
});

describe('hold loop length', () => {
  it('reads the duration from the WAV header: the committed hold music is a 40 s loop', () => {
    expect(wavDurationSeconds(readFileSync(join(__dirname, '..', '..', 'assets', 'hold-music.wav')))).toBeCloseTo(40, 3);
  });

  it('a made-up 2 s, 16 kB/s WAV measures 2 s; anything else is refused', () => {
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + 32000, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt32LE(16000, 28);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(32000, 40);
    expect(wavDurationSeconds(Buffer.concat([header, Buffer.alloc(32000)]))).toBe(2);
    expect(() => wavDurationSeconds(Buffer.from('not a wav file at all'))).toThrow(/RIFF/);
  });
});

const cell = (route: string, team: number, queue: number, rounds: number, extra: Partial<RouteCell> = {}): RouteCell => ({
  route, team, queue, time: summarise([100, 110, 250]), rounds: { median: rounds, max: rounds }, restRequests: { median: 3, max: 3 },
  roundDetail: [], maxSegments: {}, ...extra,
});

describe('report', () => {
  it('one row per route and team, a column per queue length, and the target marked with the worst rounds', () => {
    const lines = renderRoutes([
      cell('sms-reply (STATUS)', 5, 1, 3), cell('sms-reply (STATUS)', 5, 1000, 5, { note: 'big queue' }),
      cell('bridge', 5, 1, 0),
    ], ROUTE_TARGETS);
    expect(lines[0]).toBe('| Route | Team | Queue 1: median / p95 ms · rounds | Queue 1000: median / p95 ms · rounds | REST requests | Target |');
    expect(lines[2]).toBe('| sms-reply (STATUS) | 5 | 110 / 250 · 3 | 110 / 250 · 5 (*) | 3 | ❌ 5 rounds (median) |');
    expect(lines[3]).toBe('| bridge | 5 | 110 / 250 · 0 | – | 3 |  |');
    expect(lines[4]).toBe('\\* big queue');
  });

  it('targets say which are met, with figure and threshold, and a missed one is marked ❌', () => {
    const routes = [
      cell('incoming-call', 1, 1, 2, { roundDetail: [['GET sync/Maps/pull-phone-team/Items'], ['POST api/Messages.json']] }),
      cell('incoming-call (lookup on)', 1, 1, 2, { roundDetail: [['GET lookups/v2/PhoneNumbers/…'], ['POST api/Messages.json']] }),
      cell('sms-reply (bare Y)', 1, 1, 3), cell('wait-music', 1, 1, 0, { restRequests: { median: 0, max: 0 } }),
    ];
    const outcomes: OutcomeRow[] = [{
      outcome: 'voicemail', lookup: true, team: 1, steps: ['incoming-call'], restRequests: 4, lookups: 1, segments: { rest: 3, twiml: 0 }, syncOperations: 2,
      texts: [{ kind: 'new call', via: 'REST', segments: 1, length: 120 }, { kind: 'voicemail notice', via: 'REST', segments: 2, length: 200 }],
    }];
    const load = [
      { file: 'a.js', cold: summarise([95]), ownCode: summarise([1]), ratio: 95 / 30 },
      { file: TRIVIAL_FILE, cold: summarise([30]), ownCode: summarise([1]), ratio: 1 },
    ];
    const told = [{ team: 1, first: 1, last: 1, lastMembers: ['M1'] }, { team: 20, first: 1, last: 25, lastMembers: ['M3'] }];
    const checks = checkTargets(routes, outcomes, { musicSeconds: 40, invocationsPerMinute: 1.5 }, load, told, { segmentsPerSecond: 1, senders: 1 });
    expect(checks.map((c) => c.ok)).toEqual([false, true, true, true, true, false, false, true, false]);
    expect(checks[0]?.threshold).toBe('1 round');
    expect(checks[5]?.measured).toBe('voicemail notice: 2; 1: new call');
    expect(checks[6]?.measured).toBe('1 of 1 over; slowest a.js 3.17× (fastest load 95.0 ms vs 30.0 ms)');
    expect(checks[8]?.measured).toBe('1.0 / 25.0');
    expect(checks[8]?.threshold).toMatch(/^1\.5 \/ 20\.5 /);
    expect(renderTargets(checks)[0]).toBe('| Target | Figure | Threshold | Met | Note |');
    expect(renderTargets(checks)[3]).toMatch(/^\| \/incoming-call \(lookup on\): one bounded lookup.* \| ✔ \|/);
  });

  it('a Messaging Service pool divides the time until the last member is told', () => {
    const told = [{ team: 20, first: 1, last: 5, lastMembers: ['M3'] }];
    const pooled = checkTargets([], [], { musicSeconds: 40, invocationsPerMinute: 1.5 }, [], told, { segmentsPerSecond: 1, senders: 4 });
    expect(pooled.at(-1)).toMatchObject({ ok: true, threshold: '1.5 / 5.5 (one segment each at 1/s × 4 numbers)' });
  });
});

describe('command line', () => {
  it('defaults to the quick run at 100 ms latency and one process per CPU; --full and flags override', () => {
    expect(parseArgs([], 2)).toMatchObject({ latencyMs: 100, reps: 3, processes: 2, full: false, worker: false, segmentsPerSecond: 1, senders: 1 });
    expect(parseArgs(['--full'], 2)).toMatchObject({ reps: 20, full: true });
    expect(parseArgs(['--latency', '250', '--reps', '7', '--only', 'sms', '--senders', '3', '--sps', '10'], 2)).toMatchObject({ latencyMs: 250, reps: 7, only: 'sms', senders: 3, segmentsPerSecond: 10 });
    expect(() => parseArgs(['--latency', 'fast'])).toThrow(/--latency/);
    expect(() => parseArgs(['--reps', '0'])).toThrow(/at least 1/);
    expect(() => parseArgs(['--fast'])).toThrow(/Unknown option/);
    // --full plays the randomized run, 500 calls a profile unless --calls says otherwise; --calls alone is refused.
    expect(parseArgs(['--full'], 2)).toMatchObject({ calls: RANDOM_RUN_CALLS });
    expect(parseArgs(['--full', '--calls', '40'], 2)).toMatchObject({ calls: 40 });
    expect(() => parseArgs(['--calls', '40'])).toThrow(/only --full/);
  });

  it('the randomized run\'s figures are targets: all zero and every function under 8 s, or the target is missed', () => {
    const figures = { calls: 500, outcomes: { connected: 300 }, callersLost: 0, doublePulls: 0, toldTheirsNotGot: 0, wrongNotices: 0, invalidAnswers: 0, overlongWaits: 0, longestFunctionMs: 900 };
    const result = (profile: ProfileResult['profile'], f: Partial<typeof figures>): ProfileResult => ({ profile, figures: { ...figures, ...f }, runs: [], realSeconds: 1 });
    const [clean, lost, slow, empty] = randomRunTargets([result('current', {}), result('random', { callersLost: 1 }), result('worst', { longestFunctionMs: 8000 }), result('worst', { calls: 0 })]);
    expect(clean).toMatchObject({ ok: true, threshold: 'all 0; under 8 s' });
    expect(clean?.measured).toMatch(/^500 calls: lost 0, double pulls 0, .* longest function 0\.9 s$/);
    expect(lost).toMatchObject({ ok: false, note: 'callers lost: 1' });
    expect(slow?.ok).toBe(false);
    expect(empty?.ok).toBe(false);
  });

  it('measures every route once at each team size 1, 5, 20 and queue length 1, 100, 1000', () => {
    const tasks = tasksFor({ reps: 3, only: undefined });
    expect(tasks).toHaveLength(ROUTES.length * 9);
    expect(new Set(tasks.map((t) => `${t.route} ${t.team} ${t.queue}`)).size).toBe(tasks.length);
    expect(new Set(tasks.map((t) => t.queue))).toEqual(new Set([1, 100, 1000]));
    expect(new Set(tasks.map((t) => t.team))).toEqual(new Set([1, 5, 20]));
    // The member commands (Y with a reference, bare Y, bare N, STATUS, R) and three customer texts.
    expect(tasksFor({ reps: 3, only: 'sms-reply' })).toHaveLength(8 * 9);
    expect(tasksFor({ reps: 3, only: 'customer text' })).toHaveLength(3 * 9);
    // The quick run: the smallest and largest team and queue.
    // The quick run: the smallest and largest team and queue; the routes a customer text costs at every team size.
    const quick = tasksFor({ reps: 3, only: undefined, full: false });
    expect(quick).toHaveLength(ROUTES.length * 4 + PRICED_TEXT_ROUTES.length * 2);
    expect(new Set(quick.filter((t) => !PRICED_TEXT_ROUTES.includes(t.route)).map((t) => `${t.team} ${t.queue}`))).toEqual(new Set(['1 1', '1 1000', '20 1', '20 1000']));
    for (const route of PRICED_TEXT_ROUTES) expect(new Set(quick.filter((t) => t.route === route).map((t) => t.team))).toEqual(new Set([1, 5, 20]));
  });
});

describe('measuring the real handlers (20 ms REST latency)', () => {
  let world: World;
  beforeAll(async () => {
    // The functions log each step; not what these tests are about.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    world = await World.open(1, 20);
  });
  afterAll(async () => {
    await world.close();
    jest.restoreAllMocks();
  });
  const routeCase = (name: string): (typeof ROUTES)[number] => {
    const found = ROUTES.find((r) => r.route === name);
    if (found === undefined) throw new Error(`no route ${name}`);
    return found;
  };

  it('/incoming-call with a team of 5: one round, the 5 texts and the caller record in parallel', async () => {
    // 150 ms, not 20: requests started together must still overlap when two test workers share a busy machine.
    world.standIn.latencyMs = 150;
    let result;
    try {
      result = await measureCell(world, routeCase('incoming-call'), 5, 1, 2);
    } finally {
      world.standIn.latencyMs = 20;
    }
    expect(result.time.samples).toBe(2);
    expect(result.rounds).toEqual({ median: 1, max: 1 });
    expect(result.restRequests.max).toBe(6);
    expect(result.roundDetail).toEqual([['POST api/Messages.json', 'POST sync/Maps/pull-phone-calls/Items']]);
    expect(result.time.medianMs).toBeGreaterThanOrEqual(20);
    expect(result.maxSegments).toEqual({ 'new call': 1 });
  });

  it('/sms-reply Y with a reference among 100 waiting: four rounds (the Sync claim, then the dequeue), and no REST at all for /wait-music', async () => {
    const pull = await measureCell(world, routeCase('sms-reply (Y with ref)'), 5, 100, 1);
    expect(pull.rounds.max).toBe(4);
    expect(pull.roundDetail[3]).toEqual(['POST api/Queues/QU…/Members/CA….json']);
    const wait = await measureCell(world, routeCase('wait-music'), 5, 100, 1);
    expect(wait.restRequests.max).toBe(0);
  });

  it('a missed call: four invocations (the last the number status callback); lookup only when enabled; one text per member', async () => {
    const off = await measureOutcome(world, 'missed', 2, false);
    expect(off.steps).toEqual(['incoming-call', 'wait-music', 'queue-result', 'call-status']);
    expect(off.lookups).toBe(0);
    expect(off.texts.map((t) => t.kind).sort()).toEqual(['missed notice', 'missed notice', 'new call', 'new call']);
    const on = await measureOutcome(world, 'missed', 2, true);
    expect(on.lookups).toBe(1);
    expect(on.restRequests).toBe(off.restRequests + 1);
  });
});

describe('cross-checking two ways of counting a call', () => {
  const row = (restRequests: number): OutcomeRow => ({
    outcome: 'missed', lookup: false, team: 5, steps: ['incoming-call', 'wait-music', 'queue-result'], restRequests, lookups: 0, segments: { rest: 10, twiml: 0 }, texts: [], syncOperations: 3,
  });
  it('agreeing counts give no differences; a differing one is named', () => {
    expect(compareOutcomes([row(14)], [row(14)])).toEqual([]);
    expect(compareOutcomes([row(14)], [row(15)])).toEqual(['missed, team 5, lookup off: REST requests 14 vs 15']);
    expect(compareOutcomes([row(14)], [])).toEqual(['missed, team 5, lookup off: missing']);
  });
});

/**
 * npm run bench — how fast each step answers Twilio, how many REST rounds it waits for, what a call
 * costs in invocations, requests, texts and lookups, and how fast each built function loads.
 * Twilio is the loopback stand-in (sim/standin.ts) with latency injected on every REST request.
 *
 *   npm run bench -- --latency 100 --reps 20 --processes 2 --concurrency 4 --load-runs 5
 *
 * The per-route matrix runs in worker processes (this same file with --worker); whole calls run in the
 * call simulator (twilio-run), cross-checked by chaining the handlers in-process; cold loads run last,
 * one fresh node at a time. Prints the markdown report and writes bench-results/bench.json and bench.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs as parseCli } from 'node:util';
import { measureLoads, TRIVIAL_FILE } from './load';
import { measureOutcome, OutcomeName, OUTCOMES } from './outcomes';
import { ROUTES } from './routes';
import { BenchReport, HoldFigures, LoadRow, OutcomeRow, renderReport, renderRoutes, RouteCell, TargetCheck, wavDurationSeconds } from './stats';
import { Simulated, simulateOutcomes, Throughput, TimeToKnow } from './simulated';
import { runInWorkers, serveAsWorker, Task } from './workers';
import { World } from './world';
import { PRICED_TEXT_ROUTES, renderCost, renderCustomerTextCost } from './cost';
import { PRICES, PRICES_AS_OF } from './prices';
import { playRandomRun, RANDOM_RUN_CALLS, RANDOM_RUN_SEED, randomRunTargets, renderRandomRun } from './randomized';
import type { ProfileResult } from '../sim/profiles';

export const TEAM_SIZES = [1, 5, 20] as const;
export const QUEUE_LENGTHS = [1, 100, 1000] as const;
const MAX_HOLD_INVOCATIONS_PER_MINUTE = 2;
/** Round 1 queue ∥ paused ∥ details, 2 members ∥ outcome ∥ pull, 3 the Sync pull claim, 4 the dequeue. */
const SMS_ROUNDS_LIMIT = 4;

export interface Options {
  latencyMs: number;
  reps: number;
  /** Worker processes (default: one per CPU). */
  processes: number;
  /** Cells each process measures at once. */
  concurrency: number;
  loadRuns: number;
  /** The long version: more repetitions, lookups simulated at every team size, and the randomized run of whole calls. */
  full: boolean;
  /** Calls a profile of the randomized run plays (--full only). */
  calls: number;
  out: string;
  /** Measure only the routes whose name contains this, print their table and stop. */
  only: string | undefined;
  /** SMS throughput for "time to know": segments per second per sending number, and numbers in the sender pool. */
  segmentsPerSecond: number;
  senders: number;
  worker: boolean;
}

const USAGE = 'options: --full, --calls n (randomized calls a profile, with --full), --latency ms, --reps n, --processes n, --concurrency n, --load-runs n, --out dir, --only route, --sps n (segments/s per number), --senders n';

/** The quick default keeps `npm run bench` under a minute on 2 cores; --full is the long, steadier version. */
const QUICK = { reps: 3, loadRuns: 5 };
const FULL = { reps: 20, loadRuns: 9 };

export function parseArgs(argv: readonly string[], cpuCount = cpus().length): Options {
  let parsed;
  try {
    parsed = parseCli({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        full: { type: 'boolean', default: false },
        calls: { type: 'string' },
        worker: { type: 'boolean', default: false },
        latency: { type: 'string' }, reps: { type: 'string' }, processes: { type: 'string' }, concurrency: { type: 'string' },
        'load-runs': { type: 'string' }, out: { type: 'string' }, only: { type: 'string' }, sps: { type: 'string' }, senders: { type: 'string' },
      },
    });
  } catch (error) {
    throw new Error(`bench: ${error instanceof Error ? error.message : String(error)} (${USAGE})`, { cause: error });
  }
  const { values } = parsed;
  const preset = values.full ? FULL : QUICK;
  const count = (flag: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`bench: --${flag} takes a number, not "${value}" (${USAGE})`);
    return Number(value);
  };
  const options: Options = {
    latencyMs: count('latency', values.latency, 100),
    reps: count('reps', values.reps, preset.reps),
    processes: count('processes', values.processes, Math.max(1, cpuCount)),
    concurrency: count('concurrency', values.concurrency, 4),
    loadRuns: count('load-runs', values['load-runs'], preset.loadRuns),
    full: values.full,
    calls: count('calls', values.calls, RANDOM_RUN_CALLS),
    out: values.out ?? 'bench-results',
    only: values.only,
    segmentsPerSecond: count('sps', values.sps, 1),
    senders: count('senders', values.senders, 1),
    worker: values.worker,
  };
  if (values.calls !== undefined && !options.full) throw new Error(`bench: --calls sets the randomized run, which only --full plays (${USAGE})`);
  if (options.reps < 1 || options.calls < 1 || options.processes < 1 || options.concurrency < 1 || options.loadRuns < 1 || options.senders < 1 || options.segmentsPerSecond <= 0) {
    throw new Error('bench: --reps, --processes, --concurrency, --load-runs and --senders must be at least 1, --sps above 0');
  }
  return options;
}

/** A customer's text: its rounds do not grow with the team, only with the texts already forwarded from them this hour. */
const CUSTOMER_TEXT = 'sms-reply customer text';
function customerTextRounds(route: string): number {
  const nth = /\((\d+)\w* this hour/.exec(route)?.[1];
  // First text: conversation read, reference claim, then the slot with the rest; later ones: one write per slot taken.
  return nth === undefined ? 3 : 1 + Number(nth);
}

/** Route targets shown in the per-route table, by route name. */
export const ROUTE_TARGETS = new Map<string, (cell: RouteCell) => boolean>([
  ['incoming-call', (c) => c.rounds.median <= 1],
  ['incoming-call (lookup on)', (c) => c.rounds.median <= 2],
  ['wait-music', (c) => c.restRequests.max === 0],
  ...ROUTES.filter((r) => r.route.startsWith('sms-reply (')).map((r): [string, (cell: RouteCell) => boolean] => [r.route, (c) => c.rounds.median <= SMS_ROUNDS_LIMIT]),
  ...ROUTES.filter((r) => r.route.startsWith(CUSTOMER_TEXT)).map((r): [string, (cell: RouteCell) => boolean] => [r.route, (c) => c.rounds.median <= customerTextRounds(r.route)]),
]);

const PREPARATION = ['GET lookups/v2/PhoneNumbers/…'];
/** A built function may take this many times the trivial function's load time (bench/load.ts). */
export const LOAD_RATIO_LIMIT = 2;
/** Slack on "time to know" for the simulator's own steps (webhook, TwiML) on the virtual clock. */
const TOLD_SLACK_SECONDS = 0.5;

export function checkTargets(
  routes: readonly RouteCell[], outcomes: readonly OutcomeRow[], hold: HoldFigures, load: readonly LoadRow[],
  told: readonly TimeToKnow[] = [], throughput: Throughput = { segmentsPerSecond: 1, senders: 1 },
): TargetCheck[] {
  const incoming = routes.filter((c) => c.route === 'incoming-call');
  // Rounds are held at each cell's median: with cells measured side by side on a busy machine, a request can reach
  // the stand-in after another's answer although both left together, so the max over-counts now and then.
  const incomingRounds = Math.max(...incoming.map((c) => c.rounds.median));
  const lookupOn = routes.filter((c) => c.route === 'incoming-call (lookup on)');
  const lookupRounds = Math.max(...lookupOn.map((c) => c.rounds.median));
  const firstRound = [...new Set(lookupOn.flatMap((c) => c.roundDetail[0] ?? []))].sort();
  const laterRounds = [...new Set([...incoming, ...lookupOn].flatMap((c) => (c.route === 'incoming-call' ? c.roundDetail : c.roundDetail.slice(1)).flat()))].sort();
  const sms = routes.filter((c) => c.route.startsWith('sms-reply ('));
  const customer = routes.filter((c) => c.route.startsWith(CUSTOMER_TEXT));
  const customerOver = customer.filter((c) => c.rounds.median > customerTextRounds(c.route));
  const smsRounds = Math.max(...sms.map((c) => c.rounds.median));
  const wait = routes.filter((c) => c.route === 'wait-music');
  const waitRequests = Math.max(...wait.map((c) => c.restRequests.max));

  const segmentsByKind = new Map<string, number>();
  const note = (kind: string, n: number): void => { segmentsByKind.set(kind, Math.max(segmentsByKind.get(kind) ?? 0, n)); };
  for (const c of routes) for (const [kind, n] of Object.entries(c.maxSegments)) note(kind, n);
  for (const o of outcomes) for (const t of o.texts) note(t.kind, t.segments);
  const long = [...segmentsByKind].filter(([, n]) => n > 1);
  const functions = load.filter((r) => r.file !== TRIVIAL_FILE);
  const trivial = load.find((r) => r.file === TRIVIAL_FILE);
  const slowest = functions.reduce<LoadRow | undefined>((a, r) => (a === undefined || r.ratio > a.ratio ? r : a), undefined);
  const over = functions.filter((r) => !(r.ratio <= LOAD_RATIO_LIMIT)).length;
  const segmentSeconds = 1 / throughput.segmentsPerSecond;

  const checks: TargetCheck[] = [
    {
      target: '/incoming-call (lookup off): REST rounds before the TwiML, whatever the team size',
      measured: `${incomingRounds} at teams ${[...new Set(incoming.map((c) => c.team))].join(', ')}: ${laterRounds.join(' ∥ ')}`,
      threshold: '1 round',
      ok: incomingRounds <= 1,
      note: 'Who paused comes with the webhook (the number\'s voice URL, src/paused.ts): nothing is read before the texts.',
    },
    {
      target: '/incoming-call (lookup on): one bounded lookup, then the same one round',
      measured: `${lookupRounds} rounds; round 1: ${firstRound.join(' ∥ ') || 'none'}`,
      threshold: '2 rounds, round 1 only the lookup (bounded to 1.5 s)',
      ok: lookupRounds <= 2 && firstRound.every((r) => PREPARATION.includes(r)),
    },
    {
      target: '/sms-reply: REST rounds whatever the queue length and team size',
      measured: `at most ${smsRounds} (${[...new Set(sms.map((c) => c.route.replace('sms-reply ', '')))].join(', ')}; queues ${[...new Set(sms.map((c) => c.queue))].join(', ')})`,
      threshold: `${SMS_ROUNDS_LIMIT} rounds`,
      ok: smsRounds <= SMS_ROUNDS_LIMIT,
      note: 'Queue ∥ paused ∥ details, then members ∥ outcome ∥ pull, then the Sync claim, then the dequeue.',
    },
    ...(customer.length === 0 ? [] : [{
      target: '/sms-reply, a customer\'s text: REST rounds whatever the team size',
      measured: `${customerOver.length} of ${customer.length} cells over (${[...new Set(customer.map((c) => c.route.replace(`${CUSTOMER_TEXT} `, '')))].join(', ')})`,
      threshold: '3 for a first text; 1 + n for the n-th this hour',
      ok: customerOver.length === 0,
    }]),
    {
      target: '/wait-music: REST requests',
      measured: `${waitRequests}`,
      threshold: '0',
      ok: waitRequests === 0,
    },
    {
      target: 'Invocations per minute of hold',
      measured: `${hold.invocationsPerMinute.toFixed(2)} (one /wait-music per ${hold.musicSeconds.toFixed(1)} s of music)`
        + (hold.simulated === undefined ? '' : `; ${hold.simulated.perMinute.toFixed(2)} in a simulated ${Math.round(hold.simulated.holdSeconds / 60)}-minute hold`),
      threshold: `${MAX_HOLD_INVOCATIONS_PER_MINUTE}`,
      ok: Math.max(hold.invocationsPerMinute, hold.simulated?.perMinute ?? 0) <= MAX_HOLD_INVOCATIONS_PER_MINUTE,
    },
    {
      target: 'SMS segments per team notice and reply',
      measured: long.length === 0
        ? `all ${segmentsByKind.size} kinds: 1 (${[...segmentsByKind.keys()].sort().join(', ')})`
        : `${long.map(([kind, n]) => `${kind}: ${n}`).join('; ')}; 1: ${[...segmentsByKind].filter(([, n]) => n <= 1).map(([kind]) => kind).sort().join(', ')}`,
      threshold: '1 segment each',
      ok: long.length === 0 && segmentsByKind.size > 0,
      note: 'The voicemail notice carries a short per-member link to its page (issue 14), not the recording URL.',
    },
    {
      target: 'Cold load of each built function, over a trivial function built the same way in the same run',
      measured: slowest === undefined || trivial === undefined ? 'not measured'
        : `${over} of ${functions.length} over; slowest ${slowest.file} ${slowest.ratio.toFixed(2)}× (fastest load ${slowest.cold.minMs.toFixed(1)} ms vs ${trivial.cold.minMs.toFixed(1)} ms)`,
      threshold: `${LOAD_RATIO_LIMIT.toFixed(1)}× each`,
      ok: over === 0 && slowest !== undefined,
      note: 'Most of a load is twilio\'s TwiML builders, which the trivial function loads too.',
    },
  ];
  for (const t of told) {
    const lastLimit = Math.ceil(t.team / throughput.senders) * segmentSeconds + TOLD_SLACK_SECONDS;
    checks.push({
      target: `Time to know, team ${t.team}: seconds from arrival until the first / the last member has the text`,
      measured: `${t.first.toFixed(1)} / ${t.last.toFixed(1)}`,
      threshold: `${(segmentSeconds + TOLD_SLACK_SECONDS).toFixed(1)} / ${lastLimit.toFixed(1)} (one segment each at ${throughput.segmentsPerSecond}/s × ${throughput.senders} number${throughput.senders === 1 ? '' : 's'})`,
      ok: t.first <= segmentSeconds + TOLD_SLACK_SECONDS && t.last <= lastLimit,
    });
  }
  return checks;
}

/**
 * Every cell of the matrix, in a fixed shuffled order: cells measured at the same time slow each other a
 * little, and the shuffle spreads that evenly instead of, say, running every 1000-caller cell together.
 */
export function tasksFor(options: Pick<Options, 'reps' | 'only'> & { full?: boolean }): Task[] {
  // Rounds must not grow with team or queue: the quick run checks the smallest and largest of each, --full all nine.
  // The routes a customer text costs (PRICED_TEXT_ROUTES) run at every team size: the cost table has a column each.
  const teams = (route: string): readonly number[] => (options.full === false && !PRICED_TEXT_ROUTES.includes(route) ? [1, 20] : TEAM_SIZES);
  const queues: readonly number[] = options.full === false ? [1, 1000] : QUEUE_LENGTHS;
  const tasks = ROUTES.filter((r) => options.only === undefined || r.route.includes(options.only))
    .flatMap((r) => teams(r.route).flatMap((team) => queues.map((queue): Task => ({ route: r.route, team, queue, reps: options.reps }))));
  let seed = 2024;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = tasks.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [tasks[i], tasks[j]] = [tasks[j] as Task, tasks[i] as Task];
  }
  return tasks;
}

const HOLD_SECONDS = 600;
/** twilio-run servers the simulator starts at once (one per team size and lookup setting, and one for the long hold). */
const SIMULATOR_SERVERS = 3;

const COMMON_METHOD = 'The caller is pulled, presses a key or hangs up in the first hold loop (one /wait-music); every further loop adds one invocation (see Hold). '
  + 'SMS segments count the REST texts and the TwiML <Message> replies; lookups are those /incoming-call makes (no CallerName in the webhook).';
const SIMULATED_METHOD = 'Counted with the call simulator (sim/scenario.ts): the built functions served by twilio-run, Twilio\'s side played on a virtual clock, '
  + 'so every webhook Twilio would make is one invocation (the Enqueue action after a dequeue and the recording callback included). '
  + `Sync maps exist beforehand, as on an account that has taken calls; no REST latency (counts do not depend on it). ${COMMON_METHOD}`;
const CHAINED_METHOD = 'Counted by chaining the handlers in-process (bench/outcomes.ts), each step\'s URL taken from the TwiML of the one before, '
  + `as Twilio would request them; each handler invocation is one function invocation; no REST latency (counts do not depend on it). ${COMMON_METHOD}`;

export function sortOutcomes(rows: readonly OutcomeRow[]): OutcomeRow[] {
  const key = (r: OutcomeRow): string => `${OUTCOMES.indexOf(r.outcome as OutcomeName)}-${r.lookup ? 1 : 0}-${String(r.team).padStart(4, '0')}`;
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Where two ways of counting a call disagree, as "voicemail, team 5, lookup on: REST requests 15 vs 16". */
export function compareOutcomes(a: readonly OutcomeRow[], b: readonly OutcomeRow[]): string[] {
  const differences: string[] = [];
  for (const x of a) {
    const y = b.find((r) => r.outcome === x.outcome && r.team === x.team && r.lookup === x.lookup);
    const label = `${x.outcome}, team ${x.team}, lookup ${x.lookup ? 'on' : 'off'}`;
    if (y === undefined) {
      differences.push(`${label}: missing`);
      continue;
    }
    const pairs: [string, string, string][] = [
      ['steps', x.steps.join(' → '), y.steps.join(' → ')],
      ['REST requests', String(x.restRequests), String(y.restRequests)],
      ['lookups', String(x.lookups), String(y.lookups)],
      ['segments', `${x.segments.rest}+${x.segments.twiml}`, `${y.segments.rest}+${y.segments.twiml}`],
    ];
    for (const [what, p, q] of pairs) if (p !== q) differences.push(`${label}: ${what} ${p} vs ${q}`);
  }
  return differences;
}

/** Every outcome at every team size, lookup off and on, chained in-process; no latency (counts do not depend on it). */
async function chainOutcomes(): Promise<OutcomeRow[]> {
  const silenced = { log: console.log, error: console.error };
  console.log = () => undefined;
  console.error = () => undefined;
  const world = await World.open(1, 0);
  try {
    const rows: OutcomeRow[] = [];
    for (const outcome of OUTCOMES) {
      for (const team of TEAM_SIZES) for (const lookup of [false, true]) rows.push(await measureOutcome(world, outcome, team, lookup));
    }
    return rows;
  } finally {
    await world.close();
    console.log = silenced.log;
    console.error = silenced.error;
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.worker) {
    await serveAsWorker({ latencyMs: options.latencyMs, concurrency: options.concurrency });
    return;
  }
  const root = join(__dirname, '..', '..');
  const started = performance.now();
  const [loadAverage = 0] = loadavg();
  const print = (line: string): void => { process.stderr.write(`${line}\n`); };

  const tasks = tasksFor(options);
  print(`bench: ${tasks.length} route cells × ${options.reps} invocations; ${options.processes} processes × ${options.concurrency} cells at once; REST latency ${options.latencyMs} ms`);
  const workerArgs = ['--worker', '--latency', String(options.latencyMs), '--concurrency', String(options.concurrency)];
  const run = await runInWorkers(__filename, workerArgs, tasks, options.processes, (done) => {
    if (done % 25 === 0) print(`bench: ${done} of ${tasks.length} done`);
  });
  const order = (c: RouteCell): string => `${ROUTES.findIndex((r) => r.route === c.route).toString().padStart(3, '0')}-${String(c.team).padStart(4, '0')}-${String(c.queue).padStart(5, '0')}`;
  const routes = [...run.results].sort((a, b) => order(a).localeCompare(order(b)));
  if (options.only !== undefined) {
    process.stdout.write(`${renderRoutes(routes, ROUTE_TARGETS).join('\n')}\n`);
    return;
  }
  print(`bench: routes measured in ${((performance.now() - started) / 1000).toFixed(1)} s (the functions logged ${run.logLines} lines and ${run.errorLines} error lines, not shown); now whole calls in the simulator`);

  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const chained = sortOutcomes(await chainOutcomes());
  print(`bench: outcomes chained in-process by ${elapsed()}`);
  let outcomes = chained;
  let simulatedHold: Simulated['hold'] | undefined;
  let told: TimeToKnow[] = [];
  let outcomeMethod: string;
  let simulatorFailure: string | undefined;
  const throughput: Throughput = { segmentsPerSecond: options.segmentsPerSecond, senders: options.senders };
  try {
    // The quick run simulates lookup on at team 1 only (lookups do not depend on the team); --full at every size.
    const simulated = await simulateOutcomes(root, TEAM_SIZES, HOLD_SECONDS, SIMULATOR_SERVERS, throughput, options.full ? TEAM_SIZES : [1]);
    outcomes = sortOutcomes(simulated.rows);
    simulatedHold = simulated.hold;
    told = simulated.timeToKnow;
    const differences = compareOutcomes(simulated.rows, chained.filter((c) => simulated.rows.some((r) => r.team === c.team && r.lookup === c.lookup)));
    outcomeMethod = `${SIMULATED_METHOD} ${differences.length === 0
      ? `Cross-check: chaining the handlers in-process (bench/outcomes.ts) counts exactly the same for all ${simulated.rows.length} simulated combinations.`
      : `Cross-check: chaining the handlers in-process (bench/outcomes.ts) counts differently for ${differences.join('; ')}.`}`;
  } catch (error) {
    simulatorFailure = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    outcomeMethod = `${CHAINED_METHOD} (The call simulator could not be used: ${simulatorFailure}.)`;
    print(`bench: the simulator failed; per-outcome counts come from the in-process chain instead`);
  }
  print(`bench: whole calls simulated by ${elapsed()}; now loading each built function and the trivial yardstick in fresh node processes`);

  // One child at a time: two loading at once on two cores measured each load about twice as slow.
  const load = await measureLoads(root, options.loadRuns, 1);
  print(`bench: loads measured by ${elapsed()}`);
  const musicSeconds = wavDurationSeconds(readFileSync(join(root, 'assets', 'hold-music.wav')));
  const hold: HoldFigures = { musicSeconds, invocationsPerMinute: 60 / musicSeconds, ...(simulatedHold === undefined ? {} : { simulated: simulatedHold }) };
  const targets = checkTargets(routes, outcomes, hold, load, told, throughput);
  // --full: the randomized run of whole calls, its zero figures as targets.
  let randomized: ProfileResult[] = [];
  if (options.full) {
    try {
      randomized = await playRandomRun(root, options.calls, RANDOM_RUN_SEED, print);
      targets.push(...randomRunTargets(randomized));
    } catch (error) {
      targets.push({ target: 'The randomized run ran (--full)', measured: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error), threshold: 'ran', ok: false });
    }
  }
  if (simulatorFailure !== undefined) {
    targets.push({ target: 'The call simulator ran (time to know and the simulated counts need it)', measured: simulatorFailure, threshold: 'ran', ok: false });
  }
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage,
    latencyMs: options.latencyMs,
    reps: options.reps,
    processes: options.processes,
    concurrency: options.concurrency,
    wallSeconds: (performance.now() - started) / 1000,
    outcomeMethod,
    routes, outcomes, hold, load,
    targets,
  };
  const markdown = [
    renderReport(report, ROUTE_TARGETS, LOAD_RATIO_LIMIT),
    renderTimeToKnow(told, throughput),
    '', '## Cost per call', '', ...renderCost(outcomes, PRICES, musicSeconds, PRICES_AS_OF), '',
    '## Cost per customer text', '', ...renderCustomerTextCost(routes, PRICES), '',
    ...(randomized.length === 0 ? [] : ['## Randomized run (--full)', '', ...renderRandomRun(randomized, options.calls, RANDOM_RUN_SEED), '']),
    `Command: \`npm run bench${process.argv.slice(2).length === 0 ? '' : ` -- ${process.argv.slice(2).join(' ')}`}\` (${options.full ? 'full' : 'quick'} run). `
      + `Wall time ${report.wallSeconds.toFixed(1)} s; load average ${loadAverage.toFixed(2)} at the start on ${cpus().length} CPUs.`, '',
  ].join('\n');
  const out = join(process.cwd(), options.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify({ ...report, timeToKnow: told, throughput }, null, 2)}\n`);
  writeFileSync(join(out, 'bench.md'), markdown);
  process.stdout.write(markdown);
  const missed = targets.filter((t) => !t.ok);
  print(`bench: wrote ${join(options.out, 'bench.json')} and ${join(options.out, 'bench.md')} in ${report.wallSeconds.toFixed(1)} s`);
  print(missed.length === 0 ? `bench: all ${targets.length} targets met` : `bench: ${missed.length} of ${targets.length} targets missed: ${missed.map((t) => t.target).join('; ')}`);
  // A miss cannot hide behind a green exit.
  if (missed.length > 0) process.exitCode = 1;
}

/** Time to know, V7 modelled: the first and the last member told, at each team size. */
function renderTimeToKnow(rows: readonly TimeToKnow[], throughput: Throughput): string {
  if (rows.length === 0) return '';
  return [
    '', `## Time to know (V7: ${throughput.segmentsPerSecond} SMS segment${throughput.segmentsPerSecond === 1 ? '' : 's'} a second per sending number, ${throughput.senders} number${throughput.senders === 1 ? '' : 's'} sending)`, '',
    'Seconds from a caller\'s arrival until the first and the last member have the new-call text, worst of three calls, and who was last each time',
    '(recipients are rotated by CallSid, so nobody is always last). `--sps n` and `--senders n` model another rate or a Messaging Service pool.', '',
    '| Team | First member told (s) | Last member told (s) | Last, call by call |', '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.team} | ${r.first.toFixed(1)} | ${r.last.toFixed(1)} | ${r.lastMembers.join(', ')} |`),
  ].join('\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

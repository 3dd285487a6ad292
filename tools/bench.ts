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
import { measureLoads } from '../sim/bench-load';
import { measureOutcome, OutcomeName, OUTCOMES } from '../sim/bench-outcomes';
import { ROUTES } from '../sim/bench-routes';
import { BenchReport, HoldFigures, LoadRow, OutcomeRow, renderReport, renderRoutes, RouteCell, TargetCheck, wavDurationSeconds } from '../sim/bench-stats';
import { Simulated, simulateOutcomes } from '../sim/bench-simulated';
import { runInWorkers, serveAsWorker, Task } from '../sim/bench-workers';
import { World } from '../sim/bench-world';

export const TEAM_SIZES = [1, 5, 20] as const;
export const QUEUE_LENGTHS = [1, 100, 1000] as const;
const MAX_HOLD_INVOCATIONS_PER_MINUTE = 2;
const LOAD_LIMIT_MS = 20;
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
  out: string;
  /** Measure only the routes whose name contains this, print their table and stop. */
  only: string | undefined;
  worker: boolean;
}

const USAGE = 'options: --latency ms, --reps n, --processes n, --concurrency n, --load-runs n, --out dir, --only route';

export function parseArgs(argv: readonly string[], cpuCount = cpus().length): Options {
  const options: Options = {
    latencyMs: 100, reps: 20, processes: Math.max(1, cpuCount), concurrency: 4, loadRuns: 5, out: 'bench-results', only: undefined, worker: false,
  };
  const numeric: Record<string, 'latencyMs' | 'reps' | 'processes' | 'concurrency' | 'loadRuns'> = {
    '--latency': 'latencyMs', '--reps': 'reps', '--processes': 'processes', '--concurrency': 'concurrency', '--load-runs': 'loadRuns',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    const key = numeric[flag];
    if (flag === '--worker') {
      options.worker = true;
      continue;
    }
    if (flag === '--out' && value !== undefined) options.out = value;
    else if (flag === '--only' && value !== undefined) options.only = value;
    else if (key !== undefined && value !== undefined && /^\d+$/.test(value)) options[key] = Number(value);
    else throw new Error(`bench: unknown or incomplete option ${flag} (${USAGE})`);
    i += 1;
  }
  if (options.reps < 1 || options.processes < 1 || options.concurrency < 1 || options.loadRuns < 1) {
    throw new Error('bench: --reps, --processes, --concurrency and --load-runs must be at least 1');
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
  ['incoming-call', (c) => c.rounds.max <= 1],
  ['incoming-call (lookup on)', (c) => c.rounds.max <= 1],
  ['wait-music', (c) => c.restRequests.max === 0],
  ...ROUTES.filter((r) => r.route.startsWith('sms-reply (')).map((r): [string, (cell: RouteCell) => boolean] => [r.route, (c) => c.rounds.max <= SMS_ROUNDS_LIMIT]),
  ...ROUTES.filter((r) => r.route.startsWith(CUSTOMER_TEXT)).map((r): [string, (cell: RouteCell) => boolean] => [r.route, (c) => c.rounds.max <= customerTextRounds(r.route)]),
]);



const PREPARATION = ['GET sync/Maps/pull-phone-team/Items', 'GET lookups/v2/PhoneNumbers/…'];

export function checkTargets(routes: readonly RouteCell[], outcomes: readonly OutcomeRow[], hold: HoldFigures, load: readonly LoadRow[]): TargetCheck[] {
  const incoming = routes.filter((c) => c.route.startsWith('incoming-call'));
  const incomingRounds = Math.max(...incoming.map((c) => c.rounds.max));
  const firstRound = [...new Set(incoming.flatMap((c) => c.roundDetail[0] ?? []))].sort();
  const laterRounds = [...new Set(incoming.flatMap((c) => c.roundDetail.slice(1).flat()))].sort();
  const sms = routes.filter((c) => c.route.startsWith('sms-reply ('));
  const customer = routes.filter((c) => c.route.startsWith(CUSTOMER_TEXT));
  const customerByTeam = [...new Set(customer.map((c) => c.team))].map((team) => Math.max(...customer.filter((c) => c.team === team).map((c) => c.rounds.max)));
  const smsRounds = Math.max(...sms.map((c) => c.rounds.max));
  const wait = routes.filter((c) => c.route === 'wait-music');
  const waitRequests = Math.max(...wait.map((c) => c.restRequests.max));

  const segmentsByKind = new Map<string, number>();
  const note = (kind: string, n: number): void => { segmentsByKind.set(kind, Math.max(segmentsByKind.get(kind) ?? 0, n)); };
  for (const c of routes) for (const [kind, n] of Object.entries(c.maxSegments)) note(kind, n);
  for (const o of outcomes) for (const t of o.texts) note(t.kind, t.segments);
  const long = [...segmentsByKind].filter(([, n]) => n > 1);
  const slowest = load.reduce<LoadRow | undefined>((a, r) => (a === undefined || r.cold.medianMs > a.cold.medianMs ? r : a), undefined);
  const slowestOwn = Math.max(...load.map((r) => r.ownCode.medianMs));
  const over = load.filter((r) => r.cold.medianMs >= LOAD_LIMIT_MS).length;

  return [
    {
      target: '/incoming-call: one sequential round of REST requests, whatever the team size',
      measured: `${incomingRounds} rounds at teams ${[...new Set(incoming.map((c) => c.team))].join(', ')} (lookup off and on)`,
      ok: incomingRounds <= 1,
      note: 'The paused-members list is read from Sync (in parallel with the optional lookup) before the texts can go out.',
    },
    {
      target: '/incoming-call: … plus at most one bounded lookup (round 1 is only the bounded preparation)',
      measured: `round 1: ${firstRound.join(' ∥ ')}; then: ${laterRounds.join(' ∥ ')}`,
      ok: incomingRounds <= 2 && firstRound.every((r) => PREPARATION.includes(r)),
      note: 'Round 1 is bounded to 1.5 s (PREPARE_MS); texts and the caller record share round 2.',
    },
    {
      target: `/sms-reply: at most ${SMS_ROUNDS_LIMIT} rounds whatever the queue length and team size`,
      measured: `at most ${smsRounds} rounds (${[...new Set(sms.map((c) => c.route.replace('sms-reply ', '')))].join(', ')}; queues ${[...new Set(sms.map((c) => c.queue))].join(', ')})`,
      ok: smsRounds <= SMS_ROUNDS_LIMIT,
    },
    ...(customer.length === 0 ? [] : [{
      target: '/sms-reply, a customer\'s text: the same rounds at every team size (the team is texted in the TwiML answer)',
      measured: `at most ${customerByTeam.join(', ')} rounds at teams ${[...new Set(customer.map((c) => c.team))].join(', ')}; REST requests ${[...new Set(customer.map((c) => c.restRequests.max))].join(', ')}`,
      ok: new Set(customerByTeam).size === 1 && customer.every((c) => c.rounds.max <= customerTextRounds(c.route)),
      note: 'A first text makes the customer\'s reference (2 rounds) before the forwarding slot; a customer\'s n-th text this hour probes the n slots already taken, one write each.',
    }]),
    {
      target: '/wait-music: no REST requests',
      measured: `${waitRequests} requests`,
      ok: waitRequests === 0,
    },
    {
      target: `At most ${MAX_HOLD_INVOCATIONS_PER_MINUTE} invocations per minute of hold`,
      measured: `at most ${hold.invocationsPerMinute.toFixed(2)} per minute (one /wait-music per ${hold.musicSeconds.toFixed(1)} s of music)`
        + (hold.simulated === undefined ? '' : `; ${hold.simulated.perMinute.toFixed(2)} in a simulated ${Math.round(hold.simulated.holdSeconds / 60)}-minute hold`),
      ok: Math.max(hold.invocationsPerMinute, hold.simulated?.perMinute ?? 0) <= MAX_HOLD_INVOCATIONS_PER_MINUTE,
    },
    {
      target: 'Every notification one SMS segment',
      measured: long.length === 0
        ? `all ${segmentsByKind.size} kinds of text: 1 segment`
        : `${long.map(([kind, n]) => `${kind}: ${n} segments`).join('; ')}; 1 segment: ${[...segmentsByKind].filter(([, n]) => n <= 1).map(([kind]) => kind).sort().join(', ')}`,
      ok: long.length === 0,
      note: 'The voicemail notice carries a short link to its page (per member) instead of the recording URL.',
    },
    {
      target: `Each built function loads in under ${LOAD_LIMIT_MS} ms`,
      measured: slowest === undefined ? 'no files' : `${over} of ${load.length} over; slowest ${slowest.file} ${slowest.cold.medianMs.toFixed(1)} ms`,
      ok: over === 0,
      note: `Most of it is loading twilio's TwiML builders (the REST client loads on first use); with twilio already loaded the slowest file takes ${slowestOwn.toFixed(1)} ms.`,
    },
  ];
}

/**
 * Every cell of the matrix, in a fixed shuffled order: cells measured at the same time slow each other a
 * little, and the shuffle spreads that evenly instead of, say, running every 1000-caller cell together.
 */
export function tasksFor(options: Pick<Options, 'reps' | 'only'>): Task[] {
  const tasks = ROUTES.filter((r) => options.only === undefined || r.route.includes(options.only))
    .flatMap((r) => TEAM_SIZES.flatMap((team) => QUEUE_LENGTHS.map((queue): Task => ({ route: r.route, team, queue, reps: options.reps }))));
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
const CHAINED_METHOD = 'Counted by chaining the handlers in-process (sim/bench-outcomes.ts), each step\'s URL taken from the TwiML of the one before, '
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

  const chained = sortOutcomes(await chainOutcomes());
  let outcomes = chained;
  let simulatedHold: Simulated['hold'] | undefined;
  let lastTold: Simulated['lastTold'] = [];
  let outcomeMethod: string;
  try {
    const simulated = await simulateOutcomes(root, TEAM_SIZES, HOLD_SECONDS, SIMULATOR_SERVERS);
    outcomes = sortOutcomes(simulated.rows);
    simulatedHold = simulated.hold;
    lastTold = simulated.lastTold;
    const differences = compareOutcomes(simulated.rows, chained);
    outcomeMethod = `${SIMULATED_METHOD} ${differences.length === 0
      ? `Cross-check: chaining the handlers in-process (sim/bench-outcomes.ts) counts exactly the same for all ${chained.length} combinations.`
      : `Cross-check: chaining the handlers in-process (sim/bench-outcomes.ts) counts differently for ${differences.join('; ')}.`}`;
  } catch (error) {
    outcomeMethod = `${CHAINED_METHOD} (The call simulator could not be used: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}.)`;
    print(`bench: the simulator failed; per-outcome counts come from the in-process chain instead`);
  }
  print('bench: now loading each built function in fresh node processes');

  // One child at a time: two loading at once on two cores measured each load about twice as slow.
  const load = await measureLoads(root, options.loadRuns, 1);
  const musicSeconds = wavDurationSeconds(readFileSync(join(root, 'assets', 'hold-music.wav')));
  const hold: HoldFigures = { musicSeconds, invocationsPerMinute: 60 / musicSeconds, ...(simulatedHold === undefined ? {} : { simulated: simulatedHold }) };
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
    targets: checkTargets(routes, outcomes, hold, load),
  };
  const markdown = renderReport(report, ROUTE_TARGETS, LOAD_LIMIT_MS) + renderLastTold(lastTold);
  const out = join(process.cwd(), options.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'bench.md'), markdown);
  process.stdout.write(markdown);
  print(`bench: wrote ${join(options.out, 'bench.json')} and ${join(options.out, 'bench.md')} in ${report.wallSeconds.toFixed(1)} s`);
}

/** V7: how long until the last member has a new-call text when Twilio sends one segment a second from our number. */
function renderLastTold(rows: Simulated['lastTold']): string {
  if (rows.length === 0) return '';
  return [
    '', '## Until the last member is told (V7: one SMS segment a second per sending number)', '',
    'Seconds from a caller\'s arrival until the last member has the new-call text, over three calls, and who was last each time',
    '(recipients are rotated by CallSid, so nobody is always last).', '',
    '| Team | Seconds until the last member is told | Last, call by call |', '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.team} | ${r.seconds.toFixed(1)} | ${r.lastMembers.join(', ')} |`), '',
  ].join('\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

/**
 * The bench's arithmetic and its report: percentiles, REST rounds, the hold-music loop length,
 * the targets, and the markdown tables. Pure functions, so tests/bench checks them without timing anything.
 */
import type { RecordedRequest } from '../sim/standin';

export interface Summary {
  samples: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

export function summarise(values: readonly number[]): Summary {
  return {
    samples: values.length,
    medianMs: median(values),
    p95Ms: percentile(values, 95),
    minMs: values.length === 0 ? Number.NaN : Math.min(...values),
    maxMs: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

export { roundsOf } from '../sim/standin';

/** A request as a short label for the report: GET sync …/Maps/pull-phone-team/Items. */
export function describeRequest(r: Pick<RecordedRequest, 'method' | 'host' | 'path'>): string {
  const path = r.path
    .replace(/\/2010-04-01\/Accounts\/AC\w+/, '')
    .replace(/\/v1\/Services\/[^/]+/, '')
    .replace(/\/(CA|QU|SM|MP)[0-9a-f]{32}/g, '/$1…')
    .replace(/\/v2\/PhoneNumbers\/[^/]+/, '/v2/PhoneNumbers/…')
    .replace(/\/Items\/[^/]+$/, '/Items/…');
  return `${r.method} ${r.host.replace('.twilio.com', '')}${path}`;
}

/** Seconds of audio in a RIFF/WAVE file: the data chunk's size over the fmt chunk's byte rate. */
export function wavDurationSeconds(file: Buffer): number {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let byteRate: number | undefined;
  let dataBytes: number | undefined;
  for (let offset = 12; offset + 8 <= file.length;) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = file.readUInt32LE(offset + 16);
    if (id === 'data') dataBytes = Math.min(size, file.length - offset - 8);
    offset += 8 + size + (size % 2);
  }
  if (byteRate === undefined || byteRate === 0 || dataBytes === undefined) throw new Error('WAV without fmt or data chunk');
  return dataBytes / byteRate;
}

// --- what the bench produces ---

/** What a text is, from its wording (src/messages.ts). */
export function kindOf(body: string, via: Text['via'], to: string | undefined): string {
  if (body.startsWith('Text T')) return 'customer text forward';
  if (/^\w[\w ]* answered T\d{4} /.test(body)) return 'answer shown to the others';
  if (via === 'TwiML') return to === undefined ? 'reply to the member' : 'notice to the others';
  if (body.startsWith('Call from')) return 'new call';
  if (body.startsWith('Missed call')) return 'missed notice';
  if (body.includes('asked for a callback')) return 'callback notice';
  if (body.startsWith('Voicemail')) return 'voicemail notice';
  if (body.includes('did not connect')) return 'not-connected notice';
  return 'other text';
}

export interface RouteCell {
  route: string;
  team: number;
  queue: number;
  time: Summary;
  /** Sequential REST rounds per invocation: the usual (median) and the worst seen. */
  rounds: { median: number; max: number };
  restRequests: { median: number; max: number };
  /** The kinds of request seen in each round over all invocations ("GET sync/Maps/pull-phone-team/Items"). */
  roundDetail: string[][];
  /** The most SMS segments any text of each kind needed (REST and TwiML). */
  maxSegments: Record<string, number>;
  /** Per invocation (median): SMS segments sent (REST texts and TwiML replies) and Sync requests, for the cost. */
  billed?: { segmentsSent: number; syncRequests: number };
  /** Something a reader should know about this cell (e.g. a bare N with one waiting pulls instead of listing). */
  note?: string;
}

export interface Text {
  /** Which notice or reply, e.g. "new call", "voicemail notice". */
  kind: string;
  via: 'REST' | 'TwiML';
  segments: number;
  length: number;
}

export interface OutcomeRow {
  outcome: string;
  lookup: boolean;
  team: number;
  /** The function invocations of the call, in order. */
  steps: string[];
  restRequests: number;
  lookups: number;
  /** SMS segments sent through the REST API and as TwiML <Message> replies. */
  segments: { rest: number; twiml: number };
  texts: Text[];
  /** Requests to Sync (billed per operation). */
  syncOperations: number;
}

export interface LoadRow {
  file: string;
  /** Cold require() of the built file in a fresh node, twilio included. */
  cold: Summary;
  /** The same with twilio already loaded: our own bundled code only. */
  ownCode: Summary;
  /** Median cold load over the trivial function's, measured in the same run (bench/load.ts). */
  ratio: number;
}

export interface TargetCheck {
  target: string;
  /** The figure measured. */
  measured: string;
  /** What it must be. */
  threshold: string;
  ok: boolean;
  note?: string;
}

export interface HoldFigures {
  musicSeconds: number;
  /** 60 s over the music's length: an upper bound, as each loop also speaks the options. */
  invocationsPerMinute: number;
  /** A long hold played by the call simulator, when it ran. */
  simulated?: { holdSeconds: number; waitMusicRequests: number; perMinute: number };
}

export interface BenchReport {
  generatedAt: string;
  node: string;
  cpus: number;
  /** The machine's 1-minute load average when the bench started: other work slows the timings. */
  loadAverage: number;
  latencyMs: number;
  reps: number;
  processes: number;
  concurrency: number;
  wallSeconds: number;
  outcomeMethod: string;
  routes: RouteCell[];
  outcomes: OutcomeRow[];
  hold: HoldFigures;
  load: LoadRow[];
  targets: TargetCheck[];
}

// --- markdown ---

export function mark(ok: boolean): string {
  return ok ? '✔' : '❌';
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function table(header: string[], rows: string[][]): string[] {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function roundsText(r: { median: number; max: number }): string {
  return r.median === r.max ? `${r.max}` : `${r.median} (max ${r.max})`;
}

export function renderRoutes(cells: readonly RouteCell[], targets: ReadonlyMap<string, (cell: RouteCell) => boolean>): string[] {
  const queues = unique(cells.map((c) => c.queue)).sort((a, b) => a - b);
  const header = ['Route', 'Team', ...queues.map((q) => `Queue ${q}: median / p95 ms · rounds`), 'REST requests', 'Target'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const route of unique(cells.map((c) => c.route))) {
    for (const team of unique(cells.filter((c) => c.route === route).map((c) => c.team)).sort((a, b) => a - b)) {
      const row = cells.filter((c) => c.route === route && c.team === team);
      const byQueue = queues.map((q) => {
        const cell = row.find((c) => c.queue === q);
        if (cell === undefined) return '–';
        let text = `${ms(cell.time.medianMs)} / ${ms(cell.time.p95Ms)} · ${roundsText(cell.rounds)}`;
        if (cell.note !== undefined) {
          let index = notes.indexOf(cell.note);
          if (index < 0) index = notes.push(cell.note) - 1;
          text += ` (${'*'.repeat(index + 1)})`;
        }
        return text;
      });
      const requests = unique(row.map((c) => roundsText(c.restRequests))).join(', ');
      const check = targets.get(route);
      const target = check === undefined ? '' : `${mark(row.every(check))} ${Math.max(...row.map((c) => c.rounds.median))} rounds (median)`;
      rows.push([route, String(team), ...byQueue, requests, target]);
    }
  }
  return [...table(header, rows), ...notes.map((n, i) => `${'\\*'.repeat(i + 1)} ${n}`)];
}

export function renderOutcomes(rows: readonly OutcomeRow[]): string[] {
  const teams = unique(rows.map((r) => r.team)).sort((a, b) => a - b);
  const header = [
    'Outcome', 'Lookup', 'Invocations', ...teams.map((t) => `REST requests (team ${t})`),
    ...teams.map((t) => `SMS segments REST+TwiML (team ${t})`), 'Lookups', 'Longest text (segments)',
  ];
  const out: string[][] = [];
  for (const outcome of unique(rows.map((r) => r.outcome))) {
    for (const lookup of [false, true]) {
      const group = rows.filter((r) => r.outcome === outcome && r.lookup === lookup);
      const first = group[0];
      if (first === undefined) continue;
      const byTeam = (f: (r: OutcomeRow) => string): string[] => teams.map((t) => {
        const r = group.find((g) => g.team === t);
        return r === undefined ? '–' : f(r);
      });
      const longest = group.flatMap((r) => r.texts).reduce<Text | undefined>((a, t) => (a === undefined || t.segments > a.segments ? t : a), undefined);
      out.push([
        outcome, lookup ? 'on' : 'off', `${first.steps.length}`,
        ...byTeam((r) => `${r.restRequests}`),
        ...byTeam((r) => `${r.segments.rest}+${r.segments.twiml}`),
        unique(group.map((r) => r.lookups)).join(', '),
        longest === undefined ? '–' : `${longest.kind}: ${longest.segments}`,
      ]);
    }
  }
  const steps = unique(rows.map((r) => `- ${r.outcome}: ${r.steps.join(' → ')}`));
  return [...table(header, out), '', 'Invocations of each call, in order:', '', ...steps];
}

export function renderLoad(rows: readonly LoadRow[], ratioLimit: number): string[] {
  return table(
    ['Built function', 'Cold require, fastest / median ms (runs)', `Fastest over the trivial function's fastest (at most ${ratioLimit.toFixed(1)}×)`, 'With twilio already loaded, median ms'],
    rows.map((r) => [r.file, `${ms(r.cold.minMs)} / ${ms(r.cold.medianMs)} (${r.cold.samples})`, `${mark(r.ratio <= ratioLimit)} ${r.ratio.toFixed(2)}×`, ms(r.ownCode.medianMs)]),
  );
}

export function renderTargets(checks: readonly TargetCheck[]): string[] {
  return table(['Target', 'Figure', 'Threshold', 'Met', 'Note'], checks.map((c) => [c.target, c.measured, c.threshold, mark(c.ok), c.note ?? '']));
}

export function renderReport(report: BenchReport, routeTargets: ReadonlyMap<string, (cell: RouteCell) => boolean>, loadRatioLimit: number): string {
  const lines = [
    '# Pull Phone bench',
    '',
    `${report.generatedAt} · Node ${report.node} · ${report.cpus} CPUs (load average ${report.loadAverage.toFixed(2)} at the start) · REST latency ${report.latencyMs} ms at the stand-in · `
      + `${report.reps} timed invocations per cell (after one warm-up) · ${report.processes} processes × ${report.concurrency} cells measured at once · wall time ${report.wallSeconds.toFixed(1)} s`,
    '',
    '## Targets',
    '',
    ...renderTargets(report.targets),
    '',
    '## Per route',
    '',
    'Response time of the handler (webhook in to TwiML out) and sequential REST rounds per invocation. '
      + 'Each REST request waits the injected latency at the stand-in, so a round costs about that much.',
    '',
    ...renderRoutes(report.routes, routeTargets),
    '',
    '## Per outcome',
    '',
    report.outcomeMethod,
    '',
    ...renderOutcomes(report.outcomes),
    '',
    '## Hold',
    '',
    `The hold music (assets/hold-music.wav) lasts ${report.hold.musicSeconds.toFixed(1)} s; Twilio requests /wait-music once per loop, `
      + `so a minute of hold costs at most ${report.hold.invocationsPerMinute.toFixed(2)} invocations (the spoken options make each loop a little longer, so fewer in practice).`,
    ...(report.hold.simulated === undefined ? [] : [
      '',
      `Simulated: a caller holding ${report.hold.simulated.holdSeconds.toFixed(0)} s (MAX_WAIT_SECONDS raised to 3600) caused ${report.hold.simulated.waitMusicRequests} /wait-music requests, `
        + `${report.hold.simulated.perMinute.toFixed(2)} a minute, with the options spoken each loop at the simulator's 0.4 s a word.`,
    ]),
    '',
    '## Cold load',
    '',
    'require() of each built file in a fresh `node`, timed inside the child with process.hrtime, round by round with a trivial function built the same way (bench/load.ts); the ratio to it is the figure that holds on a loaded machine. '
      + 'The second column pre-loads `twilio` first (Twilio\'s runtime does not share its own twilio with the service: it ships a different version).',
    '',
    ...renderLoad(report.load, loadRatioLimit),
    '',
  ];
  return lines.join('\n');
}

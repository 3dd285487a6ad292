/**
 * The live check (`npm run live-check`): what one short test call and one test text on the real number show
 * about the readings of Twilio this project cannot settle from its documentation (see the README, "Live check").
 * Pure: tools/live-check.ts places the call, collects what Twilio reports, and passes it here.
 *
 * The readings:
 * - which document a caller runs after a REST dequeue: the dequeue's Url, or what the Enqueue action answers;
 * - whether the call's `completed` status callback comes before or after the action callbacks of its verbs;
 * - whether a Dial action carries `DialBridged` (an account feature; only checked when a member agrees to be rung);
 * - whether a silent recording is kept (a completed recording) or dropped (`absent`, or no recording at all).
 */

/** One request Twilio made to the deployment for the test call (from the call's Events, or the simulator's log). */
export interface WebhookSeen {
  /** Path of the request, e.g. /queue-result; a query string is kept (?live-check=dequeue). */
  path: string;
  /** Milliseconds, any epoch, same clock as `dequeue.at`. */
  at: number;
  /** The request's parameters when known (Events report them; the simulator's log does not). */
  params?: Record<string, string>;
}

export interface LiveObservation {
  /** Every request for the test call, any order. */
  webhooks: WebhookSeen[];
  /** When the check dequeued the caller by REST, and the Url it gave. */
  dequeue?: { at: number; path: string } | undefined;
  /** Recordings of the silent message; undefined when that part did not run. */
  recordings?: { status: string; durationSeconds: number }[] | undefined;
  /** Whether a member agreed (--yes, --member) to be rung, so the Dial reading could be taken. */
  memberRung: boolean;
  /** What Twilio billed for each resource the check made, when it says (price is negative in Twilio's API). */
  costs: { what: string; priceUsd: number | undefined }[];
}

export type ReadingName = 'action after REST dequeue' | 'completed status callback order' | 'DialBridged' | 'silent recordings';

export interface Reading {
  name: ReadingName;
  /** False when the check saw nothing that settles it (the text says why). */
  settled: boolean;
  shows: string;
}

export interface LiveReport {
  /** Paths of our functions Twilio reached, in first-seen order. */
  reached: string[];
  readings: Reading[];
  cost: string;
}

/** The paths the product's steps answer on; anything else is not a webhook of ours. */
const ACTION_PATHS = new Set(['/queue-result', '/voicemail-done', '/bridge-result']);
const STATUS_PATH = '/call-status';

const pathOnly = (path: string): string => path.replace(/\?.*$/, '');

export function interpret(observation: LiveObservation): LiveReport {
  const webhooks = [...observation.webhooks].sort((a, b) => a.at - b.at);
  const reached: string[] = [];
  for (const w of webhooks) if (!reached.includes(pathOnly(w.path))) reached.push(pathOnly(w.path));
  return {
    reached,
    readings: [
      afterDequeue(webhooks, observation.dequeue),
      statusOrder(webhooks),
      dialBridged(webhooks, observation.memberRung),
      silentRecordings(observation.recordings),
    ],
    cost: costOf(observation.costs),
  };
}

function afterDequeue(webhooks: readonly WebhookSeen[], dequeue: LiveObservation['dequeue']): Reading {
  const name = 'action after REST dequeue';
  if (dequeue === undefined) return { name, settled: false, shows: 'not seen: the test call was never dequeued (did it reach the queue?).' };
  const after = webhooks.filter((w) => w.at >= dequeue.at);
  const action = after.find((w) => pathOnly(w.path) === '/queue-result');
  const target = after.find((w) => w.path === dequeue.path || pathOnly(w.path) === pathOnly(dequeue.path));
  const result = action?.params?.QueueResult;
  const actionText = action === undefined ? 'the Enqueue action was not requested'
    : `the Enqueue action was requested${result === undefined ? '' : ` with QueueResult=${result}`}`;
  if (target !== undefined) {
    const order = action === undefined ? '' : action.at <= target.at ? ' (after the action)' : ' (before the action)';
    return { name, settled: true, shows: `the dequeue's Url runs${order}; ${actionText}.` };
  }
  if (action !== undefined) return { name, settled: true, shows: `the action's answer runs: the dequeue's Url was never requested; ${actionText}.` };
  return { name, settled: false, shows: 'not seen: neither the dequeue\'s Url nor the Enqueue action was requested after the dequeue.' };
}

function statusOrder(webhooks: readonly WebhookSeen[]): Reading {
  const name = 'completed status callback order';
  const completed = webhooks.find((w) => pathOnly(w.path) === STATUS_PATH && (w.params?.CallStatus ?? 'completed') === 'completed');
  const actions = webhooks.filter((w) => ACTION_PATHS.has(pathOnly(w.path)));
  if (completed === undefined) return { name, settled: false, shows: 'not seen: no completed status callback reached /call-status (is the number\'s status callback set? npm run setup).' };
  if (actions.length === 0) return { name, settled: false, shows: 'not seen: no action callback to compare it with.' };
  const later = actions.filter((a) => a.at > completed.at).map((a) => pathOnly(a.path));
  return later.length === 0
    ? { name, settled: true, shows: 'after the action callbacks on this call (the notes allow either order; Pull Phone must still not rely on it).' }
    : { name, settled: true, shows: `BEFORE the action callbacks of ${[...new Set(later)].join(', ')}: Twilio ends the call first and reports the verbs after.` };
}

function dialBridged(webhooks: readonly WebhookSeen[], memberRung: boolean): Reading {
  const name = 'DialBridged';
  if (!memberRung) return { name, settled: false, shows: 'not checked: it needs a member\'s mobile to ring (--member NAME --yes).' };
  const result = webhooks.find((w) => pathOnly(w.path) === '/bridge-result');
  if (result === undefined) return { name, settled: false, shows: 'not seen: the Dial action (/bridge-result) was not requested.' };
  if (result.params === undefined) return { name, settled: false, shows: 'not seen: the Dial action\'s parameters were not reported.' };
  const value = result.params.DialBridged;
  return value === undefined
    ? { name, settled: true, shows: 'absent on this account: Pull Phone falls back on DialCallStatus and the screening result.' }
    : { name, settled: true, shows: `present (DialBridged=${value}).` };
}

function silentRecordings(recordings: LiveObservation['recordings']): Reading {
  const name = 'silent recordings';
  if (recordings === undefined) return { name, settled: false, shows: 'not checked: the silent voicemail part did not run.' };
  if (recordings.length === 0) return { name, settled: true, shows: 'dropped: no recording was kept for a silent message.' };
  if (recordings.some((r) => r.status === 'absent')) return { name, settled: true, shows: 'dropped: the recording is reported absent.' };
  const kept = recordings.find((r) => r.status === 'completed');
  return kept === undefined
    ? { name, settled: false, shows: `not settled: recording status ${recordings.map((r) => r.status).join(', ')}.` }
    : { name, settled: true, shows: `kept: a ${kept.durationSeconds} s recording of silence was saved (and billed).` };
}

function costOf(costs: LiveObservation['costs']): string {
  const known = costs.filter((c) => c.priceUsd !== undefined);
  const total = known.reduce((sum, c) => sum + Math.abs(c.priceUsd ?? 0), 0);
  const pending = costs.length - known.length;
  if (costs.length === 0) return 'nothing was billed.';
  return `$${total.toFixed(4)} for ${known.length} of ${costs.length} resources${pending === 0 ? '' : ` (${pending} not priced yet: see Console > Monitor > Logs)`}.`;
}

/**
 * One entry of a call's Events (GET /Calls/{sid}/Events): `request` has url, method and parameters (keys in
 * snake_case, e.g. queue_result), `response` has date_created (twilio.com/docs/voice/api/call-event-resource).
 * Read defensively, since the API types both as free-form objects; parameters come back in Twilio's webhook
 * names (QueueResult), as our functions receive them.
 */
export function webhookOfEvent(request: unknown, response: unknown): WebhookSeen[] {
  if (typeof request !== 'object' || request === null) return [];
  const { url, parameters } = request as { url?: unknown; parameters?: unknown };
  if (typeof url !== 'string') return [];
  let path: string;
  try {
    const parsed = new URL(url);
    path = `${parsed.pathname}${parsed.search}`;
  } catch {
    return [];
  }
  const created = typeof response === 'object' && response !== null ? (response as { date_created?: unknown }).date_created : undefined;
  const at = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  const params: Record<string, string> = {};
  if (typeof parameters === 'object' && parameters !== null) {
    for (const [key, value] of Object.entries(parameters as Record<string, unknown>)) {
      const name = key.includes('_') || /^[a-z]/.test(key) ? key.split('_').map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('') : key;
      if (typeof value === 'string') params[name] = value;
    }
  }
  return Number.isNaN(at) ? [] : [{ path, at, params }];
}

export interface LivePlanOptions {
  /** The member who agreed to have their mobile rung, if any. */
  member?: { name: string; maskedNumber: string } | undefined;
  teamSize: number;
}

/** What the check will do and cost, printed before anything happens; nothing happens without --yes. */
export function describePlan(options: LivePlanOptions): string[] {
  const lines = [
    'The live check will:',
    '  1. place one call from the Twilio number to itself: it reaches /incoming-call like any caller, so',
    `     every member who has not paused (${options.teamSize}) gets one new-call text;`,
    '  2. take that caller out of the queue by REST (as a member\'s Y would), to a silent voicemail,',
    '     and see which document Twilio runs, when the status callback comes, and what becomes of a silent recording;',
  ];
  if (options.member === undefined) {
    lines.push('  3. ring nobody: the DialBridged reading needs a member\'s mobile (add --member NAME to include it).');
  } else {
    lines.push(`  3. RING ${options.member.name}'s MOBILE (${options.member.maskedNumber}) once through /bridge; they may ignore it.`);
  }
  const textTo = options.member === undefined ? 'nobody (a text to itself is refused by Twilio, error 21266)' : options.member.name;
  lines.push(`  4. send one text from the Twilio number to ${textTo}.`);
  lines.push('It costs a few cents (one or two short calls, a recording, a few texts); the total is printed at the end.');
  lines.push('It takes about 20 minutes: Twilio publishes a call\'s webhook log 15 minutes after the call ends.');
  return lines;
}

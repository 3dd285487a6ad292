// A randomized, seeded run of many calls through the simulator against the real built functions.
// Reproduce a run with its seed:  RANDOM_SEED=1234 npx jest tests/random
// The full run (500 calls):       RANDOM_CALLS=500 npx jest tests/random
// Without the known-gap list:     RANDOM_STRICT=1 npx jest tests/random
//
// What is checked, for every call (sim/random-run.ts, `check`):
// - it ended with exactly one outcome seen from the caller's side: connected, voicemail, callback or missed;
// - it was dequeued at most once and rang at most one member;
// - it waited in the queue no longer than MAX_WAIT_SECONDS plus one hold loop, the loop as measured
//   (40 s of music plus what is said in it plus the Gather timeout: about 50-55 s);
// - every answer Twilio got was HTTP 200 within 15 s with TwiML valid where it runs;
// - no text went to a number outside the simulation;
// - every member got exactly one report (missed, voicemail or callback text) of a call that was not connected,
//   of the right kind, and none of a connected call. Faults are injected only off the notice path here
//   (see FaultMode in sim/random-run.ts): when the text itself or the Sync claim behind it fails, a report
//   is lost by any design without a retry queue, so "exactly once" could not hold.
// A second run injects faults everywhere and checks "at most once" instead.
import { join } from 'node:path';
import { Problem, randomRun, RandomRunResult } from '../../sim/random-run';
import { World } from '../../sim/scenario';
import { SimCall } from '../../sim/voice';

const CALLS = Number(process.env.RANDOM_CALLS ?? 80);
const SEED = Number(process.env.RANDOM_SEED ?? 20260105);
const STRICT = process.env.RANDOM_STRICT === '1';
const MAX_WAIT_SECONDS = 120;
const MEMBERS = [
  { name: 'Ann', number: '+15551230001' },
  { name: 'Bob', number: '+15551230002' },
  { name: 'Cara', number: '+15551230003' },
];

/**
 * Product gaps this run found, each reported with a seed and a trace and pinned by a failing-by-design
 * test in tests/e2e/gaps.test.ts. A call that matches one is excused only the problems the gap explains
 * (it is still checked for everything else), and excused problems are counted in the printed tallies.
 * Remove an entry once its fix lands.
 */
const KNOWN_GAPS: { name: string; excuses: RegExp; applies: (call: SimCall, result: RandomRunResult) => boolean }[] = [
  {
    name: 'caller hung up where Twilio requests nothing more (an apology or prompt before voicemail, the beep, an empty recording): nobody is told',
    excuses: /^missed call reported to \w+ 0 times/,
    applies: (call, result) => call.outcome === 'missed' && call.endedBy === 'caller' && call.endedAt !== undefined
      && !result.scene.sim.webhooks.some((w) => w.callSid === call.callSid && w.at >= (call.endedAt ?? 0)),
  },
  {
    name: 'pulled out of the queue while hearing the callback confirmation: the team is told "callback" and then another outcome',
    excuses: /call, but \w+ was told: callback$|^callback call reported to \w+ 0 times/,
    applies: (call) => call.queueKeys.includes('2') && call.queue?.result === 'redirected',
  },
  {
    name: 'a key that is not an option, pressed while waiting: the redirect back to the hold music carries no QueueTime, so the maximum-wait clock restarts',
    excuses: /^waited [\d.]+ s in the queue, past the maximum wait/,
    applies: (call) => call.queueKeys.some((k) => k !== '1' && k !== '2'),
  },
];

let world: World;
beforeAll(async () => {
  world = await World.start({ root: join(__dirname, '..', '..'), members: MEMBERS, env: { MAX_WAIT_SECONDS: String(MAX_WAIT_SECONDS), TRANSCRIBE_VOICEMAIL: 'true' } });
});
afterAll(async () => {
  await world.stop();
});

/** Problems not explained by a known gap, and how many calls each known gap excused. */
function unexplained(result: RandomRunResult): { problems: Problem[]; excused: Record<string, number> } {
  const excused: Record<string, number> = {};
  const problems = result.problems.filter((p) => {
    if (STRICT || p.callSid === undefined) return true;
    const call = result.calls.find((c) => c.callSid === p.callSid);
    const gap = call === undefined ? undefined : KNOWN_GAPS.find((g) => g.excuses.test(p.problem) && g.applies(call, result));
    if (gap === undefined) return true;
    excused[gap.name] = (excused[gap.name] ?? 0) + 1;
    return false;
  });
  return { problems, excused };
}

function explain(problems: Problem[], result: RandomRunResult, seed: number): string {
  const shown = problems.slice(0, 6);
  const traces = [...new Set(shown.map((p) => p.callSid).filter((s): s is string => s !== undefined))].slice(0, 3)
    .map((sid) => `--- call ${sid}\n${result.traceOf(sid)}`);
  return `seed ${seed}: ${problems.length} problems\n${shown.map((p) => `${p.callSid ?? ''} ${p.problem}`).join('\n')}\n${traces.join('\n')}`;
}

const timeout = Math.max(60_000, CALLS * 1000);

it(`${CALLS} random calls (seed ${SEED}) with faults off the notice path: each ends once and is reported once`, async () => {
  const result = await randomRun(world, { seed: SEED, calls: CALLS, faults: 'off-notice-path', maxWaitSeconds: MAX_WAIT_SECONDS });
  const { problems, excused } = unexplained(result);
  console.log(`random run, seed ${SEED}:\n${JSON.stringify({ ...result.tallies, knownGapProblems: excused }, null, 1)}`);
  if (problems.length > 0) throw new Error(explain(problems, result, SEED));
  // The run means something only if it reached every outcome and injected faults.
  for (const outcome of ['connected', 'voicemail', 'callback', 'missed']) expect(result.tallies.outcomes[outcome]).toBeGreaterThan(0);
  expect(Object.keys(result.tallies.faults).length).toBeGreaterThan(0);
}, timeout);

it(`${Math.ceil(CALLS / 2)} random calls (seed ${SEED + 1}) with faults everywhere: nothing reported twice, every answer valid`, async () => {
  const result = await randomRun(world, { seed: SEED + 1, calls: Math.ceil(CALLS / 2), faults: 'everywhere', maxWaitSeconds: MAX_WAIT_SECONDS });
  const { problems, excused } = unexplained(result);
  console.log(`random run with faults everywhere, seed ${SEED + 1}:\n${JSON.stringify({ ...result.tallies, knownGapProblems: excused }, null, 1)}`);
  if (problems.length > 0) throw new Error(explain(problems, result, SEED + 1));
}, timeout);

// A randomized, seeded run of many calls through the simulator against the real built functions.
// Reproduce a run with its seed:  RANDOM_SEED=1234 npx jest tests/random
// The full run (500 calls):       RANDOM_CALLS=500 npx jest tests/random   (and `npm run simulate`: 500 a profile)
// The suite plays 40 calls a run: at this seed that reaches every outcome, ring-all connections, callbacks reached,
// customers' texts forwarded and kept back, and faults of many kinds, and the first test fails should a change of the
// seed or of the code stop reaching any of them. Long runs find the rare cases; that is `npm run simulate`'s job.
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
// Customers text the team number too (sim/random-customers.ts): one floods, some texts look like commands, one
// opts out, members answer some with R. Checked: every customer text reaches the team or is kept for STATUS, and
// no member's number ever reaches a customer (every text a customer gets comes from the team number).
import { join } from 'node:path';
import { RANDOM_RUN_MAX_WAIT_SECONDS, startRandomRunWorld } from '../../sim/profiles';
import { Problem, randomRun, RandomRunResult } from '../../sim/random-run';
import type { World } from '../../sim/scenario';

const CALLS = Number(process.env.RANDOM_CALLS ?? 40);
const SEED = Number(process.env.RANDOM_SEED ?? 20260105);
const MAX_WAIT_SECONDS = RANDOM_RUN_MAX_WAIT_SECONDS;

let world: World;
beforeAll(async () => {
  world = await startRandomRunWorld(join(__dirname, '..', '..'));
});
afterAll(async () => {
  await world.stop();
});

function explain(problems: Problem[], result: RandomRunResult, seed: number): string {
  const shown = problems.slice(0, 6);
  const traces = [...new Set(shown.map((p) => p.callSid).filter((s): s is string => s !== undefined))].slice(0, 3)
    .map((sid) => `--- call ${sid}\n${result.traceOf(sid)}`);
  return `seed ${seed}: ${problems.length} problems\n${shown.map((p) => `${p.callSid ?? ''} ${p.problem}`).join('\n')}\n${traces.join('\n')}`;
}

const timeout = Math.max(60_000, CALLS * 1000);

it(`${CALLS} random calls (seed ${SEED}) with faults off the notice path: each ends once and is reported once`, async () => {
  const result = await randomRun(world, { seed: SEED, calls: CALLS, faults: 'off-notice-path', maxWaitSeconds: MAX_WAIT_SECONDS });
  const { problems } = result;
  console.log(`random run, seed ${SEED}:\n${JSON.stringify({ ...result.tallies, customers: result.customers }, null, 1)}`);
  if (problems.length > 0) throw new Error(explain(problems, result, SEED));
  // The run means something only if it reached every outcome and injected faults.
  for (const outcome of ['connected', 'voicemail', 'callback', 'missed']) expect(result.tallies.outcomes[outcome]).toBeGreaterThan(0);
  expect(Object.keys(result.tallies.faults).length).toBeGreaterThan(0);
  // … and if ring-all escalation rang members and connected some callers.
  expect(result.tallies.ringAllCalls).toBeGreaterThan(0);
  expect(result.tallies.ringAllConnections).toBeGreaterThan(0);
  // … and if customers' texts were both forwarded and kept back by the limit, and some answers reached them.
  expect(result.customers.forwardedToAMember).toBeGreaterThan(0);
  expect(result.customers.keptNotForwarded).toBeGreaterThan(0);
  expect(result.customers.answersReceived).toBeGreaterThan(0);
  // … and if members called customers back, some reached, none two at once for one customer.
  expect(result.figures.callbacks).toBeGreaterThan(0);
  expect(result.figures.callbacksReached).toBeGreaterThan(0);
  expect(result.figures.concurrentCallbacks).toBe(0);
}, timeout);

it(`${CALLS} random calls (seed ${SEED + 1}) with faults everywhere: nothing reported twice, every answer valid`, async () => {
  const result = await randomRun(world, { seed: SEED + 1, calls: CALLS, faults: 'everywhere', maxWaitSeconds: MAX_WAIT_SECONDS });
  const { problems } = result;
  console.log(`random run with faults everywhere, seed ${SEED + 1}:\n${JSON.stringify({ ...result.tallies, customers: result.customers }, null, 1)}`);
  if (problems.length > 0) throw new Error(explain(problems, result, SEED + 1));
  // Faults everywhere mean something only where every outcome's notice was at stake.
  for (const outcome of ['connected', 'voicemail', 'callback', 'missed']) expect(result.tallies.outcomes[outcome]).toBeGreaterThan(0);
  expect(Object.keys(result.tallies.faults).length).toBeGreaterThan(0);
}, timeout);

// A small random sample of every profile of `npm run simulate` (sim/profiles.ts): the simulator's old reading
// of Twilio, readings drawn at random, and the adversarial reading of every point at once (sim/variants.ts).
// The figures the issue asks for must all be zero and every function must answer in under 8 s.
// The full run (500 calls a profile) is `npm run simulate`; a sample:  PROFILE_CALLS=30 npx jest tests/random/profiles
import { join } from 'node:path';
import { failures, PROFILES, RANDOM_RUN_MAX_WAIT_SECONDS, runProfile, startRandomRunWorld } from '../../sim/profiles';
import type { World } from '../../sim/scenario';
import { describeVariants } from '../../sim/variants';

const CALLS = Number(process.env.PROFILE_CALLS ?? 12);
const SEED = Number(process.env.RANDOM_SEED ?? 20260105);
const MAX_WAIT_SECONDS = RANDOM_RUN_MAX_WAIT_SECONDS;

let world: World;
beforeAll(async () => {
  world = await startRandomRunWorld(join(__dirname, '..', '..'));
});
afterAll(async () => {
  await world.stop();
});

it.each(PROFILES)(`profile %s, ${CALLS} calls: no caller lost, no double pull, nobody told wrongly, every function under 8 s`, async (profile) => {
  const result = await runProfile(world, profile, { calls: CALLS, seed: SEED, maxWaitSeconds: MAX_WAIT_SECONDS, randomRuns: 2 });
  const wrong = failures(result.figures);
  if (wrong.length > 0) {
    const problems = result.runs.flatMap((r) => r.problems.map((p) => `${describeVariants(r.variants)}: ${p.callSid ?? ''} ${p.problem}`));
    throw new Error(`${profile}: ${wrong.join('; ')}\n${problems.slice(0, 8).join('\n')}`);
  }
  expect(result.figures.calls).toBeGreaterThanOrEqual(CALLS);
}, 120_000);

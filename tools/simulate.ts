/**
 * `npm run simulate`: every profile of the randomized call simulation (sim/profiles.ts) against the real built
 * functions and a local stand-in for Twilio, at least 500 calls each. Prints the figures per profile and exits
 * non-zero if any is not zero or a function took 8 s or more.
 *
 *   SIMULATE_CALLS=1000 SIMULATE_SEED=7 npm run simulate
 *   SIMULATE_PROFILES=worst npm run simulate
 */
import { join } from 'node:path';
import { Problem } from '../sim/random-run';
import { describeRuns, failures, figuresTable, PROFILES, ProfileName, ProfileResult, RANDOM_RUN_MAX_WAIT_SECONDS, runProfile, startRandomRunWorld } from '../sim/profiles';

// Built to dist/tools/simulate.js: the project root is two folders up.
const ROOT = join(__dirname, '..', '..');
const CALLS = Number(process.env.SIMULATE_CALLS ?? 500);
const SEED = Number(process.env.SIMULATE_SEED ?? 20261203);
const MAX_WAIT_SECONDS = RANDOM_RUN_MAX_WAIT_SECONDS;

async function main(): Promise<number> {
  const chosen = (process.env.SIMULATE_PROFILES ?? PROFILES.join(',')).split(',').filter((p): p is ProfileName => (PROFILES as readonly string[]).includes(p));
  const world = await startRandomRunWorld(ROOT);
  // Interrupted, the functions server (its own process group) is stopped too.
  const stop = (): void => {
    void world.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const results: ProfileResult[] = [];
  try {
    for (const profile of chosen) {
      console.log(`profile ${profile}: ${CALLS} calls (seed ${SEED})…`);
      const result = await runProfile(world, profile, { calls: CALLS, seed: SEED, maxWaitSeconds: MAX_WAIT_SECONDS });
      console.log(describeRuns(result));
      results.push(result);
    }
  } finally {
    await world.stop();
  }
  console.log(`\n${figuresTable(results)}\n`);
  let failed = false;
  for (const result of results) {
    const wrong = failures(result.figures);
    if (wrong.length === 0) continue;
    failed = true;
    console.log(`${result.profile}: ${wrong.join('; ')}`);
    const problems: Problem[] = result.runs.flatMap((r) => r.problems);
    for (const p of problems.slice(0, 10)) console.log(`  ${p.callSid ?? ''} [${p.figure}] ${p.problem}`);
    const first = result.runs.find((r) => r.problems.some((p) => p.callSid !== undefined));
    const sid = first?.problems.find((p) => p.callSid !== undefined)?.callSid;
    if (first !== undefined && sid !== undefined) console.log(`--- trace of ${sid}\n${first.traceOf(sid)}`);
  }
  console.log(failed ? 'FAILED: some figures are not zero.' : 'All figures zero; every function answered in under 8 s.');
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});

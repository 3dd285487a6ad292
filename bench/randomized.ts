/**
 * `npm run bench -- --full`: the simulator's randomized run (sim/profiles.ts, every profile, as `npm run simulate`
 * plays it) against the real built functions, its figures reported as targets: no caller lost, no double pull,
 * nobody told a caller is theirs who did not get it, no wrong notice, no answer Twilio would fail, no wait past
 * the maximum, and every function answering in under 8 s.
 */
import { failures, figuresTable, LONGEST_FUNCTION_LIMIT_MS, PROFILES, ProfileResult, RANDOM_RUN_MAX_WAIT_SECONDS, runProfile, startRandomRunWorld } from '../sim/profiles';
import type { Figures } from '../sim/random-run';
import { TargetCheck } from './stats';

/** Calls a profile plays by default: the same as `npm run simulate`. */
export const RANDOM_RUN_CALLS = 500;
export const RANDOM_RUN_SEED = 20261203;

export async function playRandomRun(root: string, calls: number, seed: number, print: (line: string) => void): Promise<ProfileResult[]> {
  const world = await startRandomRunWorld(root);
  const results: ProfileResult[] = [];
  try {
    for (const profile of PROFILES) {
      print(`bench: randomized run, profile ${profile}: ${calls} calls (seed ${seed})`);
      results.push(await runProfile(world, profile, { calls, seed, maxWaitSeconds: RANDOM_RUN_MAX_WAIT_SECONDS }));
    }
  } finally {
    await world.stop();
  }
  return results;
}

function describe(f: Figures): string {
  return `${f.calls} calls: lost ${f.callersLost}, double pulls ${f.doublePulls}, told theirs but not got ${f.toldTheirsNotGot}, wrong notices ${f.wrongNotices}, `
    + `invalid answers ${f.invalidAnswers}, overlong waits ${f.overlongWaits}; longest function ${(f.longestFunctionMs / 1000).toFixed(1)} s`;
}

/** One target per profile: every figure zero and every function under the limit. */
export function randomRunTargets(results: readonly ProfileResult[]): TargetCheck[] {
  return results.map((r) => {
    const wrong = failures(r.figures);
    return {
      target: `Randomized run, profile ${r.profile}: callers lost, double pulls, wrong or missing notices, invalid answers, overlong waits; longest function`,
      measured: describe(r.figures),
      threshold: `all 0; under ${LONGEST_FUNCTION_LIMIT_MS / 1000} s`,
      ok: wrong.length === 0 && r.figures.calls > 0,
      ...(wrong.length === 0 ? {} : { note: wrong.join('; ') }),
    };
  });
}

export function renderRandomRun(results: readonly ProfileResult[], calls: number, seed: number): string[] {
  return [
    `Every profile of sim/profiles.ts, ${calls} calls each (seed ${seed}), against the built functions served by twilio-run, with REST faults injected off the `
      + 'notice path (sim/random-run.ts). The same run as `npm run simulate`; its figures are targets above.',
    '',
    figuresTable([...results]),
  ];
}

/**
 * Profiles: randomized runs played under a reading of Twilio, summed into the figures that must all be zero.
 * - current: the simulator's old reading of every point (variants.ts CURRENT).
 * - random:  several runs, each drawing one reading per point.
 * - worst:   the adversarial reading of every point at once.
 * Every run also injects REST faults off the notice path (random-run.ts), as the randomized run always did.
 */
import { Prng } from './prng';
import { Figures, randomRun, RandomRunResult } from './random-run';
import { World } from './scenario';
import { CURRENT, describeVariants, drawVariants, Variants, WORST } from './variants';

/** The team and settings every randomized run plays (`npm run simulate` and the tests' samples of it). */
export const RANDOM_RUN_MAX_WAIT_SECONDS = 120;
/** Ring-all escalation on: a caller still waiting at the second hold loop (about 53 s) rings the whole team. */
export const RANDOM_RUN_RING_TEAM_AFTER_SECONDS = 45;
const RANDOM_RUN_TEAM = [
  { name: 'Ann', number: '+15551230001' },
  { name: 'Bob', number: '+15551230002' },
  { name: 'Cara', number: '+15551230003' },
];

/** The real built functions of the project at `root`, served for a randomized run. */
export function startRandomRunWorld(root: string): Promise<World> {
  return World.start({ root, members: RANDOM_RUN_TEAM, env: {
    MAX_WAIT_SECONDS: String(RANDOM_RUN_MAX_WAIT_SECONDS), RING_TEAM_AFTER_SECONDS: String(RANDOM_RUN_RING_TEAM_AFTER_SECONDS), TRANSCRIBE_VOICEMAIL: 'true',
    MISSED_CALL_TEXT: 'Sorry we missed your call. We will call you back.',
  } });
}

export const PROFILES = ['current', 'random', 'worst'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface ProfileOptions {
  calls: number;
  seed: number;
  maxWaitSeconds: number;
  /** How many runs the random profile splits its calls into, each with its own draw. */
  randomRuns?: number;
}

export interface ProfileResult {
  profile: ProfileName;
  figures: Figures;
  runs: RandomRunResult[];
  realSeconds: number;
}

export async function runProfile(world: World, profile: ProfileName, options: ProfileOptions): Promise<ProfileResult> {
  const started = performance.now();
  const plan: { seed: number; calls: number; variants: Variants }[] = [];
  if (profile === 'random') {
    const count = Math.max(1, Math.min(options.randomRuns ?? 5, options.calls));
    const draw = new Prng(options.seed ^ 0x7a11);
    for (let i = 0; i < count; i += 1) {
      plan.push({ seed: options.seed + i, calls: Math.ceil(options.calls / count), variants: drawVariants(draw) });
    }
  } else {
    plan.push({ seed: options.seed, calls: options.calls, variants: profile === 'worst' ? WORST : CURRENT });
  }
  const runs: RandomRunResult[] = [];
  for (const run of plan) {
    runs.push(await randomRun(world, {
      seed: run.seed, calls: run.calls, faults: 'off-notice-path', maxWaitSeconds: options.maxWaitSeconds, variants: run.variants,
    }));
  }
  return { profile, figures: sumFigures(runs.map((r) => r.figures)), runs, realSeconds: Math.round((performance.now() - started) / 100) / 10 };
}

export function sumFigures(all: Figures[]): Figures {
  const total: Figures = {
    calls: 0, outcomes: {}, callersLost: 0, doublePulls: 0, toldTheirsNotGot: 0, wrongNotices: 0, invalidAnswers: 0, overlongWaits: 0, longestFunctionMs: 0,
    callbacks: 0, callbacksReached: 0, concurrentCallbacks: 0,
  };
  for (const f of all) {
    total.calls += f.calls;
    for (const [kind, n] of Object.entries(f.outcomes)) total.outcomes[kind] = (total.outcomes[kind] ?? 0) + n;
    total.callersLost += f.callersLost;
    total.doublePulls += f.doublePulls;
    total.toldTheirsNotGot += f.toldTheirsNotGot;
    total.wrongNotices += f.wrongNotices;
    total.invalidAnswers += f.invalidAnswers;
    total.overlongWaits += f.overlongWaits;
    total.longestFunctionMs = Math.max(total.longestFunctionMs, f.longestFunctionMs);
    total.callbacks += f.callbacks;
    total.callbacksReached += f.callbacksReached;
    total.concurrentCallbacks += f.concurrentCallbacks;
  }
  return total;
}

/** Every function must answer well inside Twilio's 10 s Function limit. */
export const LONGEST_FUNCTION_LIMIT_MS = 8000;

/** What is wrong with a profile's figures: empty when all are zero and every function answered in time. */
export function failures(figures: Figures): string[] {
  const out: string[] = [];
  const zero: [Exclude<keyof Figures, 'outcomes'>, string][] = [
    ['callersLost', 'callers lost'], ['doublePulls', 'double pulls'], ['toldTheirsNotGot', 'members told a caller is theirs who did not get it'],
    ['wrongNotices', 'wrong notices'], ['invalidAnswers', 'answers Twilio would fail'], ['overlongWaits', 'waits past the maximum'],
    ['concurrentCallbacks', 'members calling one customer back at the same time'],
  ];
  for (const [key, label] of zero) if (figures[key] !== 0) out.push(`${label}: ${String(figures[key])}`);
  if (figures.longestFunctionMs >= LONGEST_FUNCTION_LIMIT_MS) out.push(`longest function time ${figures.longestFunctionMs} ms (limit ${LONGEST_FUNCTION_LIMIT_MS} ms)`);
  return out;
}

/** One table, a row per profile. */
export function figuresTable(results: ProfileResult[]): string {
  const head = ['profile', 'calls', 'outcomes', 'lost', 'double pulls', 'told theirs, not got', 'wrong notices', 'invalid answers', 'overlong waits',
    'callbacks (reached)', 'two calling one customer back at once', 'longest function', 'real time'];
  const rows = results.map((r) => {
    const f = r.figures;
    const outcomes = Object.entries(f.outcomes).sort().map(([k, n]) => `${k} ${n}`).join(', ');
    return [r.profile, String(f.calls), outcomes, String(f.callersLost), String(f.doublePulls), String(f.toldTheirsNotGot), String(f.wrongNotices),
      String(f.invalidAnswers), String(f.overlongWaits), `${f.callbacks} (${f.callbacksReached})`, String(f.concurrentCallbacks),
      `${(f.longestFunctionMs / 1000).toFixed(1)} s`, `${r.realSeconds} s`];
  });
  const lines = [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

export function describeRuns(result: ProfileResult): string {
  return result.runs.map((r) => `  ${result.profile} seed ${r.scene.sim.options.seed ?? '?'} (${r.figures.calls} calls): ${describeVariants(r.variants)}`).join('\n');
}

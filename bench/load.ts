/**
 * Cold load of each built function: require() in a fresh node process, timed inside the child
 * (process start-up is not ours to count), once as deployed and once with `twilio` already loaded
 * to separate our bundled code from the twilio package it requires.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LoadRow, summarise } from './stats';

/**
 * The yardstick: the smallest function that answers Twilio with TwiML, built exactly as scripts/build.mjs builds
 * ours (esbuild, bundled, cjs, node20, twilio external), and loaded in the same run, alternating with ours. A
 * function's load time over this one's is a ratio the machine's load barely moves, unlike milliseconds.
 */
const TRIVIAL_SOURCE = `
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
export const handler = (_context: unknown, _event: unknown, callback: (error: null, response: unknown) => void): void => {
  callback(null, new VoiceResponse());
};
`;
export const TRIVIAL_FILE = 'trivial (yardstick)';

async function buildTrivial(root: string): Promise<string> {
  const dir = join(root, 'dist', 'bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'trivial-function.js');
  await build({
    stdin: { contents: TRIVIAL_SOURCE, loader: 'ts', resolveDir: root, sourcefile: 'trivial-function.ts' },
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['twilio'], logLevel: 'warning',
  });
  return outfile;
}

const CHILD = `
const [file, preload] = process.argv.slice(1);
if (preload === '1') require('twilio');
const start = process.hrtime.bigint();
require(file);
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;

function loadOnce(root: string, file: string, preloadTwilio: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CHILD, file, preloadTwilio ? '1' : '0'], { cwd: root }, (error, stdout) => {
      const ms = Number(stdout);
      if (error !== null || !Number.isFinite(ms)) reject(error ?? new Error(`bench: no load time from ${file}`));
      else resolve(ms);
    });
  });
}

/** Run `tasks` with at most `limit` at once, keeping their order in the result. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      const task = tasks[index];
      if (task !== undefined) results[index] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/**
 * `runs` cold loads of each file; the twilio-preloaded comparison, a sub-millisecond figure, gets a third as many
 * (one in the quick run, three in --full): each of those children loads all of twilio first, about three times a
 * plain cold load's cost, and no target reads them.
 */
export async function measureLoads(root: string, runs: number, parallel: number): Promise<LoadRow[]> {
  const dir = join(root, 'dist', 'functions');
  const names = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  if (names.length === 0) throw new Error('bench: no built functions in dist/functions (run npm run build)');
  const files = [...names.map((name) => ({ name, path: join(dir, name) })), { name: TRIVIAL_FILE, path: await buildTrivial(root) }];
  // Round by round, every file once per round: a burst of load on the machine hits all files alike.
  const tasks = Array.from({ length: runs }, (_, round) => files.flatMap((file) => [false, true]
    .filter((pre) => !pre || round < Math.min(3, Math.max(1, Math.floor(runs / 3))))
    .map((pre) => async () => ({ file: file.name, pre, ms: await loadOnce(root, file.path, pre) })))).flat();
  const results = await pool(tasks, parallel);
  const rows = files.map((file) => ({
    file: file.name,
    cold: summarise(results.filter((r) => r.file === file.name && !r.pre).map((r) => r.ms)),
    ownCode: summarise(results.filter((r) => r.file === file.name && r.pre).map((r) => r.ms)),
  }));
  // Fastest over fastest: on a shared machine the slow runs measure the neighbours, the fastest one the code.
  const yardstick = rows.find((r) => r.file === TRIVIAL_FILE)?.cold.minMs ?? Number.NaN;
  return rows.map((r) => ({ ...r, ratio: r.cold.minMs / yardstick }));
}

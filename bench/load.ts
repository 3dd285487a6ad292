/**
 * Cold load of each built function: require() in a fresh node process, timed inside the child
 * (process start-up is not ours to count), once as deployed and once with `twilio` already loaded
 * to separate our bundled code from the twilio package it requires.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoadRow, summarise } from './stats';

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

/** `runs` cold loads of each file; the twilio-preloaded comparison, a sub-millisecond figure, gets at most 3. */
export async function measureLoads(root: string, runs: number, parallel: number): Promise<LoadRow[]> {
  const dir = join(root, 'dist', 'functions');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  if (files.length === 0) throw new Error('bench: no built functions in dist/functions (run npm run build)');
  const tasks = files.flatMap((file) => [false, true].flatMap((pre) => Array.from({ length: pre ? Math.min(3, runs) : runs }, () => async () => ({ file, pre, ms: await loadOnce(root, join(dir, file), pre) }))));
  const results = await pool(tasks, parallel);
  return files.map((file) => ({
    file,
    cold: summarise(results.filter((r) => r.file === file && !r.pre).map((r) => r.ms)),
    ownCode: summarise(results.filter((r) => r.file === file && r.pre).map((r) => r.ms)),
  }));
}

/**
 * Spreading the bench over processes: the handlers, the twilio client and the stand-in all run on
 * one event loop per process, so cells measured at the same time slow each other a little. One process
 * per core, each measuring a few cells at once, keeps that small while the whole bench stays short.
 * Cells are handed out one at a time, so a process that finishes early takes the next.
 */
import { ChildProcess, fork } from 'node:child_process';
import { measureCell, ROUTES } from './routes';
import { RouteCell } from './stats';
import { World } from './world';

/** One cell of the per-route matrix. */
export interface Task {
  route: string;
  team: number;
  queue: number;
  reps: number;
}

type FromWorker =
  | { type: 'next'; slot: number }
  | { type: 'result'; result: RouteCell }
  | { type: 'finished'; logLines: number; errorLines: number }
  | { type: 'failed'; error: string };

type ToWorker = { type: 'task'; slot: number; task: Task } | { type: 'done'; slot: number };

export interface WorkerSettings {
  latencyMs: number;
  /** Cells one process measures at once. */
  concurrency: number;
}

export async function runTask(world: World, task: Task): Promise<RouteCell> {
  const routeCase = ROUTES.find((r) => r.route === task.route);
  if (routeCase === undefined) throw new Error(`bench: no route case ${task.route}`);
  return measureCell(world, routeCase, task.team, task.queue, task.reps);
}

/** In a forked child: ask the parent for tasks, one per free world, until there are none left. */
export async function serveAsWorker(settings: WorkerSettings): Promise<void> {
  const send = (message: FromWorker): void => { process.send?.(message); };
  // The functions log every step; thousands of lines would bury the report. Counted, not shown.
  const silenced = { log: 0, error: 0 };
  console.log = () => { silenced.log += 1; };
  console.error = () => { silenced.error += 1; };
  const worlds = await Promise.all(Array.from({ length: settings.concurrency }, (_, i) => World.open(i + 1, settings.latencyMs)));
  const waiting = new Map<number, (task: Task | undefined) => void>();
  process.on('message', (message: ToWorker) => {
    waiting.get(message.slot)?.(message.type === 'task' ? message.task : undefined);
    waiting.delete(message.slot);
  });
  const next = (slot: number): Promise<Task | undefined> => new Promise((resolve) => {
    waiting.set(slot, resolve);
    send({ type: 'next', slot });
  });
  try {
    await Promise.all(worlds.map(async (world, slot) => {
      for (let task = await next(slot); task !== undefined; task = await next(slot)) send({ type: 'result', result: await runTask(world, task) });
    }));
    send({ type: 'finished', logLines: silenced.log, errorLines: silenced.error });
  } catch (error) {
    send({ type: 'failed', error: error instanceof Error ? error.stack ?? error.message : String(error) });
  } finally {
    await Promise.all(worlds.map((w) => w.close()));
    process.disconnect();
  }
}

export interface RunSummary {
  results: RouteCell[];
  logLines: number;
  errorLines: number;
}

/** Fork `processes` copies of `script` as workers and hand them `tasks`; `workerArgs` tells a copy it is a worker. */
export function runInWorkers(script: string, workerArgs: string[], tasks: readonly Task[], processes: number, onResult?: (done: number) => void): Promise<RunSummary> {
  const queue = [...tasks];
  const summary: RunSummary = { results: [], logLines: 0, errorLines: 0 };
  const children: ChildProcess[] = [];
  return new Promise((resolve, reject) => {
    let running = processes;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      for (const child of children) child.kill();
      reject(error);
    };
    for (let i = 0; i < processes; i += 1) {
      const child = fork(script, workerArgs, { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      child.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'next': {
            const task = queue.shift();
            const reply: ToWorker = task === undefined ? { type: 'done', slot: message.slot } : { type: 'task', slot: message.slot, task };
            child.send(reply);
            break;
          }
          case 'result':
            summary.results.push(message.result);
            onResult?.(summary.results.length);
            break;
          case 'finished':
            summary.logLines += message.logLines;
            summary.errorLines += message.errorLines;
            break;
          case 'failed':
            fail(new Error(`bench worker failed: ${message.error}`));
            break;
        }
      });
      child.on('error', fail);
      child.on('exit', (code) => {
        if (code !== 0) {
          fail(new Error(`bench worker exited with ${code ?? 'a signal'}`));
          return;
        }
        running -= 1;
        if (running === 0 && !failed) {
          if (summary.results.length === tasks.length) resolve(summary);
          else fail(new Error(`bench: ${tasks.length - summary.results.length} tasks got no result`));
        }
      });
    }
  });
}

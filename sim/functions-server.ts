/**
 * The real built functions, served by twilio-run over HTTP, with every Twilio REST request sent to a stand-in.
 * twilio-run runs in its own process group (so stopping it stops everything it started), in-process
 * (`--no-fork-process`: no process start per request) and without its per-request module reload
 * (`--no-live`): that reload would drop the `twilio` module the loopback preload patched.
 * A second preload (virtual-time.cjs) can make the functions' clock the simulator's virtual one (`virtualClock`).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FunctionsServer {
  /** http://localhost:PORT: DOMAIN_NAME is localhost:PORT, so the functions' own URLs point here. */
  url: string;
  port: number;
  /** What twilio-run and the functions printed (the last 200 kB). */
  output: () => string;
  stop: () => Promise<void>;
}

export interface FunctionsServerOptions {
  /** The project root: holds dist/functions, dist/assets, sim/twilio-loopback.cjs and node_modules. */
  root: string;
  /** The environment the functions see (written to a temporary .env file). */
  env: Record<string, string>;
  /** The Twilio stand-in's URL; every REST request of the `twilio` package goes there. */
  twilioUrl: string;
  /** How long to wait for the server to answer, in real milliseconds. */
  startTimeoutMs?: number;
  /**
   * Leave forking to the project's .twilioserverlessrc, as `npm start` does, instead of forcing it off:
   * what a browser receives locally then depends on the project's own settings.
   */
  forkProcessFromProjectSettings?: boolean;
  /**
   * The functions read the simulator's virtual clock (sim/virtual-time.cjs), for business hours over a simulated
   * day. Off by default: a test that also reads the functions' time from outside the simulator (a voicemail
   * link's age, say) keeps real time. Works in-process only (not with forkProcessFromProjectSettings).
   */
  virtualClock?: boolean;
}

const OUTPUT_LIMIT = 200_000;

export async function startFunctionsServer(options: FunctionsServerOptions): Promise<FunctionsServer> {
  const { root } = options;
  if (!existsSync(join(root, 'dist', 'functions'))) {
    throw new Error(`${join(root, 'dist', 'functions')} is missing: run \`npm run build\` first (the simulator serves the built functions).`);
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pull-phone-sim-'));
  const envFile = join(dir, '.env');
  writeFileSync(envFile, Object.entries(options.env).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`).join('\n') + '\n');

  const bin = join(root, 'node_modules', 'twilio-run', 'bin', 'twilio-run.js');
  const child = spawn(process.execPath, [
    bin, 'start', '--functions-folder', 'dist/functions', '--assets-folder', 'dist/assets', '--port', String(port),
    '--load-local-env', '--env', envFile, ...(options.forkProcessFromProjectSettings === true ? [] : ['--no-fork-process']), '--no-live', '--log-level', 'warn',
  ], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Only what the server needs: --load-local-env would otherwise hand the shell's whole environment to the functions.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      NODE_OPTIONS: ['twilio-loopback.cjs', 'virtual-time.cjs', 'orphan-guard.cjs'].map((preload) => `--require ${join(root, 'sim', preload)}`).join(' '),
      PULL_PHONE_TWILIO_URL: options.twilioUrl,
      PULL_PHONE_SIMULATED_TIME: options.virtualClock === true && options.forkProcessFromProjectSettings !== true ? '1' : '0',
    },
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // A field, not a local: the exit handler sets it while we await.
  const state = { exited: false };
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      state.exited = true;
      resolve();
    });
  });

  // Should our own process end without stop() (a crashed test run), take the server down with it.
  const orphanGuard = (): void => { kill(child, 'SIGKILL'); };
  process.once('exit', orphanGuard);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', orphanGuard);
    if (!state.exited) {
      kill(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        exit.then(() => true),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => { resolve(false); }, 3000); }),
      ]);
      clearTimeout(timer);
      if (!killed) {
        kill(child, 'SIGKILL');
        await exit;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://localhost:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while (!(await answers(`${url}/hold-music.wav`))) {
    if (state.exited || Date.now() > deadline) {
      await stop();
      throw new Error(`twilio-run did not start on port ${port}:\n${output.slice(-4000)}`);
    }
    await delay(50);
  }
  return { url, port, output: () => output, stop };
}

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The whole process group: twilio-run and anything it started.
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = request(url, { method: 'HEAD', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => { resolve(false); });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

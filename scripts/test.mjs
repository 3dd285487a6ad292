// `npm test`: the type check and lint (scripts/check.mjs) and jest, side by side. They share nothing, and jest
// leaves a core idle while its randomized runs wait on injected slow answers, so the check fits in that gap.
// The check runs at a lower CPU priority: it needs a fraction of jest's time and must not delay the slow files.
// Exit 1 if either fails. Arguments go to jest (`npm test -- tests/unit` runs those files after the same check).
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function run(args, { quietUntilDone }) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: quietUntilDone ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  const chunks = [];
  if (quietUntilDone) {
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
  }
  return {
    child,
    done: new Promise((resolve) => {
      child.on('error', (error) => { chunks.push(Buffer.from(`${error.message}\n`)); resolve(1); });
      // Printed in one piece when it ends, so it never interleaves with jest's lines.
      child.on('close', (code, signal) => { if (quietUntilDone) process.stdout.write(Buffer.concat(chunks)); resolve(code ?? (signal === null ? 1 : 128)); });
    }),
  };
}

const check = run([join(root, 'scripts', 'check.mjs')], { quietUntilDone: true });
if (check.child.pid !== undefined) {
  try { setPriority(check.child.pid, 10); } catch { /* not permitted here: it runs at normal priority */ }
}
const jest = run([join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--reporters=summary', ...process.argv.slice(2)], { quietUntilDone: false });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { check.child.kill(signal); jest.child.kill(signal); });
}
const [checked, tested] = await Promise.all([check.done, jest.done]);
process.exitCode = checked !== 0 || tested !== 0 ? 1 : 0;

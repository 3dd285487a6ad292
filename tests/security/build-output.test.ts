/**
 * What twilio-run deploys is dist/functions, not functions/: the checks that matter are on the build output.
 * - Every function Twilio calls is .protected, so Twilio's gateway refuses requests without a valid X-Twilio-Signature
 *   (the local twilio-run server checks nothing, so no local run can show this). Only the voicemail page and its
 *   audio are public (a member's browser opens them); they check their own token.
 * - Every file stands alone: Twilio resolves no relative requires between functions and installs
 *   only package.json "dependencies".
 * Needs `npm run build` first (npm test does it).
 */
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BUILT = join(ROOT, 'dist', 'functions');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const DEPENDENCIES = Object.keys(PACKAGE.dependencies ?? {});

function builtFunctions(): string[] {
  if (!existsSync(BUILT)) throw new Error('dist/functions is missing: run `npm run build` first (`npm test` builds before jest).');
  return readdirSync(BUILT).filter((f) => f.endsWith('.js')).sort();
}
const sources = readdirSync(join(ROOT, 'functions')).filter((f) => f.endsWith('.ts')).sort();

it('twilio-run deploys dist/functions (so these checks are on what is deployed)', () => {
  const rc = readFileSync(join(ROOT, '.twilioserverlessrc'), 'utf8');
  expect(rc).toMatch(/"functionsFolder":\s*"dist\/functions"/);
});

it('every deployed function is .protected but the voicemail page and its audio: Twilio refuses unsigned requests', () => {
  const built = builtFunctions();
  expect(built.length).toBeGreaterThan(0);
  expect(built.filter((f) => !f.endsWith('.protected.js'))).toEqual(['vm-audio.js', 'vm.js']);
});

it('every function source has a built counterpart and nothing else is built (a stale file would be deployed too)', () => {
  expect(builtFunctions()).toEqual(sources.map((f) => f.replace(/\.ts$/, '.js')));
});

describe('each built function stands alone', () => {
  it('has no relative require and requires only Node built-ins and package.json dependencies', () => {
    const builtins = new Set(builtinModules);
    for (const file of builtFunctions()) {
      const code = readFileSync(join(BUILT, file), 'utf8');
      expect({ file, relative: /require\(\s*["']\.\.?\//.test(code) }).toEqual({ file, relative: false });
      const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? '');
      const undeclared = required.filter((name) => {
        const bare = name.replace(/^node:/, '');
        if (name.startsWith('node:') || builtins.has(bare)) return false;
        const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0] ?? name;
        return !DEPENDENCIES.includes(pkg);
      });
      expect({ file, undeclared }).toEqual({ file, undeclared: [] });
    }
  });

  it('loads in a fresh process next to nothing but the declared dependencies, and exports a handler', async () => {
    // A folder like Twilio's: the one file, and node_modules holding only "dependencies".
    const sandbox = mkdtempSync(join(tmpdir(), 'pull-phone-fn-'));
    try {
      for (const dep of DEPENDENCIES) {
        mkdirSync(dirname(join(sandbox, 'node_modules', dep)), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules', dep), join(sandbox, 'node_modules', dep), 'dir');
      }
      const results = await Promise.all(builtFunctions().map((file) => {
        copyFileSync(join(BUILT, file), join(sandbox, file));
        const probe = `const m = require(${JSON.stringify(`./${file}`)}); process.stdout.write(typeof m.handler);`;
        return new Promise<{ file: string; handler: string }>((resolve) => {
          execFile(process.execPath, ['-e', probe], { cwd: sandbox, env: { PATH: process.env.PATH ?? '' }, timeout: 15_000 }, (error, stdout, stderr) => {
            resolve({ file, handler: error === null ? stdout : `failed to load: ${stderr.split('\n').slice(0, 6).join('\n')}` });
          });
        });
      }));
      expect(results).toEqual(builtFunctions().map((file) => ({ file, handler: 'function' })));
    } finally {
      rmSync(sandbox, { recursive: true, force: true });
    }
  }, 30_000);
});

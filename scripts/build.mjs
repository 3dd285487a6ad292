// Build: bundle each functions/*.ts into one self-contained dist/functions/*.js.
// Twilio deploys only the functions and assets folders and relative requires between
// function files are not supported there, so our shared src/ modules are inlined into each file.
// `twilio` stays external: it is a dependency Twilio installs for the deployed service.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist');
rmSync(out, { recursive: true, force: true });

const entryPoints = readdirSync(join(root, 'functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(root, 'functions', f));

await build({
  entryPoints,
  outdir: join(out, 'functions'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['twilio'],
  logLevel: 'warning',
});

// Only the audio is served; the assets README stays in the repository.
mkdirSync(join(out, 'assets'), { recursive: true });
for (const file of readdirSync(join(root, 'assets'))) {
  if (!file.endsWith('.md') && existsSync(join(root, 'assets', file))) cpSync(join(root, 'assets', file), join(out, 'assets', file));
}
// Command-line tools (demo, bench, doctor, setup) are built the same way into dist/tools; they are not deployed.
// The benchmark (bench/bench.ts, a consumer of the simulator like the tests) goes to dist/bench.
const cli = (folder, only) => (existsSync(join(root, folder))
  ? readdirSync(join(root, folder)).filter((f) => f.endsWith('.ts') && (only === undefined || f === only)).map((f) => join(root, folder, f))
  : []);
const tools = cli('tools');
const bench = cli('bench', 'bench.ts');
for (const [entries, folder] of [[tools, 'tools'], [bench, 'bench']]) {
  if (entries.length === 0) continue;
  await build({
    entryPoints: entries,
    outdir: join(out, folder),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
}
console.log(`built ${entryPoints.length} functions into dist/functions, ${tools.length} tools into dist/tools and the bench into dist/bench`);

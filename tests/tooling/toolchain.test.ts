/**
 * The Node version and compiler settings agree with where the code runs (issue 13, item 8):
 * Twilio Functions run node22 (.twilioserverlessrc `runtime`), so .nvmrc and package.json `engines` say 22;
 * esbuild compiles one file at a time, so TypeScript must refuse what a per-file compiler cannot do (isolatedModules).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

it('.nvmrc, engines and the Functions runtime name the same Node major version', () => {
  const runtime = /"runtime":\s*"node(\d+)"/.exec(read('.twilioserverlessrc'))?.[1];
  expect(runtime).toBe('22');
  expect(read('.nvmrc').trim()).toBe(runtime);
  const engines = (JSON.parse(read('package.json')) as { engines?: { node?: string } }).engines?.node;
  expect(engines).toBe(`${runtime ?? ''}.x`);
});

it('tsconfig resolves modules as Node 16+ does and checks each file can be compiled on its own', () => {
  const options = (JSON.parse(read('tsconfig.json')) as { compilerOptions: Record<string, unknown> }).compilerOptions;
  expect(String(options.module).toLowerCase()).toMatch(/^node(16|next)$/);
  expect(String(options.moduleResolution).toLowerCase()).toMatch(/^node(16|next)$/);
  expect(options.isolatedModules).toBe(true);
});

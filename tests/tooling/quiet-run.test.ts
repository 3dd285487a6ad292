/**
 * A passing run prints the summary, not the logs (issue 13, item 8): the code under test logs a lot on purpose,
 * and that output is shown only for a test that fails. Checked by running jest, with this project's
 * environment, on a fixture with one passing and one failing test.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

it('logs of a passing test are not printed; logs of a failing test are', () => {
  const config = {
    rootDir: root,
    roots: ['<rootDir>/tests/support/fixtures'],
    testMatch: ['**/quiet.fixture.ts'],
    testEnvironment: '<rootDir>/tests/support/quiet-environment.cjs',
    transform: { '^.+\\.ts$': '<rootDir>/tests/esbuild-transform.cjs' },
  };
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config), '--ci', '--colors=false'], {
    cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status).toBe(1);
  expect(output).toContain('LOG-OF-A-FAILING-TEST');
  expect(output).not.toContain('LOG-OF-A-PASSING-TEST');
  expect(output).not.toContain('ERROR-OF-A-PASSING-TEST');
  expect(output).toMatch(/Tests:\s+1 failed, 1 passed, 2 total/);
});

it('the build runs before the tests that use it: every built function is newer than every source file', () => {
  const newest = Math.max(...['functions', 'src'].flatMap((dir) => readdirSync(join(root, dir)).map((f) => statSync(join(root, dir, f)).mtimeMs)));
  const built = readdirSync(join(root, 'dist', 'functions'));
  expect(built.length).toBeGreaterThan(0);
  for (const file of built) expect({ file, fresh: statSync(join(root, 'dist', 'functions', file)).mtimeMs >= newest }).toEqual({ file, fresh: true });
});

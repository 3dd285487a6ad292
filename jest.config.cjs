// Three projects: `unit` (the pure modules, no build needed: `npm run test:unit`), `built` (everything that serves
// or inspects dist/: the build runs first, in globalSetup, so no test sees a stale dist/) and `slow` (see below).
// Output is quiet: what code prints during a test is shown only if that test fails (tests/support/quiet-environment.cjs).
const shared = {
  testEnvironment: '<rootDir>/tests/support/quiet-environment.cjs',
  // esbuild is already our build tool; it strips types in milliseconds (type checking is `npm run typecheck`).
  transform: { '^.+\\.ts$': '<rootDir>/tests/esbuild-transform.cjs' },
};
const built = { ...shared, globalSetup: '<rootDir>/tests/support/build-once.cjs' };

// The slow group: 15-40 s a file, where most files take under 5 s. They start first (tests/support/sequencer.cjs),
// so they run beside the rest instead of after it.
// - tests/random: seeded randomized runs, 12-40 calls each through the real built functions served by twilio-run.
//   The faults they inject include slow answers (0.1-1.2 s) and retries, and those take real time: the simulator's
//   clock stands still while a request is in flight, so a caller's patience is never mistaken for a slow function.
// - tests/fuzz: 240 hostile webhooks per route, each a real handler run with its REST round trips to the stand-in.
// - tests/e2e/variants.test.ts: a full scenario for every reading of Twilio the docs leave open (sim/variants.ts).
const SLOW = ['tests/random/', 'tests/fuzz/', 'tests/e2e/variants.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
  // Jest's default on 2 cores is one worker. Test files share no state (every server and stand-in listens on
  // port 0, every simulator has its own clock), so two workers run side by side.
  maxWorkers: 2,
  testSequencer: '<rootDir>/tests/support/sequencer.cjs',
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/tests/unit'] },
    { ...built, displayName: 'built', roots: ['<rootDir>/tests'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/unit/', ...SLOW.map((path) => `<rootDir>/${path}`)] },
    {
      ...built,
      displayName: 'slow: randomized runs, fuzzing, every Twilio reading',
      roots: ['<rootDir>/tests'],
      testMatch: SLOW.map((path) => `**/${path.endsWith('/') ? `${path}**/*.test.ts` : path}`),
    },
  ],
};

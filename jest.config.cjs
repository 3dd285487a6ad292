// Two projects: `unit` (the pure modules, no build needed: `npm run test:unit`) and `built` (everything else,
// which serves or inspects dist/: the build runs first, in globalSetup, so no test sees a stale dist/).
// Output is quiet: what code prints during a test is shown only if that test fails (tests/support/quiet-environment.cjs).
const shared = {
  testEnvironment: '<rootDir>/tests/support/quiet-environment.cjs',
  // esbuild is already our build tool; it strips types in milliseconds (type checking is `npm run typecheck`).
  transform: { '^.+\\.ts$': '<rootDir>/tests/esbuild-transform.cjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/tests/unit'] },
    {
      ...shared,
      displayName: 'built',
      roots: ['<rootDir>/tests'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/unit/'],
      globalSetup: '<rootDir>/tests/support/build-once.cjs',
    },
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  // esbuild is already our build tool; it strips types in milliseconds (type checking is `npm run typecheck`).
  transform: { '^.+\\.ts$': '<rootDir>/tests/esbuild-transform.cjs' },
  testTimeout: 20000,
};

// Jest globalSetup: build dist/ before any test that uses it, so no test ever runs against a stale build.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
};

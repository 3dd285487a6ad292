// Jest environment: what the code under test prints is kept, not shown, and printed only for a test that
// fails (or a failing hook), so a passing run shows the summary and a failure shows everything it logged.
const { format } = require('node:util');
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

class QuietEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.captured = [];
    this.testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    // Jest's copy of `process` keeps Node's lazy getter for allowedNodeEnvironmentFlags but not the value Node caches
    // on first read, so every read builds the set again (about half a millisecond). axios (inside the twilio client)
    // reads it on every request: seconds of CPU in the files that make thousands of REST requests to the stand-in.
    // The value is Node's own, read once: what code outside jest sees.
    Object.defineProperty(this.global.process, 'allowedNodeEnvironmentFlags', { value: process.allowedNodeEnvironmentFlags, configurable: true, enumerable: true });
    // Jest has put its own console on the global by now; the code under test uses this one instead.
    const captured = this.captured;
    const keep = (level) => (...args) => { captured.push(`${level} ${format(...args)}`); };
    const quiet = Object.create(this.global.console);
    for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) quiet[level] = keep(level);
    this.global.console = quiet;
  }

  handleTestEvent(event) {
    if (event.name === 'test_start') this.captured.length = 0;
    const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
    if (failed && this.captured.length > 0) {
      const name = event.test ? event.test.name : event.hook.type;
      process.stderr.write(`\n--- output of "${name}" (${this.testPath}) ---\n${this.captured.join('\n')}\n--- end of output ---\n`);
    }
    if (event.name === 'test_done') this.captured.length = 0;
  }
}

module.exports = QuietEnvironment;

// Jest test order: the `slow` project's files first, then jest's own order (slowest known first, else largest).
// The slow files are small (a seeded run is a few lines), so on a fresh clone jest, with no timings yet, would
// start them last; the longest file then decides the run's end. Started first, they overlap everything else.
const Sequencer = require('@jest/test-sequencer').default;

class SlowFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const slow = (test) => (test.context.config.displayName?.name ?? '').startsWith('slow');
    return [...ordered.filter(slow), ...ordered.filter((test) => !slow(test))];
  }
}

module.exports = SlowFirst;

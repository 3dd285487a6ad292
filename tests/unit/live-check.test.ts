/**
 * The live check's reading of what Twilio did (issue 13, item 6), on crafted observations: one per way each
 * reading can come out, including the ones the simulator cannot play yet (it plays one reading of each today).
 * tests/e2e/live-check.test.ts reads observations the simulator produced.
 */
import { describePlan, interpret, LiveObservation, Reading, ReadingName, webhookOfEvent } from '../../src/live-check';

const base: LiveObservation = { webhooks: [], memberRung: false, costs: [] };
const reading = (observation: LiveObservation, name: ReadingName): Reading => {
  const found = interpret(observation).readings.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no reading ${name}`);
  return found;
};
const queued = [{ path: '/incoming-call', at: 0 }, { path: '/wait-music', at: 1 }];

describe('action after REST dequeue', () => {
  const dequeue = { at: 10, path: '/voicemail?live-check=dequeue' };
  it('the dequeue Url requested after the action: the Url runs', () => {
    const r = reading({ ...base, dequeue, webhooks: [...queued, { path: '/queue-result', at: 11, params: { QueueResult: 'redirected' } }, { path: '/voicemail?live-check=dequeue', at: 12 }] }, 'action after REST dequeue');
    expect(r).toEqual({ name: 'action after REST dequeue', settled: true, shows: 'the dequeue\'s Url runs (after the action); the Enqueue action was requested with QueueResult=redirected.' });
  });
  it('the action requested and the dequeue Url never: the action\'s answer runs', () => {
    const r = reading({ ...base, dequeue, webhooks: [...queued, { path: '/queue-result', at: 11, params: { QueueResult: 'redirected' } }] }, 'action after REST dequeue');
    expect(r.settled).toBe(true);
    expect(r.shows).toMatch(/^the action's answer runs/);
  });
  it('the Url before the action, and requests from before the dequeue do not count', () => {
    const r = reading({ ...base, dequeue, webhooks: [{ path: '/voicemail', at: 5 }, { path: '/voicemail?live-check=dequeue', at: 11 }, { path: '/queue-result', at: 12 }] }, 'action after REST dequeue');
    expect(r.shows).toMatch(/Url runs \(before the action\)/);
  });
  it('nothing after the dequeue, or no dequeue at all: not settled, and says so', () => {
    expect(reading({ ...base, dequeue, webhooks: queued }, 'action after REST dequeue')).toMatchObject({ settled: false, shows: expect.stringMatching(/^not seen/) as unknown });
    expect(reading({ ...base, webhooks: queued }, 'action after REST dequeue')).toMatchObject({ settled: false, shows: expect.stringMatching(/never dequeued/) as unknown });
  });
});

describe('completed status callback order', () => {
  it('before an action callback: said loudly, naming it', () => {
    const r = reading({ ...base, webhooks: [{ path: '/call-status', at: 5, params: { CallStatus: 'completed' } }, { path: '/voicemail-done', at: 6 }] }, 'completed status callback order');
    expect(r).toMatchObject({ settled: true, shows: expect.stringMatching(/^BEFORE the action callbacks of \/voicemail-done/) as unknown });
  });
  it('after every action callback', () => {
    const r = reading({ ...base, webhooks: [{ path: '/queue-result', at: 4 }, { path: '/call-status', at: 5 }] }, 'completed status callback order');
    expect(r).toMatchObject({ settled: true, shows: expect.stringMatching(/^after the action callbacks/) as unknown });
  });
  it('no status callback (the number has none set): not settled, and says how to set it', () => {
    expect(reading({ ...base, webhooks: [{ path: '/queue-result', at: 4 }] }, 'completed status callback order').shows).toMatch(/npm run setup/);
  });
});

describe('DialBridged', () => {
  it('not checked unless a member agreed to be rung', () => {
    expect(reading(base, 'DialBridged')).toMatchObject({ settled: false, shows: expect.stringMatching(/--member NAME --yes/) as unknown });
  });
  it('present, absent, or the Dial action not reached', () => {
    expect(reading({ ...base, memberRung: true, webhooks: [{ path: '/bridge-result', at: 1, params: { DialCallStatus: 'no-answer', DialBridged: 'false' } }] }, 'DialBridged').shows).toBe('present (DialBridged=false).');
    expect(reading({ ...base, memberRung: true, webhooks: [{ path: '/bridge-result', at: 1, params: { DialCallStatus: 'no-answer' } }] }, 'DialBridged').shows).toMatch(/^absent on this account/);
    expect(reading({ ...base, memberRung: true, webhooks: [] }, 'DialBridged').settled).toBe(false);
  });
});

describe('silent recordings', () => {
  it.each([
    [[], true, /^dropped: no recording/],
    [[{ status: 'absent', durationSeconds: 0 }], true, /^dropped: the recording is reported absent/],
    [[{ status: 'completed', durationSeconds: 6 }], true, /^kept: a 6 s recording/],
    [[{ status: 'processing', durationSeconds: -1 }], false, /^not settled/],
  ])('%j', (recordings, settled, shows) => {
    expect(reading({ ...base, recordings }, 'silent recordings')).toMatchObject({ settled, shows: expect.stringMatching(shows) as unknown });
  });
});

it('reports the webhooks reached in order, and the cost with what is not priced yet', () => {
  const report = interpret({ ...base, webhooks: [{ path: '/wait-music', at: 2 }, { path: '/incoming-call', at: 1 }, { path: '/wait-music', at: 3 }, { path: '/voicemail?live-check=dequeue', at: 4 }],
    costs: [{ what: 'call', priceUsd: -0.013 }, { what: 'call 2', priceUsd: -0.0085 }, { what: 'text', priceUsd: undefined }] });
  expect(report.reached).toEqual(['/incoming-call', '/wait-music', '/voicemail']);
  expect(report.cost).toBe('$0.0215 for 2 of 3 resources (1 not priced yet: see Console > Monitor > Logs).');
});

it('the plan says who is texted and rung before anything happens', () => {
  expect(describePlan({ teamSize: 3 }).join('\n')).toMatch(/ring nobody/);
  const ringing = describePlan({ teamSize: 3, member: { name: 'Ann', maskedNumber: '+1•••••0001' } }).join('\n');
  expect(ringing).toContain("RING Ann's MOBILE (+1•••••0001)");
  expect(ringing).toMatch(/\(3\) gets one new-call text/);
});

it('reads a call Event as Twilio reports it: snake_case parameters back to webhook names, the time from the response', () => {
  const seen = webhookOfEvent(
    { method: 'POST', url: 'https://pull-phone-1234-dev.twil.io/queue-result?x=1', parameters: { queue_result: 'redirected', call_sid: 'CA1', dial_bridged: 'true' } },
    { date_created: 'Thu, 03 Dec 2026 14:20:00 +0000', response_code: 200 },
  );
  expect(seen).toEqual([{ path: '/queue-result?x=1', at: Date.parse('2026-12-03T14:20:00Z'), params: { QueueResult: 'redirected', CallSid: 'CA1', DialBridged: 'true' } }]);
  expect(webhookOfEvent(null, null)).toEqual([]);
  expect(webhookOfEvent({ url: 'not a url' }, { date_created: 'Thu, 03 Dec 2026 14:20:00 +0000' })).toEqual([]);
  expect(webhookOfEvent({ url: 'https://x.twil.io/a' }, {})).toEqual([]);
});

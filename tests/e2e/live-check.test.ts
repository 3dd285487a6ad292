/**
 * The live check's reading (src/live-check.ts) of observations the simulator produced: a caller pulled by a
 * member's Y through the real built functions. The simulator plays one reading of each open question today
 * (the action is requested, then the dequeue Url runs; the completed status callback comes last); when it plays
 * the others, the same test can run each one. Crafted observations for the other readings: tests/unit/live-check.test.ts.
 */
import { join } from 'node:path';
import { interpret, LiveObservation } from '../../src/live-check';
import { World } from '../../sim/scenario';
import { ANN, BOB } from '../support/harness';

let world: World;
beforeAll(async () => { world = await World.start({ root: join(__dirname, '..', '..'), members: [ANN, BOB] }); });
afterAll(async () => { await world.stop(); });

it('reads the simulator\'s dequeue and status-callback order as the simulator plays them', async () => {
  const scene = world.scene();
  scene.member('Ann').repliesToNewCalls('Y', 10).answers({ afterSeconds: 3, press: '1', pressAfterSeconds: 2, talkSeconds: 20 });
  const call = scene.sim.call({ from: '+16175550101' });
  await scene.sim.run();
  expect(call.outcome).toBe('connected');

  const own = scene.sim.webhooks.filter((w) => w.callSid === call.callSid);
  // The pull is Ann's /sms-reply: the dequeue happens while Twilio waits for its answer.
  const pull = scene.sim.webhooks.find((w) => w.path === '/sms-reply');
  const observation: LiveObservation = {
    webhooks: own.map((w) => ({ path: w.path, at: w.at })),
    dequeue: pull === undefined ? undefined : { at: pull.at, path: '/bridge' },
    memberRung: true,
    costs: [],
  };
  const report = interpret(observation);
  expect(report.reached.slice(0, 2)).toEqual(['/incoming-call', '/wait-music']);
  expect(report.reached).toEqual(expect.arrayContaining(['/queue-result', '/bridge', '/bridge-result', '/call-status']));
  const shows = Object.fromEntries(report.readings.map((r) => [r.name, r.shows]));
  expect(shows['action after REST dequeue']).toBe('the dequeue\'s Url runs (after the action); the Enqueue action was requested.');
  expect(shows['completed status callback order']).toMatch(/^after the action callbacks/);
  // The simulator's log keeps paths and times, not parameters: the Dial reading is honestly not settled from it.
  expect(shows.DialBridged).toMatch(/^not seen: the Dial action's parameters were not reported/);
});

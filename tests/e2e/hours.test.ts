// A simulated day of calls with business hours on, against the real built functions: the functions read
// the simulator's virtual clock (sim/virtual-time.cjs), so a day and a night pass in seconds.
// What people would notice: nobody is queued (or the team texted) while the phone is closed, and nobody is
// sent to voicemail because of the hours while it is open; a member's CLOSED and OPEN take effect at once.
import { join } from 'node:path';
import { DEFAULT_PROMPTS } from '../../src/config';
import { isNewCallText, MemberPhone } from '../../sim/phones';
import { reportsAbout } from '../../sim/reports';
import { trace, World } from '../../sim/scenario';
import { SimCall } from '../../sim/voice';
import { ANN, BOB } from '../support/harness';

const HOUR = 3600;
/**
 * Virtual time starts on Monday 5 January 2026 at 09:00 UTC, 03:00 in Chicago (UTC-6 in January).
 * OPEN_HOURS below, with Bob's CLOSED at 14:00 and OPEN at 15:00, give these open spells, in hours from the start:
 * 09:00-12:00, 13:00-14:00 (CLOSED until the next opening, 22:00), 15:00-17:00 (OPEN, replacing it until the next
 * closing), 22:00-02:00.
 */
const OPEN_SPELLS: [number, number][] = [[6, 9], [10, 11], [12, 14], [19, 23]];
const openAt = (seconds: number): boolean => OPEN_SPELLS.some(([from, to]) => seconds >= from * HOUR && seconds < to * HOUR);

let world: World;
beforeAll(async () => {
  world = await World.start({
    root: join(__dirname, '..', '..'),
    members: [ANN, BOB],
    virtualClock: true,
    env: { OPEN_HOURS: 'Mon-Fri 09:00-12:00 13:00-17:00, Mon 22:00-02:00', TIMEZONE: 'America/Chicago', HOLIDAYS: '2026-01-19' },
  });
});
afterAll(async () => {
  await world.stop();
});

function newCallTextsAbout(phone: MemberPhone, call: SimCall): string[] {
  return phone.bodies().filter((b) => isNewCallText(b) && b.includes(call.script.from));
}

it('a day of calls: none queued while closed, none sent to voicemail while open; CLOSED and OPEN by SMS', async () => {
  const scene = world.scene({ seed: 16 });
  const ann = scene.member('Ann').repliesToNewCalls('Y', 15).answers({ talkSeconds: 120 });
  const bob = scene.member('Bob');
  scene.sim.text(bob, 'CLOSED', 11 * HOUR);
  scene.sim.text(bob, 'OPEN', 12 * HOUR);
  // A call every 25 minutes for 26 hours, none within a few minutes of a change.
  const calls: SimCall[] = [];
  for (let at = 7 * 60; at < 26 * HOUR; at += 25 * 60) {
    calls.push(scene.sim.call({ from: `+1312555${String(1000 + calls.length)}`, arriveAfterSeconds: at }));
  }
  await scene.sim.run();

  const failures: string[] = [];
  for (const call of calls) {
    const arrived = (call.startedAt ?? 0) / 1000;
    const when = `call at ${(arrived / HOUR).toFixed(2)} h`;
    const heard = call.heard();
    if (openAt(arrived)) {
      if (call.queue === undefined) failures.push(`${when} (open) was not queued`);
      if (heard.includes(DEFAULT_PROMPTS.closed)) failures.push(`${when} (open) heard the closed prompt`);
      if (call.outcome !== 'connected') failures.push(`${when} (open) ended ${call.outcome ?? 'unended'}, not connected`);
    } else {
      if (call.queue !== undefined) failures.push(`${when} (closed) was queued`);
      if (heard[0] !== DEFAULT_PROMPTS.closed || heard[1] !== DEFAULT_PROMPTS.voicemail) failures.push(`${when} (closed) heard ${JSON.stringify(heard.slice(0, 2))}`);
      if (call.outcome !== 'voicemail') failures.push(`${when} (closed) ended ${call.outcome ?? 'unended'}, not in voicemail`);
      for (const phone of [ann, bob]) {
        if (newCallTextsAbout(phone, call).length > 0) failures.push(`${when} (closed): ${phone.name} was texted about it`);
        const kinds = reportsAbout(phone, call.script.from, call.recording?.url).map((r) => r.kind);
        if (kinds.join() !== 'voicemail') failures.push(`${when} (closed): ${phone.name} got ${JSON.stringify(kinds)}, not one voicemail text`);
      }
    }
  }
  if (failures.length > 0 || scene.sim.violations.length > 0) {
    throw new Error(`${failures.join('\n')}\n${JSON.stringify(scene.sim.violations.slice(0, 5))}\n${trace(scene.sim.events).slice(0, 20_000)}`);
  }
  const open = calls.filter((c) => openAt((c.startedAt ?? 0) / 1000)).length;
  expect(open).toBeGreaterThan(10);
  expect(calls.length - open).toBeGreaterThan(10);

  const closedText = 'Bob closed the phone until 22:00 America/Chicago: callers hear the closed message and go to voicemail. Text OPEN to reopen.';
  const openedText = 'Bob opened the phone until 17:00 America/Chicago: callers are queued and the team texted. Text CLOSED to close.';
  for (const phone of [ann, bob]) {
    expect(phone.bodies()).toContain(closedText);
    expect(phone.bodies()).toContain(openedText);
  }
}, 120_000);

// End to end, issue 15: a member calls a customer back from the team number (CALL <ref>), against the real built
// functions with the simulator playing Twilio's outbound calls: the member's phone rings, they press 1, the customer's
// phone rings showing the team number. The failure paths free the customer and tell the team; two members racing
// for one customer make exactly one call.
import { join } from 'node:path';
import { callBackReferenceIn, callsBack, concurrentCallbacks } from '../../sim/callbacks';
import { CalledPhone, MemberPhone } from '../../sim/phones';
import { Scene, TEST_TWILIO_NUMBER, trace, World } from '../../sim/scenario';
import { ANN, BOB } from '../support/harness';
import { Simulator } from '../../sim/voice';

const JANE = { from: '+16175550101', callerName: 'JANE' };
const MISSED_CALL_TEXT = 'Sorry we missed your call. We will call you back soon.';

let world: World;
beforeAll(async () => {
  world = await World.start({ root: join(__dirname, '..', '..'), members: [ANN, BOB], env: { MISSED_CALL_TEXT } });
});
afterAll(async () => {
  await world.stop();
});

let scene: Scene;
let ann: MemberPhone;
let bob: MemberPhone;
let jane: CalledPhone;
beforeEach(() => {
  scene = world.scene();
  ann = scene.member('Ann');
  bob = scene.member('Bob');
  jane = scene.sim.addPhone(new CalledPhone('Jane', JANE.from));
});

function expectValidTwiml(sim: Simulator): void {
  if (sim.violations.length > 0) throw new Error(`Twilio would have failed these answers:\n${JSON.stringify(sim.violations, null, 1)}\n${trace(sim.events)}`);
}

const missedNotice = (body: string): boolean => body.startsWith('Missed call: ');

/** Jane calls, nobody takes her, she hangs up after 20 s: the team gets a missed-call notice with its CALL reference. */
function janeHangsUp(): string {
  const call = scene.sim.call({ ...JANE, hangUpAfterSeconds: 20 });
  return call.reference;
}

it('a missed call, then CALL <ref>: Ann presses 1, Jane\'s phone rings showing the team number, they talk; the reference is remembered', async () => {
  ann.onText(callsBack(30, missedNotice)).answers({ afterSeconds: 4, press: '1', pressAfterSeconds: 3 });
  jane.picksUp(6, 45);
  const reference = janeHangsUp();
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  const notice = ann.bodies().find(missedNotice);
  // The notice offers the caller's own reference, lasting, within one segment.
  expect(notice).toBe(`Missed call: JANE, waited 20s. Call back +16175550101: CALL ${reference}`);
  expect(bob.bodies()).toContain(notice);
  // Ann is told her phone rings, it rings from the team number, she hears who it is and presses 1.
  expect(ann.bodies()).toContain(`Calling your phone from the team number: answer, then press 1 to call JANE (${reference}).`);
  const [out] = scene.sim.outbound;
  expect(scene.sim.outbound).toHaveLength(1);
  expect(out?.who).toBe('Ann');
  expect(out?.ring?.callerId).toBe(TEST_TWILIO_NUMBER);
  expect(out?.ring?.heard[0]).toBe(`Pull Phone. You are calling back JANE (${reference.split('').join(' ')}). Press 1 to call them now from the team number.`);
  expect(out?.ring?.pressed).toEqual(['1']);
  // Jane saw the TEAM number, not Ann's, and they talked.
  expect(jane.legs.map((l) => [l.callerId, l.answered, l.bridged])).toEqual([[TEST_TWILIO_NUMBER, true, true]]);
  expect(out?.dials).toEqual([{ member: 'Jane', status: 'completed', bridged: true, talkSeconds: 45 }]);
  // The one missed-call text to Jane, from the team number.
  expect(jane.texts.map((t) => [t.from, t.body])).toEqual([[TEST_TWILIO_NUMBER, MISSED_CALL_TEXT]]);
  // Nobody was told of a failure; the reference now names who called back, so a second CALL says so.
  expect([...ann.bodies(), ...bob.bodies()].some((b) => /could not reach/.test(b))).toBe(false);
  const record = world.twilio.syncItems('pull-phone-callbacks')?.get(`ref-${reference}`)?.data as { calledBackBy?: string } | undefined;
  expect(record?.calledBackBy).toBe('Ann');
  expect(world.twilio.syncItems('pull-phone-callbacks')?.has('claim-+16175550101')).toBe(false);
});

it.each([
  ['Ann does not press 1 (her phone\'s voicemail picks up)', (a: MemberPhone) => a.answersWithoutPressing(5), 'did not press 1'],
  ['Ann is busy', (a: MemberPhone) => a.isBusy(), 'busy'],
  ['Ann does not answer', (a: MemberPhone) => a.doesNotAnswer(), 'not answered'],
  ['Ann answers and hangs up before pressing', (a: MemberPhone) => a.whenRinging(() => ({ kind: 'answer', afterSeconds: 3, hangUpAfterSeconds: 2, talkSeconds: 0 })), 'hung up'],
  ['Jane does not answer', (a: MemberPhone) => a.answers({ afterSeconds: 3 }), 'no answer'],
] as const)('%s: the claim is released, the team is told, and Bob can call back', async (_what, script, why) => {
  ann.onText(callsBack(30, missedNotice));
  script(ann);
  if (why === 'no answer') jane.doesNotAnswer();
  else jane.picksUp(5, 20);
  // Bob calls back once he hears Ann could not: the customer was freed for him.
  bob.onText((text) => {
    if (!/^Ann could not reach/.test(text.body)) return undefined;
    const reference = callBackReferenceIn(text.body);
    return reference === undefined ? undefined : { afterSeconds: 20, body: `CALL ${reference}` };
  }).answers({ afterSeconds: 3, press: '1', pressAfterSeconds: 2 });
  const reference = janeHangsUp();
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  const told = `Ann could not reach JANE (${reference}) (${why}). Anyone can try: CALL ${reference}`;
  expect(ann.bodies().filter((b) => /^Ann could not reach/.test(b))).toEqual([told]);
  expect(bob.bodies().filter((b) => /^Ann could not reach/.test(b))).toEqual([told]);
  expect(scene.sim.outbound.map((o) => o.who)).toEqual(['Ann', 'Bob']);
  if (why === 'no answer') {
    // Bob tried too, and Jane still did not answer: the team is told of his attempt as well.
    expect(bob.bodies().filter((b) => /^Bob could not reach/.test(b))).toHaveLength(1);
  } else {
    expect(jane.legs.filter((l) => l.bridged).map((l) => l.callerId)).toEqual([TEST_TWILIO_NUMBER]);
  }
  expect(concurrentCallbacks(scene.sim)).toEqual([]);
});

it('two members CALL the same reference at the same moment: exactly one outbound call, the other is told who is calling (every seed)', async () => {
  for (let seed = 1; seed <= 8; seed += 1) {
    scene = world.scene({ seed });
    ann = scene.member('Ann');
    bob = scene.member('Bob');
    jane = scene.sim.addPhone(new CalledPhone('Jane', JANE.from));
    ann.answers({ afterSeconds: 3 });
    bob.answers({ afterSeconds: 3 });
    jane.picksUp(4, 10);
    world.twilio.setSyncItem('pull-phone-callbacks', 'ref-0101', {
      callSid: `CA${'9'.repeat(32)}`, reference: '0101', kind: 'missed', number: JANE.from, name: 'JANE', at: Date.now(),
    });
    scene.sim.text(ann, 'CALL 0101');
    scene.sim.text(bob, 'call 101');
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(world.twilio.createdCalls).toHaveLength(1);
    const caller = scene.sim.outbound[0]?.who;
    const other = caller === 'Ann' ? bob : ann;
    expect(other.bodies()).toEqual([`${caller ?? '?'} is already calling back JANE (0101).`]);
    expect(jane.legs).toHaveLength(1);
  }
});

it('CALL +number calls any number from the team number, and claims a callback owed to it; bad input gets an answer', async () => {
  ann.answers({ afterSeconds: 3 });
  jane.picksUp(4, 10);
  const stranger = scene.stranger('+13125550199', 'Ken');
  // Jane is owed a callback under 0101: CALL +number settles it, and CALL 0101 meanwhile finds Ann on it.
  world.twilio.setSyncItem('pull-phone-callbacks', 'ref-0101', { callSid: `CA${'8'.repeat(32)}`, reference: '0101', kind: 'missed', number: JANE.from, name: 'JANE', at: Date.now() });
  world.twilio.setSyncItem('pull-phone-callbacks', `num-${JANE.from}`, { reference: '0101' });
  scene.sim.text(ann, 'CALL +1 617 555 0101');
  scene.sim.text(bob, 'CALL 0101', 2);
  scene.sim.text(bob, 'CALL');
  scene.sim.text(bob, 'CALL 9999', 1);
  scene.sim.text(bob, 'CALL +19005550101', 3);
  scene.sim.text(bob, `CALL ${ANN.number}`, 4);
  scene.sim.text(stranger, 'CALL +16175550101', 5);
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(world.twilio.createdCalls.map((c) => c.to)).toEqual([ANN.number]);
  expect(jane.legs.map((l) => l.callerId)).toEqual([TEST_TWILIO_NUMBER]);
  expect(bob.bodies().filter((b) => !b.startsWith('Text T'))).toEqual([
    'Text CALL and the reference in a missed-call, callback or voicemail text (CALL 0101), or CALL +15125550101.',
    'No caller to call back has reference 9999 (they last 7 days). Text CALL +number to call any number.',
    'Ann is already calling back +16175550101.',
    'Not called: premium-rate numbers are not called.',
    'Not called: that is your own number, or the team number.',
  ]);
  expect((world.twilio.syncItems('pull-phone-callbacks')?.get('ref-0101')?.data as { calledBackBy?: string } | undefined)?.calledBackBy).toBe('Ann');
  // A stranger's CALL is a customer text: forwarded to the team, nothing called, nothing about callbacks answered.
  expect(stranger.bodies().some((b) => /call/i.test(b) && /back|team number/.test(b))).toBe(false);
});

it('STATUS lists the callbacks owed and who is on each', async () => {
  ann.whenRinging(() => ({ kind: 'answer', afterSeconds: 2, talkSeconds: 0, hangUpAfterSeconds: 60 }));
  world.twilio.setSyncItem('pull-phone-callbacks', 'ref-0101', { callSid: `CA${'8'.repeat(32)}`, reference: '0101', kind: 'missed', number: JANE.from, name: 'JANE', at: 1 });
  world.twilio.setSyncItem('pull-phone-callbacks', 'ref-0202', { callSid: `CA${'7'.repeat(32)}`, reference: '0202', kind: 'voicemail', number: '+13125550102', at: 2 });
  world.twilio.setSyncItem('pull-phone-callbacks', 'ref-0303', { callSid: `CA${'6'.repeat(32)}`, reference: '0303', kind: 'callback', number: '+13125550103', at: 3, calledBackBy: 'Bob' });
  scene.sim.text(ann, 'CALL 0101');
  scene.sim.text(bob, 'STATUS', 5);
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(bob.bodies()).toContain('Callbacks owed 2: 0101 JANE (Ann calling); 0202 +13125550102.');
});

it('the voicemail page\'s Call back button rings the phone of the member whose link it is, under the same claim; any miss is the one 404', async () => {
  scene.member('Bob').repliesToNewCalls('N', 10);
  ann.answers({ afterSeconds: 3, press: '1', pressAfterSeconds: 2 });
  jane.picksUp(5, 20);
  const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 10, end: 'hangup', words: 'Please call me back.' } });
  await scene.sim.run();
  const link = /https?:\/\/\S+/.exec(ann.bodies().find((b) => b.startsWith('Voicemail ')) ?? '')?.[0] ?? '';
  const token = new URL(link).searchParams.get('t') ?? '';
  const post = async (form: Record<string, string>): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${world.server.url}/vm`, { method: 'POST', body: new URLSearchParams(form), signal: AbortSignal.timeout(10_000) });
    return { status: response.status, text: await response.text() };
  };
  expect((await fetch(link)).status).toBe(200);
  expect(await (await fetch(link)).text()).toContain('<input type="hidden" name="do" value="call-back"><button type="submit">Call back from the team number</button>');

  const pressed = await post({ t: token, do: 'call-back' });
  expect(pressed.status).toBe(200);
  expect(pressed.text).toContain(`Calling your phone from the team number: answer, then press 1 to call JANE (${call.reference}).`);
  // A second press while Ann is on it: the same claim says she already is.
  expect((await post({ t: token, do: 'call-back' })).text).toContain(`You are already calling back JANE (${call.reference}).`);
  // Forged or altered tokens: the one 404, and no call.
  for (const t of ['', token.slice(1), `${token.slice(0, -1)}A`]) expect(await post({ t, do: 'call-back' })).toEqual({ status: 404, text: 'Not found\n' });
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(world.twilio.createdCalls.map((c) => c.to)).toEqual([ANN.number]);
  expect(jane.legs.map((l) => [l.callerId, l.bridged])).toEqual([[TEST_TWILIO_NUMBER, true]]);
  expect((world.twilio.syncItems('pull-phone-callbacks')?.get(`ref-${call.reference}`)?.data as { calledBackBy?: string } | undefined)?.calledBackBy).toBe('Ann');
});

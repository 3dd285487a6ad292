// End to end: a caller and the team's phones against the real built functions served by twilio-run,
// with Twilio's voice and messaging side played by the simulator (sim/voice.ts) on a virtual clock.
// Assertions are what people notice: what the caller heard, the texts each phone got, how the call ended.
import { join } from 'node:path';
import { withCallBack } from '../support/twiml';
import { DEFAULT_PROMPTS } from '../../src/config';
import { isNewCallText, MemberPhone } from '../../sim/phones';
import { reports, reportsAbout } from '../../sim/reports';
import { Scene, TEST_TWILIO_NUMBER, trace, World } from '../../sim/scenario';
import { ANN, BOB } from '../support/harness';
import { SimCall, Simulator } from '../../sim/voice';

const JANE = { from: '+16175550101', city: 'Boston', state: 'MA', country: 'US' };
const KEN = { from: '+13125550102', city: 'Chicago', state: 'IL', country: 'US' };

let world: World;
beforeAll(async () => {
  world = await World.start({ root: join(__dirname, '..', '..'), members: [ANN, BOB] });
});
afterAll(async () => {
  await world.stop();
});

let scene: Scene;
let ann: MemberPhone;
let bob: MemberPhone;
beforeEach(() => {
  scene = world.scene();
  ann = scene.member('Ann');
  bob = scene.member('Bob');
});

/** Every webhook answered 200 in time with TwiML Twilio would run; the trace explains a failure. */
function expectValidTwiml(sim: Simulator): void {
  if (sim.violations.length > 0) throw new Error(`Twilio would have failed these answers:\n${JSON.stringify(sim.violations, null, 1)}\n${trace(sim.events)}`);
}

/** Texts other than new-call texts, in order. */
function afterNewCall(phone: MemberPhone): string[] {
  return phone.bodies().filter((b) => !isNewCallText(b));
}

function reportKinds(phone: MemberPhone, call: SimCall): string[] {
  return reportsAbout(phone, call.script.from).map((r) => r.kind);
}

describe('a member takes the call', () => {
  it('Y and the reference: the member is rung, hears who it is, presses 1 and is connected; the other member is told', async () => {
    ann.repliesToNewCalls('Y', 10).answers({ afterSeconds: 4, press: '1', pressAfterSeconds: 3, talkSeconds: 60 });
    const call = scene.sim.call(JANE);
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('connected');
    expect(call.heard()).toEqual([DEFAULT_PROMPTS.greeting, DEFAULT_PROMPTS.holdOptions, 'Connecting you now.', '(ringing)', '(connected to Ann)']);
    const newCall = `Call from +16175550101, Boston MA US. Reply Y ${call.reference} to take, N ${call.reference} for voicemail.`;
    expect(ann.bodies()).toEqual([newCall, `Calling you now for +16175550101, Boston MA US (${call.reference}). Answer and press 1 within 25s to connect.`]);
    expect(bob.bodies()).toEqual([newCall, `Ann took the call from +16175550101, Boston MA US (${call.reference}).`]);
    // Ann's phone shows the caller's own number, and she hears who it is before being connected.
    expect(ann.legs).toHaveLength(1);
    expect(ann.legs[0]?.callerId).toBe(JANE.from);
    expect(ann.legs[0]?.heard.join(' ')).toContain(`Pull Phone call from +16175550101 from Boston MA US, reference ${call.reference.split('').join(' ')}`);
    expect(ann.legs[0]?.bridged).toBe(true);
    expect(call.dials).toEqual([{ member: 'Ann', status: 'completed', bridged: true, talkSeconds: 60 }]);
    expect([...reports(ann), ...reports(bob)]).toEqual([]);
  });

  it('a withheld number is connected too; the member\'s phone shows our number', async () => {
    ann.repliesToNewCalls('Y', 5).answers();
    const call = scene.sim.call({ from: 'anonymous' });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('connected');
    expect(ann.texts[0]?.body).toBe(`Call from an unknown number. Reply Y ${call.reference} to take, N ${call.reference} for voicemail.`);
    expect(ann.legs[0]?.callerId).toBe(TEST_TWILIO_NUMBER);
  });

  it('two members accept at the same moment: one is connected, the other is told it was taken', async () => {
    ann.repliesToNewCalls('Y', 10).answers();
    bob.repliesToNewCalls('Y', 10).answers();
    const call = scene.sim.call(JANE);
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('connected');
    expect(call.dequeues).toBe(1);
    const rung = [ann, bob].filter((m) => m.legs.length > 0);
    expect(rung).toHaveLength(1);
    const winner = rung[0] as MemberPhone;
    const loser = winner === ann ? bob : ann;
    expect(afterNewCall(winner)).toEqual([expect.stringMatching(/^Calling you now for /)]);
    // Either the dequeue was refused (too late) or the caller had already left the queue list.
    expect(afterNewCall(loser)).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^Too late: ${winner.name} took .*\\(${call.reference}\\)`)),
    ]));
    expect(afterNewCall(loser).some((b) => b.startsWith('Calling you now'))).toBe(false);
  });

  it('two callers waiting: each reply acts on the caller it names', async () => {
    const jane = scene.sim.call(JANE);
    const ken = scene.sim.call({ ...KEN, arriveAfterSeconds: 5 });
    // Ann takes Ken (the later caller), Bob sends Jane to voicemail.
    ann.onText((t) => (t.body.startsWith(`Call from ${KEN.from}`) ? { afterSeconds: 20, body: `Y ${ken.reference}` } : undefined)).answers();
    bob.onText((t) => (t.body.startsWith(`Call from ${JANE.from}`) ? { afterSeconds: 30, body: `N ${jane.reference}` } : undefined));
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(ken.outcome).toBe('connected');
    expect(jane.outcome).toBe('voicemail');
    expect(ann.legs.map((l) => l.callerId)).toEqual([KEN.from]);
    expect(bob.bodies()).toContain(`Ann took the call from +13125550102, Chicago IL US (${ken.reference}).`);
    expect(ann.bodies()).toContain(`Bob sent +16175550101, Boston MA US (${jane.reference}) to voicemail.`);
    expect(reportKinds(ann, jane)).toEqual(['voicemail']);
    expect(reportKinds(ann, ken)).toEqual([]);
  });
});

describe('a member takes the call but is not connected: the caller goes to voicemail and the team is told', () => {
  it.each([
    ['does not press 1 (their phone\'s own voicemail answers)', (m: MemberPhone) => m.answersWithoutPressing(3), 'did not accept'],
    ['does not answer', (m: MemberPhone) => m.doesNotAnswer(), 'no answer'],
    ['is busy', (m: MemberPhone) => m.isBusy(), 'busy'],
  ])('the member %s', async (_what, phone, reason) => {
    phone(ann.repliesToNewCalls('Y', 10));
    const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 12, end: 'key' } });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('voicemail');
    expect(call.dials).toEqual([expect.objectContaining({ member: 'Ann', bridged: false })]);
    const heard = call.heard();
    const apology = heard.indexOf('Sorry, nobody could take your call after all.');
    expect(apology).toBeGreaterThan(heard.indexOf('(ringing)'));
    expect(heard.slice(apology + 1)).toEqual([DEFAULT_PROMPTS.voicemail, '(beep)', DEFAULT_PROMPTS.voicemailThanks]);
    const notice = `Ann did not connect (${reason}) with +16175550101, Boston MA US (${call.reference}); the caller is sent to voicemail.`;
    for (const member of [ann, bob]) {
      expect(member.bodies().filter((b) => b === notice)).toHaveLength(1);
      expect(reportKinds(member, call)).toEqual(['voicemail']);
    }
    if (reason === 'did not accept') expect(ann.legs[0]).toEqual(expect.objectContaining({ answered: true, pressed: [], bridged: false }));
  });
});

describe('voicemail', () => {
  it('N and the reference: the caller leaves a message and every member gets one text with its link', async () => {
    bob.repliesToNewCalls('N', 15);
    const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 12, end: 'key' } });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('voicemail');
    expect(call.heard().slice(-3)).toEqual([DEFAULT_PROMPTS.voicemail, '(beep)', DEFAULT_PROMPTS.voicemailThanks]);
    expect(afterNewCall(bob)[0]).toBe(`OK: +16175550101, Boston MA US (${call.reference}) is going to voicemail.`);
    expect(afterNewCall(ann)[0]).toBe(`Bob sent +16175550101, Boston MA US (${call.reference}) to voicemail.`);
    for (const member of [ann, bob]) {
      expect(reportsAbout(member, JANE.from)).toEqual([{ kind: 'voicemail', body: expect.stringMatching(/^Voicemail 12s from \+16175550101, CALL \d{4}: http:\/\/localhost:\d+\/vm\?t=[\w-]{32}$/) as unknown }]);
    }
  });

  it('pressing 1 while waiting goes to voicemail', async () => {
    const call = scene.sim.call({ ...JANE, keys: [{ afterSeconds: 20, digits: '1' }], voicemail: { speakSeconds: 6, end: 'hangup' } });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('voicemail');
    expect(call.queue?.result).toBe('leave');
    const heard = call.heard();
    expect(heard.slice(heard.indexOf('OK.'))).toEqual(['OK.', DEFAULT_PROMPTS.voicemail, '(beep)']);
    for (const member of [ann, bob]) expect(reportKinds(member, call)).toEqual(['voicemail']);
  });

  it('nobody answers within the maximum wait: the caller is told and goes to voicemail', async () => {
    const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 20, end: 'silence' } });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('voicemail');
    const heard = call.heard();
    expect(heard.slice(heard.indexOf(DEFAULT_PROMPTS.maxWait))).toEqual([DEFAULT_PROMPTS.maxWait, DEFAULT_PROMPTS.voicemail, '(beep)', DEFAULT_PROMPTS.voicemailThanks]);
    // MAX_WAIT_SECONDS is 120; the check comes once per hold loop (40 s of music and the prompts).
    expect(call.queueSeconds()).toBeGreaterThanOrEqual(120);
    expect(call.queueSeconds()).toBeLessThanOrEqual(120 + 50);
    for (const member of [ann, bob]) expect(reportKinds(member, call)).toEqual(['voicemail']);
  });
});

describe('callers who do not wait', () => {
  it('pressing 2 asks for a callback: the team is texted once and the call ends', async () => {
    const call = scene.sim.call({ ...JANE, keys: [{ afterSeconds: 30, digits: '2' }] });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('callback');
    expect(call.endedBy).toBe('app');
    expect(call.heard().at(-1)).toBe(DEFAULT_PROMPTS.callbackConfirmation);
    for (const member of [ann, bob]) {
      expect(reportsAbout(member, JANE.from)).toEqual([{ kind: 'callback', body: withCallBack('+16175550101, Boston MA US asked for a callback: +16175550101') }]);
    }
  });

  it('hanging up while waiting: every member gets one missed-call text with the number to call back', async () => {
    const call = scene.sim.call({ ...JANE, hangUpAfterSeconds: 70 });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('missed');
    expect(call.queue?.result).toBe('hangup');
    for (const member of [ann, bob]) {
      expect(reportsAbout(member, JANE.from)).toEqual([{ kind: 'missed', body: withCallBack('Missed call: +16175550101, Boston MA US, waited 1m10s. Call back +16175550101') }]);
    }
  });
});

describe('a caller who hangs up while being connected', () => {
  it('hanging up while the member\'s phone rings: one missed-call text, and no "sent to voicemail" text', async () => {
    ann.repliesToNewCalls('Y', 10).answers({ afterSeconds: 15 });
    const call = scene.sim.call({ ...JANE, hangUpAfterSeconds: 18 });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(call.outcome).toBe('missed');
    expect(call.dials).toEqual([expect.objectContaining({ member: 'Ann', status: 'canceled', bridged: false })]);
    for (const member of [ann, bob]) {
      expect(reportKinds(member, call)).toEqual(['missed']);
      expect(member.bodies().some((b) => b.includes('sent to voicemail'))).toBe(false);
    }
  });
});

describe('team commands', () => {
  it('STATUS lists the waiting callers with how long each has waited', async () => {
    const jane = scene.sim.call({ ...JANE, hangUpAfterSeconds: 90 });
    const ken = scene.sim.call({ ...KEN, arriveAfterSeconds: 5, hangUpAfterSeconds: 85 });
    scene.sim.text(ann, 'status', 65);
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    const reply = ann.texts.find((t) => t.via === 'twiml');
    // Wait times come from the queue (virtual seconds): Jane arrived at 0 s, Ken at 5 s, STATUS at 65 s.
    expect(reply?.body).toMatch(new RegExp(`^2 waiting: ${jane.reference} \\+16175550101 Boston MA US 1m05s; ${ken.reference} \\+13125550102 Chicago.* 1m00s\\.$`));
    expect(bob.texts.filter((t) => t.via === 'twiml')).toEqual([]);
  });

  it('a paused member gets no new-call texts until they resume', async () => {
    scene.sim.text(bob, 'OFF');
    const first = scene.sim.call({ ...JANE, arriveAfterSeconds: 5, hangUpAfterSeconds: 20 });
    scene.sim.text(bob, 'ON', 60);
    const second = scene.sim.call({ ...KEN, arriveAfterSeconds: 70, hangUpAfterSeconds: 20 });
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(ann.bodies().filter(isNewCallText).map((b) => b.slice(0, 22))).toEqual(['Call from +16175550101', 'Call from +13125550102']);
    expect(bob.bodies().filter(isNewCallText).map((b) => b.slice(0, 22))).toEqual(['Call from +13125550102']);
    expect(bob.bodies()[0]).toMatch(/^Paused: you will get no new-call texts until you reply ON/);
    expect(first.outcome).toBe('missed');
    expect(second.outcome).toBe('missed');
  });

  it('texts from a number not on the team are a customer\'s: forwarded to the team, never a command, nothing back, nobody pulled', async () => {
    const stranger = scene.stranger('+12125550199');
    const call = scene.sim.call({ ...JANE, hangUpAfterSeconds: 60 });
    scene.sim.text(stranger, `Y ${call.reference}`, 10);
    scene.sim.text(stranger, 'STATUS', 20);
    scene.sim.text(stranger, 'OFF', 30);
    await scene.sim.run();

    expectValidTwiml(scene.sim);
    expect(stranger.texts).toEqual([]);
    expect(call.dequeues).toBe(0);
    expect(call.outcome).toBe('missed');
    expect(scene.sim.undelivered).toEqual([]);
    for (const member of scene.members) {
      expect(member.bodies().filter((b) => b.startsWith('Text T')).map((b) => /: "(.*)" Reply/.exec(b)?.[1])).toEqual([`Y ${call.reference}`, 'STATUS', 'OFF']);
    }
  });
});

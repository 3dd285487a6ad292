// End to end: customers who text the team number, against the real built functions served by twilio-run,
// with Twilio's messaging side played by the simulator. What people notice: what each phone receives, and from whom.
import { join } from 'node:path';
import { answersCustomerTexts, customerReferenceIn, CustomerPhone, customerWordsIn, isCustomerText, isHeldSummary } from '../../sim/customers';
import { MemberPhone } from '../../sim/phones';
import { Scene, TEST_TWILIO_NUMBER, trace, World } from '../../sim/scenario';
import { ANN, BOB, CARA } from '../support/harness';

let world: World;
beforeAll(async () => {
  world = await World.start({ root: join(__dirname, '..', '..'), members: [ANN, BOB, CARA] });
});
afterAll(async () => {
  await world.stop();
});

let scene: Scene;
let ann: MemberPhone;
let bob: MemberPhone;
let cara: MemberPhone;
let jane: CustomerPhone;
beforeEach(() => {
  scene = world.scene();
  [ann, bob, cara] = [scene.member('Ann'), scene.member('Bob'), scene.member('Cara')];
  jane = scene.sim.addPhone(new CustomerPhone('Jane', '+16175550101'));
});

function expectNoViolations(): void {
  if (scene.sim.violations.length > 0) throw new Error(`Twilio would have failed these answers:\n${JSON.stringify(scene.sim.violations, null, 1)}\n${trace(scene.sim.events)}`);
}

function forwarded(phone: MemberPhone): string[] {
  return phone.bodies().filter(isCustomerText);
}

/** No text a customer receives carries a member's number, and every one comes from the team number. */
function expectNoMemberNumberReaches(customer: CustomerPhone): void {
  for (const text of customer.texts) {
    expect(text.from).toBe(TEST_TWILIO_NUMBER);
    for (const member of [ANN, BOB, CARA]) expect(text.body).not.toContain(member.number.slice(-10));
  }
}

describe('a customer texts the team number', () => {
  it('each member gets it; Bob answers; Jane gets the answer from the team number; Ann and Cara see what Bob said', async () => {
    bob.onText(answersCustomerTexts('Yes, 9 to 5 on Saturday.', 30));
    scene.sim.text(jane, 'Are you open Saturday?', 5);
    await scene.sim.run();

    expectNoViolations();
    for (const member of [ann, bob, cara]) expect(forwarded(member).map(customerWordsIn)).toEqual(['Are you open Saturday?']);
    const reference = customerReferenceIn(forwarded(ann)[0] ?? '');
    expect(jane.texts.map((t) => ({ body: t.body, via: t.via }))).toEqual([{ body: 'Yes, 9 to 5 on Saturday.', via: 'rest' }]);
    expectNoMemberNumberReaches(jane);
    expect(bob.bodies()).toContain(`Sent to +16175550101 (${reference}) from the team number.`);
    for (const other of [ann, cara]) expect(other.bodies()).toContain(`Bob answered ${reference} (+16175550101): "Yes, 9 to 5 on Saturday."`);
  });

  it('Jane answers back: the team sees it with Bob named as the owner, and Jane\'s reference stays the same', async () => {
    bob.onText((text) => (isCustomerText(text.body) && !text.body.includes("(Bob's)") ? answersCustomerTexts('Yes.', 20)(text, bob) : undefined));
    scene.sim.text(jane, 'Open Saturday?', 5);
    scene.sim.text(jane, 'Great, see you then', 120);
    await scene.sim.run();

    expectNoViolations();
    const [first, second] = forwarded(cara);
    expect(customerReferenceIn(second ?? '')).toBe(customerReferenceIn(first ?? ''));
    expect(second).toMatch(/^Text T\d{4} from \+16175550101 \(Bob's\): "Great, see you then"/);
  });

  it('a paused member gets nothing', async () => {
    scene.sim.text(cara, 'OFF', 1);
    scene.sim.text(jane, 'Hello?', 10);
    await scene.sim.run();

    expectNoViolations();
    expect(forwarded(ann)).toHaveLength(1);
    expect(forwarded(bob)).toHaveLength(1);
    expect(cara.bodies().slice(1)).toEqual([]);
  });

  it('a flood of 30 texts costs at most the limit (5) plus one summary per member, and Jane is in STATUS', async () => {
    for (let i = 0; i < 30; i += 1) scene.sim.text(jane, `Hello ${i}`, 1 + i * 2);
    scene.sim.text(ann, 'STATUS', 120);
    await scene.sim.run();

    expectNoViolations();
    for (const member of [ann, bob, cara]) {
      const fromJane = member.bodies().filter((b) => isCustomerText(b) || isHeldSummary(b));
      expect(fromJane.filter(isCustomerText)).toHaveLength(5);
      expect(fromJane.filter(isHeldSummary)).toHaveLength(1);
    }
    expect(ann.bodies().at(-1)).toMatch(/^Texts not answered: T\d{4} \+16175550101 /);
    expect(jane.texts).toEqual([]);
  });

  it('two members answering one text at once both reach the customer, and each is told of the other', async () => {
    ann.onText(answersCustomerTexts('From Ann', 15));
    bob.onText(answersCustomerTexts('From Bob', 15));
    scene.sim.text(jane, 'Anyone?', 5);
    await scene.sim.run();

    expectNoViolations();
    expect(jane.bodies().sort()).toEqual(['From Ann', 'From Bob']);
    expectNoMemberNumberReaches(jane);
    expect(ann.bodies()).toContainEqual(expect.stringMatching(/^Bob answered T\d{4} \(\+16175550101\): "From Bob"$/));
    expect(bob.bodies()).toContainEqual(expect.stringMatching(/^Ann answered T\d{4} \(\+16175550101\): "From Ann"$/));
    expect(cara.bodies().filter((b) => / answered T\d{4}/.test(b))).toHaveLength(2);
  });
});

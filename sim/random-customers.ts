/**
 * The randomized run's customers who text (kept apart from the call part in random-run.ts): a few customers
 * text the team number at random times, one floods it, some texts look like member commands, one customer
 * opts out midway; members answer some forwarded texts with R. Then two invariants are checked:
 * - every customer text reaches the team (forwarded to a member) or is kept for STATUS (in the inbox's Sync texts);
 * - no member's number ever reaches a customer, and every text a customer gets comes from the team number.
 */
import { INBOX_MAPS } from '../src/inbox-store';
import { answersCustomerTexts, CustomerPhone, customerWordsIn, isCustomerText } from './customers';
import { Prng } from './prng';
import { Scene, TEST_TWILIO_NUMBER, World } from './scenario';

export interface CustomerPlan {
  customers: CustomerPhone[];
}

export interface CustomerTallies {
  customers: number;
  customerTexts: number;
  forwardedToAMember: number;
  keptNotForwarded: number;
  answersReceived: number;
}

const LOOKS_LIKE_COMMANDS = ['Y 1234', 'STATUS', 'N', 'OFF', 'R T0001 hello', 'commands'];

/** Schedule the customers' texts from `startSeconds` over `spanSeconds` and script how members answer them. */
export function planCustomerTexts(world: World, scene: Scene, seed: number, count: number, startSeconds: number, spanSeconds: number): CustomerPlan {
  const prng = new Prng(seed ^ 0xc057);
  const customers: CustomerPhone[] = [];
  for (let i = 0; i < count; i += 1) {
    const customer = scene.sim.addPhone(new CustomerPhone(`customer ${i}`, `+1212${String(5_550_000 + i)}`));
    customers.push(customer);
    const texts = i === 0 ? 9 : 1 + prng.integer(0, 3);
    let at = startSeconds + prng.seconds(1, spanSeconds);
    for (let t = 0; t < texts; t += 1) {
      // The first customer floods: texts seconds apart, past the hourly limit.
      at += i === 0 ? prng.seconds(1, 5) : prng.seconds(30, 900);
      const body = prng.chance(0.2) ? prng.pick(LOOKS_LIKE_COMMANDS) : `Question ${t} from customer ${i}: are you open ${prng.pick(['today', 'Saturday', 'late'])}?`;
      scene.sim.text(customer, body, at);
    }
    if (i === 1) {
      // Twilio blocks sends to a number once it texts STOP (error 21610); the stand-in learns it at that moment.
      const stopAt = at + prng.seconds(5, 60);
      scene.sim.text(customer, 'STOP', stopAt);
      scene.sim.clock.schedule(stopAt * 1000, () => { world.twilio.optedOut.add(customer.number); });
    }
  }
  for (const member of scene.members) {
    const decide = answersCustomerTexts(`Thanks, ${member.name} here: yes, we can help.`, 0);
    member.onText((text, phone) => {
      if (!isCustomerText(text.body)) return undefined;
      const choice = new Prng(hash(seed, member.name, text.body, String(text.at)));
      if (!choice.chance(0.4)) return undefined;
      const planned = decide(text, phone);
      return planned === undefined ? undefined : { ...planned, afterSeconds: choice.seconds(5, 120) };
    });
  }
  return { customers };
}

/** A text that reached nobody is lost, like a caller; a wrong sender or a member's number reaching a customer is a wrong text. */
export interface CustomerProblem {
  figure: 'lost' | 'wrong-notice';
  problem: string;
}

export function checkCustomerTexts(world: World, scene: Scene, plan: CustomerPlan): { problems: CustomerProblem[]; tallies: CustomerTallies } {
  const problems: CustomerProblem[] = [];
  const memberNumbers = scene.members.map((m) => m.number);
  const forwardedWords = new Set(scene.members.flatMap((m) => m.bodies().filter(isCustomerText).map((b) => `${customerWordsIn(b) ?? ''}\u0000${/ from (\+\d+)/.exec(b)?.[1] ?? ''}`)));
  const kept = [...(world.twilio.syncItems(INBOX_MAPS.texts)?.values() ?? [])].map((item) => item.data as { from?: string; body?: string });
  const tallies: CustomerTallies = { customers: plan.customers.length, customerTexts: 0, forwardedToAMember: 0, keptNotForwarded: 0, answersReceived: 0 };
  for (const customer of plan.customers) {
    for (const sent of customer.sent) {
      if (/^stop$/i.test(sent.body)) continue; // Twilio's word: the team is told of the opt-out instead.
      tallies.customerTexts += 1;
      // The words are unique per customer and text, or a command-like text checked together with its sender.
      // A forward names the customer's number (no Lookup here) and quotes the words; when Sync could not give the
      // customer a reference, the forward says so and carries no R reference, but it still reached the team.
      const forwarded = forwardedWords.has(`${sent.body}\u0000${customer.number}`) || scene.members.some((m) => m.bodies().some((b) => b.startsWith('Text ') && b.includes(customer.number) && b.includes(`"${sent.body}"`)));
      const isKept = kept.some((k) => k.from === customer.number && k.body === sent.body);
      if (forwarded) tallies.forwardedToAMember += 1;
      else if (isKept) tallies.keptNotForwarded += 1;
      else problems.push({ figure: 'lost', problem: `${customer.name}'s text ${JSON.stringify(sent.body)} reached neither the team nor STATUS` });
    }
    for (const received of customer.texts) {
      tallies.answersReceived += 1;
      if (received.from !== TEST_TWILIO_NUMBER) problems.push({ figure: 'wrong-notice', problem: `${customer.name} got a text from ${received.from}, not the team number` });
      const leaked = memberNumbers.filter((n) => received.body.includes(n.slice(-10)));
      if (leaked.length > 0) problems.push({ figure: 'wrong-notice', problem: `${customer.name} got a text carrying a member's number: ${JSON.stringify(received.body)}` });
    }
  }
  return { problems, tallies };
}

function hash(seed: number, ...labels: string[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of labels.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

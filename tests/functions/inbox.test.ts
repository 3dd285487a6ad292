/** /sms-reply as the shared inbox: customers' texts reach the team, members answer with R. */
import { handler } from '../../functions/sms-reply.protected';
import { INBOX_MAPS } from '../../src/inbox-store';
import { isSingleSegment } from '../../src/sms-text';
import { MAPS } from '../../src/store';
import { sequentialRounds, TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, BOB, CARA, ENV, invoke, startTwilio, TWILIO_NUMBER } from '../support/harness';
import { findAll, Verb } from '../support/twiml';

const JANE = '+16175550101';
const KEN = '+16175550102';
const TEAM3 = { ...ENV, TEAM_MEMBERS: `${ANN.name}:${ANN.number},${BOB.name}:${BOB.number},${CARA.name}:${CARA.number}` };

let twilio: TwilioStandIn;
let dequeued: string[];
beforeAll(async () => {
  twilio = await startTwilio();
  twilio.onDequeue = (callSid) => { dequeued.push(callSid); };
});
afterAll(async () => { await twilio.stop(); });
beforeEach(() => {
  dequeued = [];
  twilio.latencyMs = 0;
  twilio.faults = undefined;
  twilio.optedOut.clear();
  twilio.callerNames.clear();
  for (const queue of twilio.queues.values()) queue.members = [];
  for (const map of [...Object.values(MAPS), ...Object.values(INBOX_MAPS)]) twilio.syncItems(map)?.clear();
  twilio.resetLog();
});

let sids = 0;
function text(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  sids += 1;
  return { ...sms(from, body), MessageSid: `SM${sids.toString(16).padStart(32, 'd')}`, ...extra };
}
function texts(twiml: Verb): { to: string | undefined; body: string }[] {
  return findAll(twiml, 'Message').map((m) => ({ to: m.attrs.to, body: m.text }));
}
function to(twiml: Verb, number: string | undefined): string[] {
  return texts(twiml).filter((t) => t.to === number).map((t) => t.body);
}
function referenceIn(body: string): string {
  return /\bR (T\d{4})\b/.exec(body)?.[1] ?? '(none)';
}

describe('a customer texts the team number', () => {
  it('every member gets it once, in one segment, from the team number, with a reference and how to answer; the customer gets nothing', async () => {
    const { twiml } = await invoke(handler, text(JANE, 'Are you open Saturday?'), TEAM3);
    for (const member of [ANN, BOB, CARA]) {
      expect(to(twiml, member.number)).toEqual([expect.stringMatching(/^Text T\d{4} from \+16175550101: "Are you open Saturday\?" Reply R T\d{4} \+ answer\.$/)]);
    }
    expect(to(twiml, undefined)).toEqual([]);
    for (const t of texts(twiml)) expect(isSingleSegment(t.body)).toBe(true);
    // The team is texted in the webhook's own answer: no REST message.
    expect(twilio.messages).toEqual([]);
  });

  it('keeps one reference per customer number; another customer gets another', async () => {
    const first = await invoke(handler, text(JANE, 'Hello?'));
    const again = await invoke(handler, text(JANE, 'Anyone there?'));
    const other = await invoke(handler, text(KEN, 'Hi'));
    const ref = referenceIn(to(first.twiml, ANN.number)[0] ?? '');
    expect(ref).toMatch(/^T\d{4}$/);
    expect(referenceIn(to(again.twiml, ANN.number)[0] ?? '')).toBe(ref);
    expect(referenceIn(to(other.twiml, ANN.number)[0] ?? '')).not.toBe(ref);
  });

  it('names the customer from Lookup when CALLER_NAME_LOOKUP is on', async () => {
    twilio.callerNames.set(JANE, 'JANE DOE');
    const { twiml } = await invoke(handler, text(JANE, 'Hi'), { ...ENV, CALLER_NAME_LOOKUP: 'true' });
    expect(to(twiml, ANN.number)[0]).toMatch(/^Text T\d{4} from JANE DOE: "Hi"/);
  });

  it('says what media came with it', async () => {
    const { twiml } = await invoke(handler, text(JANE, 'This one', { NumMedia: '1', MediaContentType0: 'image/jpeg', MediaUrl0: 'https://api.twilio.com/x' }));
    expect(to(twiml, ANN.number)[0]).toMatch(/"This one" \+1 photo Reply/);
    expect(to(twiml, ANN.number)[0]).not.toContain('https://');
  });

  it('a paused member gets nothing', async () => {
    await invoke(handler, sms(BOB.number, 'OFF'), TEAM3);
    const { twiml } = await invoke(handler, text(JANE, 'Hello'), TEAM3);
    expect(texts(twiml).map((t) => t.to).sort()).toEqual([ANN.number, CARA.number]);
  });

  it('a customer text that looks like a command is just a customer text: no caller is moved', async () => {
    const caller = await arrive(twilio, KEN);
    const { twiml } = await invoke(handler, text(JANE, `Y ${caller.reference}`));
    expect(dequeued).toEqual([]);
    expect(to(twiml, ANN.number)[0]).toContain(`"Y ${caller.reference}"`);
  });

  it.each([['a withheld sender', 'anonymous'], ['a short code', '89362'], ['an alphanumeric sender', 'TWILIO'], ['our own number', TWILIO_NUMBER]])(
    'nothing is forwarded from %s', async (_what, from) => {
      const { twiml } = await invoke(handler, text(from, 'Your code is 1234'));
      expect(texts(twiml)).toEqual([]);
      expect(twilio.requests).toEqual([]);
    });

  it('its REST rounds do not grow with the team (1 and 20 members)', async () => {
    const rounds: number[] = [];
    for (const size of [1, 20]) {
      for (const map of Object.values(INBOX_MAPS)) twilio.syncItems(map)?.clear();
      twilio.resetLog();
      const team = Array.from({ length: size }, (_, i) => `M${i}:+1555123${String(i).padStart(4, '0')}`).join(',');
      const { twiml } = await invoke(handler, text(JANE, 'Hi'), { ...ENV, TEAM_MEMBERS: team });
      expect(texts(twiml)).toHaveLength(size);
      rounds.push(sequentialRounds(twilio.requests));
    }
    expect(rounds[1]).toBe(rounds[0]);
  });
});

describe('the hourly limit', () => {
  it('a flood of 30 texts costs the limit plus one summary per member, and the customer stays in STATUS', async () => {
    const received: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const { twiml } = await invoke(handler, text(JANE, `Spam ${i}`));
      received.push(...to(twiml, ANN.number));
    }
    expect(received.filter((b) => b.startsWith('Text '))).toHaveLength(5);
    expect(received.filter((b) => / keeps texting: 5 forwarded this hour/.test(b))).toHaveLength(1);
    expect(received).toHaveLength(6);
    // Every text is kept, forwarded or not.
    expect(twilio.syncItems(INBOX_MAPS.texts)?.size).toBe(30);
    const status = await invoke(handler, sms(ANN.number, 'STATUS'));
    expect(to(status.twiml, undefined).join('\n')).toMatch(/Texts not answered: T\d{4} \+16175550101/);
  });

  it('follows TEXT_FORWARD_LIMIT, even when the texts arrive at once', async () => {
    const env = { ...ENV, TEXT_FORWARD_LIMIT: '2' };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => invoke(handler, text(JANE, `At once ${i}`), env)));
    const received = answers.flatMap((a) => to(a.twiml, ANN.number));
    expect(received.filter((b) => b.startsWith('Text '))).toHaveLength(2);
    expect(received.filter((b) => b.includes('keeps texting'))).toHaveLength(1);
  });
});

describe('a member answers with R', () => {
  async function firstText(env = TEAM3): Promise<string> {
    const { twiml } = await invoke(handler, text(JANE, 'Are you open Saturday?'), env);
    // Without a Messaging Service the team is texted in the answer; with one, over REST.
    const forwarded = to(twiml, ANN.number)[0] ?? twilio.messages.find((m) => m.to === ANN.number)?.body ?? '';
    twilio.resetLog();
    return referenceIn(forwarded);
  }

  it('the customer gets the answer from the team number, the member is told it went, the others what was said', async () => {
    const ref = await firstText();
    const { twiml } = await invoke(handler, sms(BOB.number, `R ${ref} Yes, 9 to 5!`), TEAM3);
    expect(twilio.messages.map((m) => ({ to: m.to, from: m.from, body: m.body }))).toEqual([{ to: JANE, from: TWILIO_NUMBER, body: 'Yes, 9 to 5!' }]);
    expect(to(twiml, undefined)).toEqual([`Sent to +16175550101 (${ref}) from the team number.`]);
    expect(to(twiml, ANN.number)).toEqual([`Bob answered ${ref} (+16175550101): "Yes, 9 to 5!"`]);
    expect(to(twiml, CARA.number)).toEqual([`Bob answered ${ref} (+16175550101): "Yes, 9 to 5!"`]);
    expect(to(twiml, BOB.number)).toEqual([]);
  });

  it('goes through the Messaging Service when one is configured, never revealing a member', async () => {
    const env = { ...TEAM3, MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}` };
    const ref = await firstText(env);
    expect(ref).toMatch(/^T\d{4}$/);
    const { twiml } = await invoke(handler, sms(BOB.number, `R ${ref} Yes`), env);
    // The others are told through the service too, one parallel round; the answer to Bob is TwiML.
    expect(twilio.requests.filter((r) => r.path.endsWith('/Messages.json')).map((r) => r.params.To).sort()).toEqual([JANE, ANN.number, CARA.number].sort());
    expect(to(twiml, undefined)).toHaveLength(1);
    const send = twilio.requests.find((r) => r.path.endsWith('/Messages.json') && r.params.To === JANE);
    expect(send?.params).toMatchObject({ To: JANE, MessagingServiceSid: `MG${'0'.repeat(32)}`, Body: 'Yes' });
    expect(send?.params.From).toBeUndefined();
  });

  it('the first to answer owns the conversation: STATUS and later texts name them; answered texts leave STATUS', async () => {
    const ref = await firstText();
    const before = await invoke(handler, sms(ANN.number, 'STATUS'), TEAM3);
    expect(to(before.twiml, undefined)[1]).toMatch(new RegExp(`^Texts not answered: ${ref} \\+16175550101 \\d+s\\. R ref \\+ answer\\.$`));
    await invoke(handler, sms(CARA.number, `R ${ref} Yes`), TEAM3);
    await invoke(handler, sms(ANN.number, `R ${ref} And Sunday too`), TEAM3);
    const after = await invoke(handler, sms(ANN.number, 'STATUS'), TEAM3);
    expect(to(after.twiml, undefined)).toHaveLength(1);
    const later = await invoke(handler, text(JANE, 'Thanks!'), TEAM3);
    expect(to(later.twiml, ANN.number)[0]).toMatch(new RegExp(`^Text ${ref} from \\+16175550101 \\(Cara's\\): "Thanks!"`));
    const status = await invoke(handler, sms(ANN.number, 'STATUS'), TEAM3);
    expect(to(status.twiml, undefined)[1]).toMatch(new RegExp(`${ref} \\+16175550101 \\d+s \\(Cara\\)`));
  });

  it('two members answering at once both reach the customer, and each is told of the other', async () => {
    const ref = await firstText();
    const [ann, bob] = await Promise.all([
      invoke(handler, sms(ANN.number, `R ${ref} From Ann`), TEAM3),
      invoke(handler, sms(BOB.number, `R ${ref} From Bob`), TEAM3),
    ]);
    expect(twilio.messages.map((m) => m.body).sort()).toEqual(['From Ann', 'From Bob']);
    expect(to(ann.twiml, BOB.number)).toEqual([expect.stringContaining('"From Ann"')]);
    expect(to(bob.twiml, ANN.number)).toEqual([expect.stringContaining('"From Bob"')]);
  });

  it.each([
    ['R', /^Nothing sent\. Start with the text's reference/],
    ['R hello', /^Nothing sent\. Start with the text's reference/],
    ['R 0103 hello', /^Nothing sent\. Start with the text's reference/],
    ['R T9999 hello', /^Nothing sent: no customer text has reference T9999/],
    ['R {ref}', /^Nothing sent: write your answer after the reference/],
  ])('%j gets an explanation and sends nothing', async (body, explanation) => {
    const ref = await firstText();
    const { twiml } = await invoke(handler, sms(ANN.number, body.replace('{ref}', ref === 'T9999' ? 'T9998' : ref)), TEAM3);
    expect(texts(twiml)).toEqual([{ to: undefined, body: expect.stringMatching(explanation) as unknown }]);
    expect(twilio.messages).toEqual([]);
  });

  it('to a customer who opted out is refused with that reason (21610), and nobody else is told', async () => {
    const ref = await firstText();
    twilio.optedOut.add(JANE);
    const { twiml } = await invoke(handler, sms(ANN.number, `R ${ref} Hello?`), TEAM3);
    expect(texts(twiml)).toEqual([{ to: undefined, body: expect.stringMatching(new RegExp(`^Not sent: \\+16175550101 \\(${ref}\\) opted out.*21610`)) as unknown }]);
  });

  it('a member text that is no command still gets the command list, which names R', async () => {
    const { twiml } = await invoke(handler, sms(ANN.number, 'what now?'), TEAM3);
    expect(texts(twiml)).toEqual([{ to: undefined, body: expect.stringContaining('Not understood') as unknown }]);
    const list = await invoke(handler, sms(ANN.number, 'COMMANDS'), TEAM3);
    expect(to(list.twiml, undefined)[0]).toContain('R T0103 msg: answer a text');
  });
});

describe('opt-outs and the auto-reply', () => {
  it('while the phone is closed (today a holiday), TEXT_CLOSED_REPLY goes instead, once a day; the team still gets the text', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const env = { ...ENV, TEXT_AUTO_REPLY: 'Thanks! We will text you back soon.', TEXT_CLOSED_REPLY: 'We are closed today; we will text you back tomorrow.', HOLIDAYS: today };
    const first = await invoke(handler, text(JANE, 'Hi'), env);
    const second = await invoke(handler, text(JANE, 'Hello?'), env);
    expect(to(first.twiml, undefined)).toEqual(['We are closed today; we will text you back tomorrow.']);
    expect(to(second.twiml, undefined)).toEqual([]);
    expect(to(first.twiml, ANN.number)).toHaveLength(1);
    // Open again (no holiday): the usual reply, its own once a day.
    expect(to((await invoke(handler, text(JANE, 'Hi again'), { ...env, HOLIDAYS: '' })).twiml, undefined)).toEqual(['Thanks! We will text you back soon.']);
  });

  it('STOP from a customer: the team is told once, nothing else is sent; START then STOP tells them again', async () => {
    await invoke(handler, text(JANE, 'Hi'));
    const stop = await invoke(handler, text(JANE, 'STOP'));
    expect(to(stop.twiml, ANN.number)).toEqual([expect.stringMatching(/^\+16175550101 \(T\d{4}\) texted STOP/)]);
    expect(to(stop.twiml, undefined)).toEqual([]);
    const again = await invoke(handler, text(JANE, 'stop'));
    expect(texts(again.twiml)).toEqual([]);
    expect(texts((await invoke(handler, text(JANE, 'START'))).twiml)).toEqual([]);
    expect(texts((await invoke(handler, text(JANE, 'HELP'))).twiml)).toEqual([]);
    expect(to((await invoke(handler, text(JANE, 'STOP'))).twiml, ANN.number)).toHaveLength(1);
    expect(twilio.messages).toEqual([]);
  });

  it('"Yes" from a customer (also Twilio\'s opt-in word) is forwarded: it is most likely an answer to a member', async () => {
    const { twiml } = await invoke(handler, text(JANE, 'Yes'));
    expect(to(twiml, ANN.number)).toEqual([expect.stringMatching(/^Text T\d{4} from \+16175550101: "Yes" Reply/)]);
    expect(to(twiml, undefined)).toEqual([]);
  });

  it('TEXT_AUTO_REPLY goes to a customer at most once a day; unset, the customer gets nothing', async () => {
    const env = { ...ENV, TEXT_AUTO_REPLY: 'Thanks! We will text you back soon.' };
    const first = await invoke(handler, text(JANE, 'Hi'), env);
    const second = await invoke(handler, text(JANE, 'Hello?'), env);
    expect(to(first.twiml, undefined)).toEqual(['Thanks! We will text you back soon.']);
    expect(to(second.twiml, undefined)).toEqual([]);
    expect(to((await invoke(handler, text(KEN, 'Hi'))).twiml, undefined)).toEqual([]);
  });
});

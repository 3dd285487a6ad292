/** Only team members command Pull Phone by text: anyone else's text is a customer's, forwarded to the team, and commands nothing. */
import { handler } from '../../functions/sms-reply.protected';
import { INBOX_MAPS } from '../../src/inbox-store';
import { MAPS } from '../../src/store';
import { TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, BOB, invoke, startTwilio, TWILIO_NUMBER } from '../support/harness';

let twilio: TwilioStandIn;
let dequeued: string[];
beforeAll(async () => {
  twilio = await startTwilio();
  twilio.onDequeue = (callSid) => { dequeued.push(callSid); };
});
afterAll(async () => { await twilio.stop(); });
beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  dequeued = [];
  for (const queue of twilio.queues.values()) queue.members = [];
  // A fresh customer each time, so the hourly forwarding limit does not bite.
  for (const map of Object.values(INBOX_MAPS)) twilio.syncItems(map)?.clear();
});
afterEach(() => { jest.restoreAllMocks(); });

/** Senders with a phone number: their texts are customers' texts, forwarded to the team and never commands. */
const CUSTOMERS: [string, string | string[]][] = [
  ['a stranger', '+16175550199'],
  ['a member\'s number with a digit more', `${ANN.number}1`],
  ['a repeated From, stranger first', ['+16175550199', ANN.number]],
];
/** Senders nobody can answer: nothing at all happens. */
const NOBODY: [string, string][] = [
  ['our own Twilio number', TWILIO_NUMBER],
  ['a withheld sender', 'anonymous'],
  ['a short code', '89362'],
  ['no sender at all', ''],
];
const BODIES = ['Y', 'N', 'Y {ref}', 'N {ref}', 'STATUS', 'OFF', 'ON', 'COMMANDS', 'R T0001 hi', 'what is this?'];

describe.each(CUSTOMERS)('a text from %s', (_who, from) => {
  it.each(BODIES)('"%s": forwarded to the members only; nothing back to the sender, nobody moved or paused, no queue or REST text', async (body) => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.resetLog();
    const text = body.replace('{ref}', jane.reference);
    const { twiml } = await invoke(handler, { ...sms(ANN.number, text), From: from });
    expect(twiml.children.map((m) => m.attrs.to).sort()).toEqual([ANN.number, BOB.number]);
    for (const m of twiml.children) expect(m.text).toContain(`"${text}"`);
    expect(twilio.requests.filter((r) => r.host !== 'sync.twilio.com')).toEqual([]);
    expect(dequeued).toEqual([]);
    expect(twilio.waiting('pull-phone')).toEqual([jane.callSid]);
    expect(twilio.syncItems(MAPS.team)?.size ?? 0).toBe(0);
  });

  it('"HELP" is Twilio\'s to answer: nothing from us, nothing to the team', async () => {
    const { twiml } = await invoke(handler, { ...sms(ANN.number, 'HELP'), From: from });
    expect(twiml.children).toEqual([]);
  });
});

describe.each(NOBODY)('a text from %s', (_who, from) => {
  it.each([...BODIES, 'HELP'])('"%s": empty reply, no REST request, nobody moved or paused', async (body) => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.resetLog();
    const { twiml, xml } = await invoke(handler, { ...sms(ANN.number, body.replace('{ref}', jane.reference)), From: from });
    expect(twiml.children).toEqual([]);
    expect(xml).not.toMatch(/Message/);
    expect(twilio.requests).toEqual([]);
    expect(dequeued).toEqual([]);
    expect(twilio.waiting('pull-phone')).toEqual([jane.callSid]);
    expect(twilio.syncItems(MAPS.team)?.size ?? 0).toBe(0);
  });
});

it('the same text from a member does act (so the checks above can fail)', async () => {
  const jane = await arrive(twilio, '+16175550101');
  twilio.resetLog();
  const { twiml } = await invoke(handler, sms(ANN.number, `Y ${jane.reference}`));
  expect(twiml.children.length).toBeGreaterThan(0);
  expect(dequeued).toEqual([jane.callSid]);
});

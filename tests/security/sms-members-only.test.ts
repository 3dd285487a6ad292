/** Only team members command Pull Phone by text: anyone else gets nothing back and changes nothing. */
import { handler } from '../../functions/sms-reply.protected';
import { MAPS } from '../../src/store';
import { TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, invoke, startTwilio, TWILIO_NUMBER } from '../support/harness';

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
});
afterEach(() => { jest.restoreAllMocks(); });

const STRANGERS: [string, string | string[]][] = [
  ['a stranger', '+16175550199'],
  ['a member\'s number with a digit more', `${ANN.number}1`],
  ['our own Twilio number', TWILIO_NUMBER],
  ['a withheld sender', 'anonymous'],
  ['no sender at all', ''],
  ['a repeated From, stranger first', ['+16175550199', ANN.number]],
];

describe.each(STRANGERS)('a text from %s', (_who, from) => {
  it.each(['Y', 'N', 'Y {ref}', 'N {ref}', 'STATUS', 'OFF', 'ON', 'COMMANDS', 'HELP', 'what is this?'])('"%s": empty reply, no REST request, nobody moved or paused', async (body) => {
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

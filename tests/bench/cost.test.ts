/** The cost arithmetic: counts and typical minutes to cents, with the price table. */
import { costOf, renderCost, seedCostOf, voiceMinutes } from '../../bench/cost';
import { PRICES } from '../../bench/prices';
import { OutcomeRow } from '../../bench/stats';

const row = (outcome: string, team: number, extra: Partial<OutcomeRow> = {}): OutcomeRow => ({
  outcome, lookup: false, team, steps: ['incoming-call', 'wait-music', 'queue-result'], restRequests: 4, lookups: 0,
  segments: { rest: team * 2, twiml: 0 }, texts: [], syncOperations: 3, ...extra,
});

describe('cost per call', () => {
  it('a missed call at team 5: one minute in, ten segments out, four invocations (one more hold loop), three Sync operations', () => {
    const cost = costOf(row('missed', 5), PRICES, 40);
    expect(cost.parts['voice in']).toBeCloseTo(PRICES.voiceInboundMinute);
    expect(cost.parts['SMS out']).toBeCloseTo(10 * PRICES.smsOutboundSegment);
    expect(cost.parts.invocations).toBeCloseTo(4 * PRICES.functionInvocation);
    expect(cost.parts.Sync).toBeCloseTo(3 * PRICES.syncOperation);
    expect(cost.cents).toBeCloseTo(100 * (PRICES.voiceInboundMinute + 10 * PRICES.smsOutboundSegment + 4 * PRICES.functionInvocation + 3 * PRICES.syncOperation));
  });

  it('a member\'s reply is an inbound segment; a connected call pays both legs; a voicemail its recording', () => {
    const connected = costOf(row('connected', 1, { steps: ['incoming-call', 'wait-music', 'sms-reply', 'bridge'] }), PRICES, 40);
    expect(connected.parts['SMS in (members)']).toBeCloseTo(PRICES.smsInboundSegment);
    expect(voiceMinutes('connected')).toEqual({ inbound: 4, outbound: 4, recorded: 0 });
    expect(voiceMinutes('voicemail')).toEqual({ inbound: 2, outbound: 0, recorded: 1 });
  });

  it('the seed design costs the same minutes with one segment and one invocation', () => {
    const seed = seedCostOf('missed', PRICES);
    expect(seed.cents).toBeCloseTo(100 * (PRICES.voiceInboundMinute + PRICES.smsOutboundSegment + PRICES.functionInvocation));
  });

  it('one row per outcome, a column per team and the seed design beside them', () => {
    const lines = renderCost([row('missed', 1), row('missed', 20)], PRICES, 40, 'test');
    expect(lines[2]).toMatch(/^\| Outcome \| Team 1 \| Team 20 \| Seed design/);
    expect(lines[4]).toMatch(/^\| missed \| \d+\.\d\d¢ \| \d+\.\d\d¢ \| \d+\.\d\d¢ \| SMS out /);
  });
});

/** The cost arithmetic: counts and typical minutes to cents, with the price table. */
import { ANSWER_ROUTE, costOf, CUSTOMER_TEXT_ROUTE, FURTHER_TEXT_ROUTE, renderCost, renderCustomerTextCost, seedCostOf, textCost, voiceMinutes } from '../../bench/cost';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICE_SOURCES, PRICES } from '../../bench/prices';
import { OutcomeRow, RouteCell } from '../../bench/stats';

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

describe('cost per customer text', () => {
  const cell = (route: string, team: number, segmentsSent: number, syncRequests: number, queue = 1): RouteCell => ({
    route, team, queue, time: { samples: 3, medianMs: 1, p95Ms: 1, minMs: 1, maxMs: 1 }, rounds: { median: 3, max: 3 },
    restRequests: { median: 8, max: 8 }, roundDetail: [], maxSegments: {}, billed: { segmentsSent, syncRequests },
  });

  it('one segment in, every segment its invocation sends, one invocation and its Sync requests', () => {
    const cost = textCost(cell(CUSTOMER_TEXT_ROUTE, 5, 6, 7), PRICES, 1);
    expect(cost.parts['SMS in']).toBeCloseTo(PRICES.smsInboundSegment);
    expect(cost.parts['SMS out']).toBeCloseTo(6 * PRICES.smsOutboundSegment);
    expect(cost.cents).toBeCloseTo(100 * (PRICES.smsInboundSegment + 6 * PRICES.smsOutboundSegment + PRICES.functionInvocation + 7 * PRICES.syncOperation));
  });

  it('a row per kind of text, a column per team, the seed design saying it forwarded nothing', () => {
    const routes = [1, 5, 20].flatMap((t) => [cell(CUSTOMER_TEXT_ROUTE, t, t + 1, 7), cell(CUSTOMER_TEXT_ROUTE, t, 99, 99, 1000), cell(FURTHER_TEXT_ROUTE, t, t, 5), cell(ANSWER_ROUTE, t, t, 4)]);
    const lines = renderCustomerTextCost(routes, PRICES);
    expect(lines[2]).toMatch(/^\| Text \| Team 1 \| Team 5 \| Team 20 \| Seed design /);
    // The smallest queue's cell is the one priced (the queue does not change what a text costs).
    const first = lines[4] ?? '';
    expect(first).toContain(`| ${(textCost(cell(CUSTOMER_TEXT_ROUTE, 20, 21, 7), PRICES, 1).cents).toFixed(2)}¢ |`);
    expect(first).toMatch(/nothing forwarded: the seed design had no inbox/);
    expect(first).toMatch(/21 segments sent, 7 Sync requests \|$/);
    expect(lines).toHaveLength(7);
    expect(renderCustomerTextCost([], PRICES)).toEqual(['(not measured in this run)']);
  });
});


describe('the price table', () => {
  it('docs/PERFORMANCE.md shows every price bench/prices.ts uses, with the same certainty', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'PERFORMANCE.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## Prices, and where they come from'), doc.indexOf('## Results'));
    for (const [key, price] of Object.entries(PRICES) as [keyof typeof PRICES, number][]) {
      const certainty = PRICE_SOURCES[key].certainty;
      const row = table.split('\n').find((line) => line.includes(`| $${String(price)} |`) && line.toLowerCase().includes(`| ${certainty === 'unverified' ? '**unverified**' : certainty} |`));
      expect({ key, price, certainty, row: row !== undefined }).toEqual({ key, price, certainty, row: true });
    }
  });
});

/**
 * What a call costs the team in money: the per-outcome counts the bench measures (invocations, REST texts and
 * TwiML replies, Sync operations, lookups, the members' own texts) plus the voice minutes of a typical call,
 * priced with bench/prices.ts. Pure, so the arithmetic is tested.
 */
import { Prices } from './prices';
import { OutcomeRow, RouteCell } from './stats';

/** A typical call, in seconds: stated in the report beside the figures. */
export const TYPICAL = { holdSeconds: 60, talkSeconds: 180, voicemailSeconds: 30 } as const;

export interface CallCost {
  cents: number;
  parts: Record<string, number>;
}

const minutes = (seconds: number): number => Math.max(1, Math.ceil(seconds / 60));

/** Voice minutes for an outcome: the caller's inbound leg, the member's outbound leg, the recording. */
export function voiceMinutes(outcome: string): { inbound: number; outbound: number; recorded: number } {
  const { holdSeconds, talkSeconds, voicemailSeconds } = TYPICAL;
  switch (outcome) {
    case 'connected': return { inbound: minutes(holdSeconds + talkSeconds), outbound: minutes(talkSeconds + 10), recorded: 0 };
    case 'voicemail': return { inbound: minutes(holdSeconds + voicemailSeconds), outbound: 0, recorded: minutes(voicemailSeconds) };
    default: return { inbound: minutes(holdSeconds), outbound: 0, recorded: 0 };
  }
}

/** Every further 40 s loop of hold music is one more /wait-music invocation beyond the one the row counted. */
function extraHoldInvocations(holdSeconds: number, loopSeconds: number): number {
  return Math.max(0, Math.ceil(holdSeconds / loopSeconds) - 1);
}

export function costOf(row: OutcomeRow, prices: Prices, loopSeconds: number, transcribe = false): CallCost {
  const voice = voiceMinutes(row.outcome);
  const memberTexts = row.steps.filter((s) => s === 'sms-reply').length;
  const parts: Record<string, number> = {
    'voice in': voice.inbound * prices.voiceInboundMinute,
    'voice out': voice.outbound * prices.voiceOutboundMinute,
    recording: voice.recorded * prices.recordingMinute,
    transcription: transcribe ? voice.recorded * prices.transcriptionMinute : 0,
    'SMS out': (row.segments.rest + row.segments.twiml) * prices.smsOutboundSegment,
    'SMS in (members)': memberTexts * prices.smsInboundSegment,
    invocations: (row.steps.length + extraHoldInvocations(TYPICAL.holdSeconds, loopSeconds)) * prices.functionInvocation,
    Sync: row.syncOperations * prices.syncOperation,
    lookup: row.lookups * prices.lookupCallerName,
  };
  return { cents: Object.values(parts).reduce((a, b) => a + b, 0) * 100, parts };
}

/**
 * The seed design for the same call: one owner, texted by one <Sms> verb in the voice webhook, then dialled or
 * sent to voicemail. One invocation, one segment, no Sync, no lookup, no member replies; the same voice minutes.
 */
export function seedCostOf(outcome: string, prices: Prices): CallCost {
  const voice = voiceMinutes(outcome);
  const parts: Record<string, number> = {
    'voice in': voice.inbound * prices.voiceInboundMinute,
    'voice out': voice.outbound * prices.voiceOutboundMinute,
    recording: voice.recorded * prices.recordingMinute,
    'SMS out': prices.smsOutboundSegment,
    invocations: prices.functionInvocation,
  };
  return { cents: Object.values(parts).reduce((a, b) => a + b, 0) * 100, parts };
}

const cents = (n: number): string => `${n.toFixed(2)}¢`;

/** Cents per call by outcome at each team size (lookup off, transcription off), beside the seed design. */
export function renderCost(rows: readonly OutcomeRow[], prices: Prices, loopSeconds: number, asOf: string): string[] {
  const teams = [...new Set(rows.map((r) => r.team))].sort((a, b) => a - b);
  const outcomes = [...new Set(rows.map((r) => r.outcome))];
  const header = ['Outcome', ...teams.map((t) => `Team ${t}`), 'Seed design (one owner, one <Sms>)', 'Where team 20\'s money goes'];
  const body = outcomes.map((outcome) => {
    const at = (team: number): OutcomeRow | undefined => rows.find((r) => r.outcome === outcome && r.team === team && !r.lookup);
    const biggest = at(teams[teams.length - 1] ?? 0);
    const split = biggest === undefined ? '' : Object.entries(costOf(biggest, prices, loopSeconds).parts)
      .filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${cents(v * 100)}`).join(', ');
    return [outcome, ...teams.map((t) => { const r = at(t); return r === undefined ? '–' : cents(costOf(r, prices, loopSeconds).cents); }), cents(seedCostOf(outcome, prices).cents), split];
  });
  const lookup = rows.find((r) => r.lookup && r.lookups > 0);
  return [
    `Prices: bench/prices.ts (${asOf}). A typical call: ${TYPICAL.holdSeconds} s on hold, ${TYPICAL.talkSeconds} s of talk when connected, a ${TYPICAL.voicemailSeconds} s voicemail; `
      + 'minutes rounded up per leg; counts from the simulated calls above (lookup off); each member reply is one inbound segment; carrier fees excluded.',
    '',
    `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `Options add per call: caller-name lookup ${cents(prices.lookupCallerName * 100)}${lookup === undefined ? '' : ' (when Twilio sends no CallerName)'}; `
      + `transcription ${cents(prices.transcriptionMinute * 100)} per voicemail minute.`,
  ];
}

/** The /sms-reply cells a customer text is priced from (issue 18's inbox), measured at every team size. */
export const CUSTOMER_TEXT_ROUTE = 'sms-reply customer text (new customer)';
export const FURTHER_TEXT_ROUTE = 'sms-reply customer text (2nd this hour)';
export const ANSWER_ROUTE = 'sms-reply (R answer to a customer)';
export const PRICED_TEXT_ROUTES: readonly string[] = [CUSTOMER_TEXT_ROUTE, FURTHER_TEXT_ROUTE, ANSWER_ROUTE];

/**
 * One text to the team number and what it sets off: the inbound segment(s) it arrives as, one invocation of
 * /sms-reply, every segment that invocation sends (the forwards to members, a TwiML reply) and its Sync requests,
 * each the median per invocation of the route's cell.
 */
export function textCost(cell: RouteCell, prices: Prices, inboundSegments: number): CallCost {
  const billed = cell.billed ?? { segmentsSent: 0, syncRequests: 0 };
  const parts: Record<string, number> = {
    'SMS in': inboundSegments * prices.smsInboundSegment,
    'SMS out': billed.segmentsSent * prices.smsOutboundSegment,
    invocations: prices.functionInvocation,
    Sync: billed.syncRequests * prices.syncOperation,
  };
  return { cents: Object.values(parts).reduce((a, b) => a + b, 0) * 100, parts };
}

/** Cents per customer text and per member's answer at each team size, beside the seed design (which had no inbox). */
export function renderCustomerTextCost(routes: readonly RouteCell[], prices: Prices): string[] {
  const teams = [...new Set(routes.filter((c) => c.route === CUSTOMER_TEXT_ROUTE).map((c) => c.team))].sort((a, b) => a - b);
  if (teams.length === 0) return ['(not measured in this run)'];
  // The queue does not change what a text costs; the smallest queue's cell is shown.
  const cellOf = (route: string, team: number): RouteCell | undefined =>
    routes.filter((c) => c.route === route && c.team === team).sort((a, b) => a.queue - b.queue)[0];
  const lines: [string, string, string][] = [
    ['A new customer\'s first text', CUSTOMER_TEXT_ROUTE, `nothing forwarded: the seed design had no inbox, so the text reached nobody; Twilio still bills its inbound segment, ${cents(prices.smsInboundSegment * 100)}`],
    ['The same customer\'s next text (within the hour)', FURTHER_TEXT_ROUTE, 'as above'],
    ['A member\'s R answer (sent on from the team number)', ANSWER_ROUTE, 'no such thing: the seed design could not answer a text from the team number'],
  ];
  const header = ['Text', ...teams.map((t) => `Team ${t}`), 'Seed design', 'Team 20, per text'];
  const body = lines.map(([label, route, seed]) => {
    const at = (team: number): string => { const c = cellOf(route, team); return c === undefined ? '–' : cents(textCost(c, prices, 1).cents); };
    const last = cellOf(route, teams[teams.length - 1] ?? 0);
    const detail = last?.billed === undefined ? '' : `${last.billed.segmentsSent} segment${last.billed.segmentsSent === 1 ? '' : 's'} sent, ${last.billed.syncRequests} Sync requests`;
    return [label, ...teams.map(at), seed, detail];
  });
  return [
    'A customer texts the team number (issue 18): /sms-reply forwards it to the members and keeps the conversation in Sync; a member answers with '
      + '`R <ref> …`, sent on to the customer from the team number. Each row is one text in (one segment) and everything its invocation sends, '
      + 'median of the route\'s cell above; carrier fees excluded.',
    '',
    `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((cells) => `| ${cells.join(' | ')} |`),
  ];
}

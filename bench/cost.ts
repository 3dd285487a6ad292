/**
 * What a call costs the team in money: the per-outcome counts the bench measures (invocations, REST texts and
 * TwiML replies, Sync operations, lookups, the members' own texts) plus the voice minutes of a typical call,
 * priced with bench/prices.ts. Pure, so the arithmetic is tested.
 */
import { Prices } from './prices';
import { OutcomeRow } from './stats';

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

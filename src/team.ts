/** Texting the team over the REST API: every member in parallel, one failure never stopping the others. */
import { Member } from './config';
import { logError, logInfo } from './log';
import { notices } from './messages';
import { maskNumber } from './phone';
import { callReference } from './reference';
import { Step } from './step';
import { CallRecord, OutcomeRecord } from './store';
import { describeFailure } from './twilio-api';

export interface TextResult {
  /** How many members Twilio accepted a text for. */
  sent: number;
  /** Each distinct cause of a failed send (describeFailure), for the step's summary line. */
  causes: string[];
}

/**
 * Through the Messaging Service when MESSAGING_SERVICE_SID is set (its registered sender pool),
 * else from the Twilio number. One body for all, or each member's own (a voicemail notice carries
 * the member's own link). `about` names the call in the log (e.g. "caller 4821").
 */
export async function textMembers(
  step: Step, members: readonly Member[], body: string | ((member: Member) => string), about?: string,
): Promise<TextResult> {
  const { messagingServiceSid, twilioNumber } = step.config;
  const sender = messagingServiceSid === undefined ? { from: twilioNumber } : { messagingServiceSid };
  const results = await Promise.allSettled(
    members.map((member) => step.client.messages.create({
      to: member.number, ...sender, body: typeof body === 'string' ? body : body(member),
    })),
  );
  const causes = new Set<string>();
  results.forEach((result, i) => {
    // An opted-out member (21610), a bad number or an API error is logged and the others still get their text.
    if (result.status === 'rejected') {
      const cause = describeFailure(result.reason);
      causes.add(cause);
      logError(step.name, `text to ${maskNumber(members[i]?.number)}${about === undefined ? '' : ` about ${about}`} failed (${cause})`);
    }
  });
  return { sent: results.filter((r) => r.status === 'fulfilled').length, causes: [...causes] };
}

/** "2 of 2 members texted", or "0 of 2 members texted: ENOTFOUND api.twilio.com": always the true count. */
export function textedSummary(result: TextResult | undefined, total: number): string {
  if (result === undefined) return `texts to ${total} member${total === 1 ? '' : 's'} still unconfirmed when the step moved on`;
  return `${result.sent} of ${total} members texted${result.causes.length === 0 ? '' : `: ${result.causes.join('; ')}`}`;
}

/** How long a step waits for a Sync read it can do without (details, an outcome) before going on. */
export const SYNC_READ_MS = 2000;

export function memberByNumber(step: Step, number: string | null | undefined): Member | undefined {
  return step.config.members.find((m) => m.number === number);
}

/**
 * Resolve `promise`, or `fallback` after `ms` or on failure: an optional request
 * (a name lookup, a detail for a text) must not keep a caller in silence or stop the step.
 */
export async function within<T>(step: Step, what: string, ms: number, promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      logError(step.name, `${what} took over ${ms} ms; going on without it`);
      resolve(fallback);
    }, ms);
  });
  const settled = promise.catch((error: unknown) => {
    // After a time-out the step has moved on; a late failure is not news.
    if (!timedOut) logError(step.name, `${what} failed (${describeFailure(error)}); going on without it`);
    return fallback;
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A caller's details for a text: the stored record when there is one, else what this webhook says. */
export async function callerDetails(step: Step, callSid: string, from: string | undefined): Promise<CallRecord> {
  const reference = callReference(callSid);
  const fallback: CallRecord = { callSid, reference, place: '', ...(from === undefined ? {} : { number: from }) };
  const record = await within(step, 'caller details', SYNC_READ_MS, step.store.callByReference(reference), undefined);
  return record !== undefined && record.callSid === callSid ? record : fallback;
}

/**
 * Settle a call's outcome and tell the whole team, once: the Sync claim makes a repeated or racing
 * callback from Twilio send nothing. True when this invocation was the one that reported it.
 */
export async function reportOutcome(
  step: Step, callSid: string, outcome: OutcomeRecord, from: string | undefined, text: (caller: CallRecord) => string,
): Promise<boolean> {
  const details = callerDetails(step, callSid, from);
  let claimed: boolean;
  try {
    claimed = await claim(step, callSid, outcome);
  } finally {
    // Even when the claim fails, nothing is left running once the step answers.
    await details;
  }
  const caller = await details;
  if (claimed) {
    const texted = await textMembers(step, step.config.members, text(caller), `caller ${caller.reference}`);
    logInfo(step.name, `caller ${caller.reference}: ${outcome.outcome}; ${textedSummary(texted, step.config.members.length)}`);
  }
  return claimed;
}

/** A caller who hung up unserved: every member is told once, with the number to call back. */
export async function reportMissed(step: Step, callSid: string, from: string | undefined, waitedSeconds?: number): Promise<boolean> {
  return reportOutcome(step, callSid, { outcome: 'missed' }, from, (caller) => notices.missed(caller, waitedSeconds));
}

/**
 * Claim the call's outcome, first wins. If Sync cannot answer, the claim counts as lost: a report is sent
 * at most once, and the failure is logged (a rare lost report, rather than a caller reported twice).
 */
async function claim(step: Step, callSid: string, outcome: OutcomeRecord): Promise<boolean> {
  try {
    return await step.store.claimOutcome(callSid, outcome);
  } catch (error) {
    logError(step.name, `claiming the outcome failed (${describeFailure(error)}); not reporting it`);
    return false;
  }
}

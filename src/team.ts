/** Texting the team over the REST API: every member in parallel, one failure never stopping the others. */
import { Member } from './config';
import { logError, logInfo } from './log';
import { notices } from './messages';
import { maskNumber, toE164 } from './phone';
import { callReference } from './reference';
import { Step } from './step';
import { CallRecord, OutcomeRecord } from './store';
import { describeFailure } from './twilio-api';
import { callbackReference, textMissedCaller } from './callback-step';
import { isOurVoiceUrl, withOverride, withPaused } from './paused';
import { VOICE_PATH } from './wiring';

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

/**
 * The team in the order to text them about one call. A sending number delivers about one segment a second,
 * in order (TWILIO-NOTES.md, Messaging): whoever is first in the list hears first. Starting the list at a
 * place derived from the CallSid gives each member every place in turn, with no state kept between calls.
 */
export function teamInTurn<M>(members: readonly M[], callSid: string): M[] {
  if (members.length < 2) return [...members];
  const start = Number.parseInt(callSid.slice(-6), 16) % members.length;
  const offset = Number.isNaN(start) ? 0 : start;
  return [...members.slice(offset), ...members.slice(0, offset)];
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

/**
 * The same read, once more after each failure or time-out (the REST client gives up on a request at 2.5 s):
 * for a read whose wrong answer would send a caller the wrong way or the team a wrong text.
 */
export async function askAgain<T>(read: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** How long a step waits for a read it asks again (askAgain), within the step's deadline. */
export const MUST_READ_MS = 6000;

/**
 * What a webhook knows of the caller's number: its From (undefined when withheld), or, for a callback that carries
 * none, how to ask Twilio (numberFromCall): asked only when the caller's record cannot be read. Never rejects.
 */
export type CallerNumber = string | undefined | (() => Promise<string | undefined>);

/** A caller's details for a text: the stored record when there is one, else what this webhook says (or Twilio). */
export async function callerDetails(step: Step, callSid: string, from: CallerNumber): Promise<CallRecord> {
  const reference = callReference(callSid);
  const record = await within(step, 'caller details', SYNC_READ_MS, step.store.callByReference(reference), undefined);
  if (record !== undefined && record.callSid === callSid) return record;
  const number = typeof from === 'function' ? await from() : from;
  return { callSid, reference, place: '', ...(number === undefined ? {} : { number }) };
}

/**
 * The caller's number from their Call resource (`from`, api.v2010.account.call in Twilio's OpenAPI): for the
 * recording status callback, which carries no From (twilio.com/docs/voice/twiml/recording lists its parameters).
 * One REST round, so callerDetails asks it only when the caller's record cannot be read; `call` reuses a fetch of
 * the call already on its way. Undefined when withheld, or when Twilio does not answer in time: the notice then
 * goes out with the caller's reference, not the number (a report without the number beats no report).
 */
export function numberFromCall(step: Step, callSid: string, call?: Promise<{ from: string | null } | undefined>): () => Promise<string | undefined> {
  return async () => {
    const fetched = call ?? within(step, "caller's number from the call", SYNC_READ_MS, step.client.calls(callSid).fetch(), undefined);
    const number = toE164((await fetched)?.from ?? undefined) ?? undefined;
    if (number === undefined) logInfo(step.name, `caller ${callReference(callSid)}: number not known (record unreadable, call fetch gave none)`);
    return number;
  };
}

/**
 * Settle a call's outcome and tell the whole team, once: the Sync claim makes a repeated or racing
 * callback from Twilio send nothing. True when this invocation was the one that reported it.
 */
export async function reportOutcome(
  step: Step, callSid: string, outcome: OutcomeRecord, from: CallerNumber | Promise<CallRecord>, text: (caller: CallRecord, call: string | undefined) => string,
): Promise<boolean> {
  // Details already on their way: a step that needs them again if its claim is lost (voicemail-saved).
  const details = from instanceof Promise ? from : callerDetails(step, callSid, from);
  let claimed: boolean;
  try {
    claimed = await claim(step, callSid, outcome);
  } finally {
    // Even when the claim fails, nothing is left running once the step answers.
    await details;
  }
  const caller = await details;
  if (claimed) {
    // Should the step's deadline come now, its log names what was cut short: a claimed report not yet sent.
    const milestone = `${outcome.outcome} of caller ${caller.reference} claimed, team being texted`;
    step.reached.add(milestone);
    // Missed or asking for a callback: a lasting reference for the notice (CALL 0101), and MISSED_CALL_TEXT to the
    // caller alongside; a connected call needs neither.
    // The caller's text runs beside the team's, never in front of it.
    const owed = outcome.outcome === 'missed' || outcome.outcome === 'callback';
    const callerText = owed ? textMissedCaller(step, caller) : Promise.resolve();
    const call = owed ? await callbackReference(step, caller, outcome.outcome === 'missed' ? 'missed' : 'callback') : undefined;
    const texted = await textMembers(step, teamInTurn(step.config.members, callSid), text(caller, call), `caller ${caller.reference}`);
    await callerText;
    step.reached.delete(milestone);
    step.reached.add(`${outcome.outcome} of caller ${caller.reference} reported`);
    logInfo(step.name, `caller ${caller.reference}: ${outcome.outcome}; ${textedSummary(texted, step.config.members.length)}`);
  }
  return claimed;
}

/** A caller who hung up unserved: every member is told once, with the number to call back. */
export async function reportMissed(step: Step, callSid: string, from: CallerNumber | Promise<CallRecord>, waitedSeconds?: number): Promise<boolean> {
  return reportOutcome(step, callSid, { outcome: 'missed' }, from, (caller, call) => notices.missed(caller, waitedSeconds, call));
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

/**
 * OFF/ON: the member's own item in Sync (the record), then who paused and any OPEN/CLOSED published to the
 * number's voice URL, where /incoming-call reads them for free (paused.ts).
 */
export async function setPaused(step: Step, member: Member, pausing: boolean): Promise<void> {
  await step.store.setPaused(member.number, pausing);
  await publishTeamState(step);
}

/**
 * The team map in Sync, copied to the number's voice URL: a few rounds, all in the rare OFF/ON/OPEN/CLOSED reply,
 * none in front of a caller. Two members changing it at the same moment could publish out of order, so the state
 * is read once more after publishing and published again if it moved; a stale URL means texts a paused member did
 * not want, or the schedule deciding alone, until the next change.
 */
export async function publishTeamState(step: Step): Promise<void> {
  const [number] = await step.client.incomingPhoneNumbers.list({ phoneNumber: step.config.twilioNumber, limit: 1 });
  if (number === undefined) throw new Error('TWILIO_PHONE_NUMBER is not a phone number of this account, so the change cannot reach /incoming-call');
  if (!isOurVoiceUrl(number.voiceUrl, VOICE_PATH)) throw new Error(`the number's voice URL is not our ${VOICE_PATH} (run npm run setup), so the change cannot reach it`);
  let published = number.voiceUrl;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const { paused, override } = await step.store.teamState();
    const live = override !== undefined && override.until > Date.now() ? override : undefined;
    const by = live === undefined ? undefined : step.config.members.find((m) => m.name === live.by)?.number;
    const wanted = withOverride(withPaused(published, paused), live, by);
    if (wanted === published) return;
    await step.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: wanted });
    published = wanted;
  }
}

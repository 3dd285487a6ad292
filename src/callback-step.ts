/**
 * What the steps do about callbacks, in the order they happen: a notice gets a lasting reference, a missed caller
 * may get MISSED_CALL_TEXT, a member's CALL claims the customer and rings the member's phone, and the attempt ends
 * reached (remembered with the reference) or not (claim released, team told). Decisions live in callback.ts and
 * wording in callback-text.ts; this file holds the REST and Sync round trips, parallel wherever they can be.
 */
import { randomUUID } from 'node:crypto';
import { CallTarget, MEMBER_RING_SECONDS, referenceCandidates, textableNumber, Unreached } from './callback';
import { CallbackRecord, CallbackStore } from './callback-store';
import { callbackLabel, callBackHow, callbackTexts } from './callback-text';
import { Member } from './config';
import { logError, logInfo } from './log';
import { replies } from './messages';
import { maskNumber, toE164 } from './phone';
import { cleanLabel } from './sms-text';
import { sayAndHangUp, Step, VoiceResponse } from './step';
import type { CallRecord } from './store';
import { memberByNumber, SYNC_READ_MS, textedSummary, textMembers, within } from './team';
import { describeFailure, failureKind, failureOf } from './twilio-api';
import { param, WebhookEvent } from './webhook';

/** How long a notice waits for its callback reference before going out without one (CALL +number still works). */
const ALLOCATE_MS = 3000;

/**
 * Time kept for the notice itself after the reference: a round of texts, whose requests the REST client gives up
 * on at 2.5 s. A step already late spends nothing on the reference: the notice matters more than its CALL line.
 */
const NOTICE_RESERVE_MS = 3500;

/** Twilio's error for a send to a number that texted STOP: logged, never retried. */
const OPTED_OUT = 21610;

export function callbackStore(step: Step): CallbackStore {
  return new CallbackStore(step.client, step.config);
}

/**
 * A lasting reference for a caller the team should call back, as the notice shows it (`CALL 0101`). None for a
 * withheld number (nobody to call), and none if Sync cannot say in time: the notice still goes out, with the number.
 */
export async function callbackReference(step: Step, caller: CallRecord, kind: CallbackRecord['kind']): Promise<string | undefined> {
  const number = toE164(caller.number);
  if (number === null) return undefined;
  const record = { callSid: caller.callSid, kind, number, at: Date.now(), ...(caller.name === undefined ? {} : { name: caller.name }) };
  const budget = Math.min(ALLOCATE_MS, step.remainingMs() - NOTICE_RESERVE_MS);
  if (budget < 500) return undefined;
  const reference = await within(step, 'callback reference', budget, callbackStore(step).allocate(record, referenceCandidates(caller.callSid)), undefined);
  return reference === undefined ? undefined : callBackHow(step.config.keywords, reference);
}

/**
 * MISSED_CALL_TEXT to a caller the team is told of as missed or asking for a callback: from the team number, once
 * per call (whichever webhook learns it first) and at most once a day per number, both by first-wins creates in Sync.
 * Never to a withheld or invalid number; a number that opted out (21610) is logged, not retried.
 */
export async function textMissedCaller(step: Step, caller: CallRecord): Promise<void> {
  const text = step.config.missedCallText;
  const number = textableNumber(caller.number);
  if (text === '' || number === undefined) return;
  try {
    if (!(await callbackStore(step).claimMissedText(caller.callSid, number))) return;
    await step.client.messages.create({ to: number, from: step.config.twilioNumber, body: text });
    logInfo(step.name, `missed-call text sent to caller ${caller.reference}`);
  } catch (error) {
    const why = failureOf(error).code === OPTED_OUT ? 'the number opted out (21610)' : describeFailure(error);
    logError(step.name, `missed-call text to ${maskNumber(number)} not sent: ${why}; not retried`);
  }
}

/** What each /callback-* URL carries about its attempt (the steps need no read to know it). */
export interface Attempt {
  member: Member;
  /** The customer's number. */
  to: string;
  /** The lasting reference, when the member called one. */
  reference: string | undefined;
  label: string;
  /** The claim's token. */
  id: string;
}

export function attemptQuery(a: Attempt): Record<string, string | undefined> {
  return { member: a.member.number, to: a.to, ref: a.reference, label: a.label, a: a.id };
}

/** The attempt a /callback-* request is about, or undefined when its query is not one we made. */
export function attemptOf(step: Step, event: WebhookEvent): Attempt | undefined {
  const member = memberByNumber(step, toE164(param(event, 'member')));
  const to = toE164(param(event, 'to'));
  const reference = param(event, 'ref');
  const label = param(event, 'label');
  const id = param(event, 'a');
  if (member === undefined || to === null || label === undefined || id === undefined || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  if (reference !== undefined && !/^\d{4}$/.test(reference)) return undefined;
  // The label is spoken: cleaned as every caller-supplied label is (a raw slice can split an emoji in two, and a
  // character XML forbids makes the TwiML builder throw).
  return { member, to, reference, label: cleanLabel(label, 60), id };
}

/**
 * CALL <ref> or CALL +number from a member: the reply to send them. Claim the customer (by number, first wins, so
 * CALL 0101 and CALL +number of one customer exclude each other), then have Twilio ring the member's mobile from
 * the team number. Rounds: the reference (CALL <ref> only), the claim, the call; none grows with the team.
 */
export async function startCallback(step: Step, member: Member, target: CallTarget): Promise<string> {
  const { keywords, twilioNumber } = step.config;
  const store = callbackStore(step);
  let to: string;
  let reference: string | undefined;
  let label: string;
  switch (target.kind) {
    case 'missing':
      return callbackTexts.howTo(keywords);
    case 'refused':
      return callbackTexts.refused(target.why);
    case 'number':
      to = target.number;
      reference = undefined;
      label = to;
      break;
    case 'reference': {
      const record = await store.record(target.reference);
      if (record === undefined) return callbackTexts.unknownReference(target.reference, keywords);
      label = callbackLabel(record, record.reference);
      if (record.calledBackBy !== undefined) return callbackTexts.alreadyCalledBack(record.calledBackBy, label, keywords, record.number);
      to = record.number;
      reference = record.reference;
      break;
    }
  }
  if (to === member.number || to === twilioNumber || step.config.members.some((m) => m.number === to)) return callbackTexts.notYourself();
  const attempt: Attempt = { member, to, reference, label, id: randomUUID() };
  const claim = await store.claim(to, { member: member.name, memberNumber: member.number, label, attempt: attempt.id });
  if (!claim.won) {
    const by = claim.by === undefined ? 'Another member' : claim.by.memberNumber === member.number ? 'You' : claim.by.member;
    return callbackTexts.alreadyCalling(by, claim.by?.label ?? label);
  }
  step.reached.add('callback claimed');
  const query = attemptQuery(attempt);
  try {
    await step.client.calls.create({
      to: member.number, from: twilioNumber, url: step.url('/callback-answer', query), method: 'POST',
      statusCallback: step.url('/callback-status', query), statusCallbackMethod: 'POST', statusCallbackEvent: ['completed'],
      timeout: MEMBER_RING_SECONDS,
    });
  } catch (error) {
    const { status } = failureOf(error);
    // Twilio refused it (4xx): nothing rings, so the customer is freed. No answer, or a 5xx: the call may still have
    // been placed, so the claim stays (it runs out after CLAIM_SECONDS) and nobody else can ring the customer meanwhile.
    if (status !== undefined && status < 500) {
      logError(step.name, `callback call to ${member.name} refused (${describeFailure(error)}); claim released`);
      await store.release(to, attempt.id).catch(() => undefined);
      return replies.tryAgain(failureKind(error));
    }
    logError(step.name, `callback call to ${member.name} unconfirmed (${describeFailure(error)}); claim kept`);
    return callbackTexts.mayStillRing();
  }
  logInfo(step.name, `${member.name} is calling back ${reference ?? maskNumber(to)}`);
  return callbackTexts.calling(label);
}

/**
 * The voicemail page's Call back button: the same CALL for the member whose link opened the page, by the callback
 * reference the voicemail's number is owed under (so the team sees the name and reference), else by the number.
 */
export async function startCallbackFromPage(step: Step, member: Member, number: string): Promise<string> {
  const reference = await within(step, 'callback reference', SYNC_READ_MS, callbackStore(step).referenceOf(number), undefined);
  return startCallback(step, member, reference === undefined ? { kind: 'number', number } : { kind: 'reference', reference });
}

/**
 * The member pressed 1. True when this attempt still holds the customer (then, from now on, the Dial action settles
 * it, whichever of it and the status callback comes first); false when it does not, or Sync cannot say: then the
 * customer is not dialled, so two members never ring one customer at once.
 */
export async function attemptDialing(step: Step, a: Attempt): Promise<boolean> {
  const store = callbackStore(step);
  const held = await within(step, 'callback claim', SYNC_READ_MS, store.claimOf(a.to), undefined);
  // The token and the member together: the claim is one member's, and the Dial action reports in that member's name.
  if (held?.attempt !== a.id || held.memberNumber !== a.member.number) return false;
  await within(step, 'marking the callback dialing', SYNC_READ_MS, store.markDialing(a.to, held), undefined);
  return true;
}

/**
 * The attempt did not reach the customer: free them for another member and tell the team, once per attempt
 * (the status callback and a step can both report one failure).
 */
export async function attemptFailed(step: Step, a: Attempt, why: Unreached): Promise<void> {
  const store = callbackStore(step);
  const [first] = await Promise.all([
    store.firstFailure(a.id).catch(() => true),
    store.release(a.to, a.id).catch((error: unknown) => {
      logError(step.name, `releasing callback of ${a.reference ?? maskNumber(a.to)} failed (${describeFailure(error)}); it frees itself within 10 minutes`);
    }),
  ]);
  if (!first) return;
  const again = a.reference === undefined ? undefined : callBackHow(step.config.keywords, a.reference);
  const texted = await textMembers(step, step.config.members, callbackTexts.couldNotReach(a.member, a.label, why, again), 'a callback');
  logInfo(step.name, `callback by ${a.member.name} not completed (${why}); ${textedSummary(texted, step.config.members.length)}`);
}

/** The customer answered: remember who called them back with their reference, and free the claim. */
export async function attemptReached(step: Step, a: Attempt): Promise<void> {
  const store = callbackStore(step);
  const reference = a.reference ?? await store.referenceOf(a.to).catch(() => undefined);
  const record = reference === undefined ? undefined : await store.record(reference).catch(() => undefined);
  await Promise.all([
    // Only the caller this attempt was about: a reference is never reused while it lasts, but be sure.
    record?.number === a.to && record.calledBackBy === undefined
      ? store.markCalledBack(record, a.member.name, Date.now()).catch((error: unknown) => {
        logError(step.name, `remembering who called back ${record.reference} failed (${describeFailure(error)})`);
      })
      : Promise.resolve(),
    store.release(a.to, a.id).catch(() => undefined),
  ]);
  logInfo(step.name, `${a.member.name} called back ${reference ?? 'a number'}`);
}

/** The member's phone call ended. Unanswered, or answered and hung up before pressing 1: the attempt failed. */
export async function memberCallEnded(step: Step, a: Attempt, unreached: Unreached | undefined): Promise<void> {
  if (unreached !== undefined) {
    await attemptFailed(step, a, unreached);
    return;
  }
  const held = await callbackStore(step).claimOf(a.to);
  // Still held and never dialled: nobody pressed 1 (a hang-up ends a <Gather> without its action).
  if (held?.attempt === a.id && held.dialing !== true) await attemptFailed(step, a, 'hung up');
}

/** STATUS's text of callbacks owed, or undefined (none, or Sync could not say in time). */
export async function owedText(step: Step): Promise<string | undefined> {
  const owed = await within(step, 'callbacks owed', SYNC_READ_MS, callbackStore(step).owed(), undefined);
  return owed === undefined ? undefined : callbackTexts.owed(owed.owed, owed.more);
}

/** What the member hears when a callback step cannot go on (misconfigured, failed, late): said once, then goodbye. */
export function cannotCallBack(): VoiceResponse {
  return sayAndHangUp('Sorry, this call back cannot be made right now.');
}

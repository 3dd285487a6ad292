/**
 * /sms-reply — the number's messaging webhook: a team member's command.
 * Replies go back as TwiML <Message>s (no REST round trip), including the "who took it" texts to the others.
 * At most three sequential rounds of REST requests, whatever the queue length or team size.
 */
import { owedText, startCallback } from '../src/callback-step';
import { parseCommand } from '../src/commands';
import { answerCustomer, customerText, unansweredTexts } from '../src/inbox';
import { parseReply } from '../src/inbox-text';
import { Member } from '../src/config';
import { currentHours, hoursInUse, scheduleOf, untilText } from '../src/hours';
import { logError, logInfo } from '../src/log';
import { hoursChangedText, hoursLine, replies, sentToVoicemailText, takenText } from '../src/messages';
import { toE164 } from '../src/phone';
import { choosePull } from '../src/pull';
import { endRingCalls } from '../src/ring-calls';
import { overrideUntil } from '../src/schedule';
import { findQueueSid, pullCaller, waitingCallers, WaitingCaller, whereIs } from '../src/queue';
import { defineStep, messagingResponse, MessagingResponse, Step } from '../src/step';
import { CallRecord, OutcomeRecord } from '../src/store';
import { callerDetails, memberByNumber, publishTeamState, setPaused, SYNC_READ_MS, within } from '../src/team';
import { failureKind } from '../src/twilio-api';
import { param } from '../src/webhook';

/** Callers named in a list reply; more would not fit one text. */
const LISTED = 5;

export const handler = defineStep({
  name: 'sms-reply',
  run: async (step, event) => {
    const response = messagingResponse();
    const from = toE164(param(event, 'From'));
    const member = memberByNumber(step, from);
    // Anyone not on the team is a customer: their text goes to the team, and they learn nothing of the commands.
    if (member === undefined) return customerText(step, event);
    const { keywords } = step.config;
    const reply = parseReply(param(event, 'Body') ?? '', keywords);
    if (reply !== undefined) return answerCustomer(step, member, reply);
    const command = parseCommand(param(event, 'Body') ?? '', keywords);
    switch (command.kind) {
      case 'reserved':
        // Twilio has already answered STOP, HELP and the like itself.
        return response;
      case 'unknown':
        response.message(replies.unknown(keywords));
        return response;
      case 'commands':
        response.message(replies.commands(keywords));
        return response;
      case 'open':
      case 'closed':
        return changeHours(step, response, member, command.kind === 'open');
      case 'pause':
      case 'resume':
        await setPaused(step, member, command.kind === 'pause');
        response.message(command.kind === 'pause' ? replies.paused(keywords) : replies.resumed());
        return response;
      case 'status':
        return status(step, response);
      case 'accept':
      case 'voicemail':
        return pull(step, response, member, command.kind, command.reference);
      case 'call':
        response.message(await startCallback(step, member, command.target));
        return response;
    }
  },
  // Misconfigured: we cannot tell members from strangers, so nobody is answered (the log says what to fix).
  // Late or failed after claiming a caller: the dequeue may have happened, so never "send that again".
  fallback: (_url, _event, why, { reached, error }) => {
    const response = messagingResponse();
    if (why !== 'misconfigured') {
      response.message(reached.has('claimed') ? replies.pullMayHaveWorked() : replies.tryAgain(why === 'late' ? 'time-out' : failureKind(error)));
    }
    return response;
  },
});

async function pull(
  step: Step, response: MessagingResponse, member: Member, action: 'accept' | 'voicemail', reference: string | undefined,
): Promise<MessagingResponse> {
  // Round 1: the queue, who paused, and the named caller's details.
  // Sync holds only details: if it cannot answer, the pull still goes ahead on what the queue says.
  const [queueSid, paused, named] = await Promise.all([
    findQueueSid(step.client, step.config.queueName),
    within(step, 'paused members', SYNC_READ_MS, step.store.pausedMembers(), new Set<string>()),
    reference === undefined ? Promise.resolve(undefined) : within(step, 'caller details', SYNC_READ_MS, step.store.callByReference(reference), undefined),
  ]);
  // Round 2: who is waiting, and what became of the named caller if they are gone.
  const [waiting, outcome, pulledBy] = await Promise.all([
    queueSid === undefined ? Promise.resolve([]) : waitingCallers(step.client, queueSid),
    named === undefined ? Promise.resolve(undefined) : within(step, 'call outcome', SYNC_READ_MS, step.store.outcomeOf(named.callSid), undefined),
    named === undefined ? Promise.resolve(undefined) : within(step, 'pull claim', SYNC_READ_MS, step.store.pullOf(named.callSid), undefined),
  ]);
  // A caller whose outcome is settled (asked for a callback, say) may still be on their way out of the queue.
  const settled = named !== undefined && outcome !== undefined ? named.callSid : undefined;
  const decision = choosePull(action, reference, waiting.filter((w) => w.callSid !== settled));
  switch (decision.kind) {
    case 'nobody-waiting':
      response.message(replies.nobodyWaiting());
      return response;
    case 'not-waiting':
      response.message(named === undefined
        ? replies.noSuchCaller(decision.reference, step.config.keywords)
        : pulledBy !== undefined && (outcome === undefined || outcome.outcome === 'connected')
          ? replies.takenBy(pulledBy.memberNumber === member.number ? 'you' : pulledBy.member, pulledBy.action, named)
          : replies.noLongerWaiting(decision.reference, whyGone(outcome)));
      return response;
    case 'choose': {
      // Round 3: details of the longest-waiting few.
      const listed = await detailsOf(step, decision.waiting.slice(0, LISTED));
      response.message(replies.chooseOne(listed, step.config.keywords, decision.waiting.length));
      return response;
    }
    case 'pull': {
      const target = decision.caller;
      const url = action === 'accept'
        ? step.url('/bridge', { member: member.number })
        : step.url('/voicemail');
      // Round 3: claim the pull in Sync, first wins, before any dequeue: Twilio may let two dequeues of one caller
      // both succeed (unverified), and only the member holding the claim is ever told the caller is theirs.
      // Alongside, the caller's details.
      let claimFailure: unknown;
      const pull = { member: member.name, memberNumber: member.number, action, url };
      // With ring-all escalation on, also the calls ringing members' mobiles for this caller (ended if we win).
      const [claim, caller, ringCalls] = await Promise.all([
        step.store.claimPull(target.callSid, pull).catch((error: unknown) => {
          claimFailure = error;
          return undefined;
        }),
        named?.callSid === target.callSid ? Promise.resolve(named) : callerDetails(step, target.callSid, undefined),
        step.config.ringTeamAfterSeconds === undefined ? Promise.resolve([]) : within(step, 'ring calls', SYNC_READ_MS, step.store.ringCallsOf(target.callSid), []),
      ]);
      if (claim === undefined) {
        // Sync could not say: nothing has been dequeued, so asking again is safe.
        response.message(replies.tryAgain(failureKind(claimFailure)));
        return response;
      }
      // The same member's earlier reply holds the claim. Only if Twilio answered its dequeue with a failure, and
      // the caller is still waiting (round 2), is it retried: a reply sent twice at once must not dequeue twice
      // (Twilio may let both succeed), nor may a retry land beside an unanswered dequeue still on its way.
      const mine = !claim.won && claim.by?.memberNumber === member.number && claim.by.url === url;
      const again = mine && claim.by?.unsure === true && claim.by.unanswered !== true;
      if (mine && claim.by?.unanswered === true) {
        response.message(replies.pullUnsure(caller, step.config.keywords));
        return response;
      }
      if (mine && !again) {
        response.message(replies.alreadyYours(caller));
        return response;
      }
      if (!claim.won && !again) {
        response.message(claim.by === undefined ? replies.tooLate(caller) : replies.takenBy(claim.by.member, claim.by.action, caller));
        return response;
      }
      step.reached.add('claimed');
      // Round 4: the dequeue, and any ring-all calls for this caller stopped. Only the claim holder gets here.
      const [pulled] = await Promise.all([dequeue(step, queueSid ?? '', target.callSid, url), endRingCalls(step, ringCalls, undefined)]);
      if (pulled === 'gone') {
        response.message(again ? replies.alreadyYours(caller) : replies.tooLate(caller));
        return response;
      }
      if (pulled === 'unsure' || pulled === 'unanswered') {
        logError(step.name, `caller ${target.reference}: Twilio did not say whether the dequeue happened; member told it may still work`);
        await step.store.markPullUnsure(target.callSid, pull, pulled === 'unanswered').catch(() => {
          logError(step.name, `caller ${target.reference}: marking the pull unsure failed; the member's next reply will not retry it`);
        });
        response.message(replies.pullUnsure(caller, step.config.keywords));
        return response;
      }
      logInfo(step.name, `caller ${target.reference} pulled to ${action === 'accept' ? 'a member' : 'voicemail'}`);
      response.message(action === 'accept' ? replies.connecting(caller, step.config.ringSeconds) : replies.toVoicemail(caller));
      const told = action === 'accept' ? takenText(member, caller) : sentToVoicemailText(member, caller);
      for (const other of step.config.members) {
        if (other.number !== member.number && !paused.has(other.number)) response.message({ to: other.number }, told);
      }
      return response;
    }
  }
}

/**
 * Dequeue a claimed caller. A time-out or 5xx is checked before the member is answered: out of the queue and on
 * the line means it happened; otherwise the member is told it may still work, never to send it again. It is not
 * retried here: the request may still be carried out, and a second dequeue landing beside it could move the
 * caller twice. The claim stays the member's. After a 5xx ('unsure') Twilio is done with the request, so a caller
 * still waiting at their next reply was not moved by it, and that reply retries it. After no answer at all
 * ('unanswered') the request may still land however long the caller has been seen waiting: it is never sent again,
 * and a caller it never moves reaches voicemail at the wait limit.
 */
async function dequeue(step: Step, queueSid: string, callSid: string, url: string): Promise<'pulled' | 'gone' | 'unsure' | 'unanswered'> {
  const result = await pullCaller(step.client, queueSid, callSid, url);
  if (result === 'pulled' || result === 'gone') return result;
  step.reached.add('dequeue-unknown');
  const where = await whereIs(step.client, queueSid, callSid);
  if (where === 'moved') return 'pulled';
  if (where === 'gone') return 'gone';
  return result === 'unknown' ? 'unsure' : 'unanswered';
}

async function status(step: Step, response: MessagingResponse): Promise<MessagingResponse> {
  const [queueSid, team, owed] = await Promise.all([
    findQueueSid(step.client, step.config.queueName),
    within(step, 'team state', SYNC_READ_MS, step.store.teamState(), undefined),
    owedText(step),
  ]);
  const waiting = queueSid === undefined ? [] : await waitingCallers(step.client, queueSid);
  // Customer texts not yet answered are read with the callers' details, the last round: never a round more.
  const [listed, unanswered] = await Promise.all([detailsOf(step, waiting.slice(0, LISTED)), unansweredTexts(step)]);
  const now = Date.now();
  const hours = currentHours(step.config, now, team?.override);
  const line = hoursInUse(step.config, hours)
    ? hoursLine(hours.open, hours.until === undefined ? undefined : untilText(step.config, hours.until, now), hours.override?.by, step.config.unreadableHours)
    : undefined;
  response.message(replies.status(listed.map((c, i) => ({ ...c, waitSeconds: waiting[i]?.waitSeconds ?? 0 })), waiting.length, line));
  if (unanswered !== undefined) response.message(unanswered);
  if (owed !== undefined) response.message(owed);
  return response;
}

/**
 * OPEN or CLOSED: overrides the schedule until it next changes to the other state, for the whole team.
 * Everyone is told (paused members too: it changes what happens to every caller).
 */
async function changeHours(step: Step, response: MessagingResponse, member: Member, open: boolean): Promise<MessagingResponse> {
  const now = Date.now();
  const until = overrideUntil(scheduleOf(step.config), now, open);
  // If Sync refuses, the step fails and the member is asked to try again: nothing was changed.
  await step.store.setHoursOverride({ open, until, by: member.name }, (until - now) / 1000);
  // Then to the number's voice URL, where /incoming-call reads it (paused.ts); if that fails, the member is asked to
  // try again (the step fails), and sending it again is safe.
  await publishTeamState(step);
  const text = hoursChangedText(member, open, untilText(step.config, until, now), step.config.keywords);
  logInfo(step.name, `${open ? 'opened' : 'closed'} by a member until ${new Date(until).toISOString()}`);
  response.message(text);
  for (const other of step.config.members) {
    if (other.number !== member.number) response.message({ to: other.number }, text);
  }
  return response;
}

/** One parallel round of record fetches; a caller without a record is shown by reference alone. */
async function detailsOf(step: Step, waiting: WaitingCaller[]): Promise<CallRecord[]> {
  return Promise.all(waiting.map((w) => callerDetails(step, w.callSid, undefined)));
}

function whyGone(outcome: OutcomeRecord | undefined): string {
  switch (outcome?.outcome) {
    case 'connected': return `${outcome.member ?? 'a member'} took the call`;
    case 'voicemail': return 'they left a voicemail';
    case 'callback': return 'they asked for a callback';
    case 'missed': return 'they hung up';
    case undefined: return 'they hung up or are being connected';
  }
}

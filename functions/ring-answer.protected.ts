/**
 * /ring-answer — a member answered a ring-all call (/ring-team placed it). They hear who is waiting and press 1.
 * Pressing 1 takes the same Sync pull claim an SMS pull takes, so exactly one member gets the caller whichever way
 * they asked; the winner dequeues the caller into a conference named after the caller's call and joins it, the
 * other ring calls are ended and the team is told who took the caller. Anyone later hears who took it.
 * No key (a mobile's voicemail) or another key: the caller stays in the queue as before.
 */
import { Member } from '../src/config';
import { logError, logInfo } from '../src/log';
import { takenText } from '../src/messages';
import { toE164 } from '../src/phone';
import { findQueueSid, pullCaller, whereIs } from '../src/queue';
import { conferenceName, RING_ACCEPT_KEY, RING_PROMPT_SECONDS, membersToRing, ringWords } from '../src/ring';
import { endRingCalls } from '../src/ring-calls';
import { memberConferenceTwiml } from '../src/ring-twiml';
import { defineStep, sayAndHangUp, Step, voiceResponse, VoiceResponse } from '../src/step';
import { PullRecord } from '../src/store';
import { callerDetails, memberByNumber, SYNC_READ_MS, teamInTurn, textMembers, within } from '../src/team';
import { describeFailure } from '../src/twilio-api';
import { param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'ring-answer',
  run: async (step, event) => {
    const callerSid = sidParam(event, 'caller', 'CA');
    const member = memberByNumber(step, toE164(param(event, 'member')));
    if (callerSid === undefined || member === undefined) {
      logError(step.name, 'ring answer without a caller or a configured member; hanging up');
      return sayAndHangUp(ringWords.unknown);
    }
    const digits = param(event, 'Digits');
    const queueSid = sidParam(event, 'queue', 'QU');
    if (digits === undefined) return prompt(step, callerSid, member, queueSid);
    if (digits !== RING_ACCEPT_KEY) return sayAndHangUp(ringWords.otherKey);
    return take(step, callerSid, member, queueSid, sidParam(event, 'CallSid', 'CA'));
  },
  // Past the claim the caller may be on their way to the conference: the member waits there rather than hang up.
  fallback: (_url, event, _why, { reached }) => {
    const callerSid = sidParam(event, 'caller', 'CA');
    return reached.has('claimed') && callerSid !== undefined
      ? memberConferenceTwiml(conferenceName(callerSid), ringWords.unsure)
      : sayAndHangUp(ringWords.unknown);
  },
});

/** Who is waiting, unless they are already taken or gone; then one key. */
async function prompt(step: Step, callerSid: string, member: Member, queueSid: string | undefined): Promise<VoiceResponse> {
  const [caller, pull, outcome] = await Promise.all([
    callerDetails(step, callerSid, undefined),
    within(step, 'pull claim', SYNC_READ_MS, step.store.pullOf(callerSid), undefined),
    within(step, 'call outcome', SYNC_READ_MS, step.store.outcomeOf(callerSid), undefined),
  ]);
  if (pull !== undefined) return sayAndHangUp(ringWords.takenBy(pull.member, pull.memberNumber === member.number));
  if (outcome !== undefined) return sayAndHangUp(ringWords.gone);
  const response = voiceResponse();
  const gather = response.gather({
    numDigits: 1, timeout: RING_PROMPT_SECONDS, method: 'POST',
    action: step.url('/ring-answer', { caller: callerSid, member: member.number, queue: queueSid }),
  });
  gather.say(ringWords.prompt(caller));
  response.say(ringWords.noKey);
  response.hangup();
  return response;
}

async function take(step: Step, callerSid: string, member: Member, queueParam: string | undefined, ownCall: string | undefined): Promise<VoiceResponse> {
  // The member's own call rides along, so the caller's side can tell whether the member is still on the line.
  const url = step.url('/ring-join', { member: member.number, ring: ownCall });
  const pull: PullRecord = { member: member.name, memberNumber: member.number, action: 'accept', url };
  // Round 1: the claim (first wins, against every other member and every SMS pull), the caller's details for the
  // team's text, the other ring calls, who paused, and the queue when the URL did not carry it.
  const [claim, caller, ringCalls, paused, queueSid] = await Promise.all([
    step.store.claimPull(callerSid, pull).catch((error: unknown) => {
      logError(step.name, `claiming the pull failed (${describeFailure(error)}); nothing dequeued`);
      return undefined;
    }),
    callerDetails(step, callerSid, undefined),
    within(step, 'ring calls', SYNC_READ_MS, step.store.ringCallsOf(callerSid), []),
    within(step, 'paused members', SYNC_READ_MS, step.store.pausedMembers(), new Set<string>()),
    queueParam === undefined ? findQueueSid(step.client, step.config.queueName) : Promise.resolve(queueParam),
  ]);
  if (claim === undefined) return sayAndHangUp(ringWords.unknown);
  // The same member's own earlier press (a repeated request) holds the claim: they go to the conference again.
  const mine = !claim.won && claim.by?.memberNumber === member.number && claim.by.url === url;
  if (mine) return memberConferenceTwiml(conferenceName(callerSid));
  if (!claim.won) return sayAndHangUp(ringWords.takenBy(claim.by?.member ?? 'Another member', claim.by?.memberNumber === member.number));
  step.reached.add('claimed');

  // Round 2: the dequeue into the conference, and the other phones stopped, at once.
  const [moved] = await Promise.all([
    dequeue(step, queueSid ?? '', callerSid, url),
    endRingCalls(step, ringCalls, ownCall),
  ]);
  if (moved === 'gone') {
    logInfo(step.name, `caller ${caller.reference} had left before ${member.name}'s ring answer`);
    return sayAndHangUp(ringWords.gone);
  }
  // Round 3: the team told who took the caller (those who were rung, the taker aside). The outcome is settled by
  // /ring-join when the caller arrives.
  const others = teamInTurn(membersToRing(step.config.members, paused), callerSid).filter((m) => m.number !== member.number);
  await textMembers(step, others, takenText(member, caller), `caller ${caller.reference}`);
  logInfo(step.name, `caller ${caller.reference} taken by a ring-all answer${moved === 'unsure' ? ' (dequeue unconfirmed)' : ''}`);
  return memberConferenceTwiml(conferenceName(callerSid), moved === 'unsure' ? ringWords.unsure : undefined);
}

/** As the SMS pull does it: a time-out is checked, never retried (a second dequeue could land beside the first). */
async function dequeue(step: Step, queueSid: string, callSid: string, url: string): Promise<'pulled' | 'gone' | 'unsure'> {
  const result = await pullCaller(step.client, queueSid, callSid, url);
  if (result === 'pulled' || result === 'gone') return result;
  const where = await whereIs(step.client, queueSid, callSid);
  // 'moved' (out of the queue, still on the line) is not proof: a caller who pressed 1 for voicemail meanwhile looks
  // the same. The member is told it may take a moment; the caller's arrival at /ring-join is the proof.
  if (where === 'gone') return 'gone';
  // Unlike an SMS pull, the member cannot send it again: they wait in the conference, and a caller the dequeue
  // never moved still reaches voicemail at the wait limit.
  return 'unsure';
}

/**
 * Ring-all escalation (RING_TEAM_AFTER_SECONDS): the rules and words, kept apart from the steps that use them.
 *
 * A caller nobody has pulled by then makes every available member's mobile ring once (REST calls from the team
 * number, /ring-team); the member who answers and presses 1 takes the same Sync pull claim an SMS pull takes, so
 * the first of all paths wins; the caller is dequeued into a conference named after their call, which the member
 * joins (/ring-answer, /ring-join).
 */
import { Caller, describeCaller } from './caller';
import { Member } from './config';

/** The key the member presses to take the caller. */
export const RING_ACCEPT_KEY = '1';
/** Seconds the member has to press it after the prompt, before the call ends (a mobile's voicemail presses nothing). */
export const RING_PROMPT_SECONDS = 8;

/**
 * The wait document escalates from the first hold loop that starts at or after `ringAfter` seconds of QueueTime
 * (Twilio's own measure of the wait), so escalation comes at most one hold loop late. At the maximum wait the
 * caller leaves for voicemail instead.
 */
export function escalates(queueTime: number, ringAfter: number | undefined, maxWaitSeconds: number): boolean {
  return ringAfter !== undefined && queueTime >= ringAfter && queueTime < maxWaitSeconds;
}

/** Members rung: everyone not paused (OFF), in the team's order. */
export function membersToRing(members: readonly Member[], paused: ReadonlySet<string>): Member[] {
  return members.filter((m) => !paused.has(m.number));
}

/**
 * While the caller waits in the conference for the member, the wait document (/ring-wait) is asked for again every
 * this many seconds; each time it checks that the member is still on the line.
 */
export const RING_WAIT_SECONDS = 5;
/**
 * The member pressed 1 and is on the way into the room: a caller still waiting for them after this long goes to
 * voicemail even if the member's phone is still on the line (it never came into the room).
 */
export const RING_WAIT_LIMIT_SECONDS = 45;

/** A call status (Calls resource) that means the member's phone is no longer on the line. */
export function memberLeft(status: string | undefined): boolean {
  return status === 'completed' || status === 'busy' || status === 'no-answer' || status === 'canceled' || status === 'failed';
}

/** What the caller's wait for the member comes to: keep waiting, or voicemail (the member left or never came in). */
export function callerWaitVerdict(memberStatus: string | undefined, waitedSeconds: number): 'wait' | 'voicemail' {
  return memberLeft(memberStatus) || waitedSeconds >= RING_WAIT_LIMIT_SECONDS ? 'voicemail' : 'wait';
}

/** The conference a rung member and the caller meet in: one per caller, named after the caller's call. */
export function conferenceName(callerSid: string): string {
  return `pull-${callerSid}`;
}

type CallerInfo = Pick<Caller, 'name' | 'number' | 'place' | 'reference'>;

export const ringWords = {
  prompt: (caller: CallerInfo): string => {
    const place = caller.place === '' ? '' : ` from ${caller.place}`;
    return `Pull Phone: ${describeCaller(caller)}${place} is still waiting, reference ${spell(caller.reference)}. Press ${RING_ACCEPT_KEY} to be connected at once.`;
  },
  noKey: 'No key pressed; the caller stays in the queue. Goodbye.',
  otherKey: 'OK, the caller stays in the queue. Goodbye.',
  takenBy: (who: string, self: boolean): string => (self ? 'You have already taken this caller. Goodbye.' : `Thank you. ${who} has already taken this caller. Goodbye.`),
  gone: 'Sorry, the caller is no longer waiting. Goodbye.',
  unknown: 'Sorry, this call cannot be connected right now. Goodbye.',
  unsure: 'Twilio is slow to confirm. Stay on the line: the caller should join in a moment.',
  /** To the caller, whose ring-all taker is not coming into the room after all. */
  takerLeft: 'Sorry, the team member who took your call could not stay on the line.',
};

/** A reference read digit by digit ("4 8 2 1"), not as a number. */
function spell(reference: string): string {
  return reference.split('').join(' ');
}

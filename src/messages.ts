/** Every text a team member receives. Each fits one SMS segment; see sms-text.ts. */
import { Caller, describeCaller } from './caller';
import { Keywords, Member } from './config';
import type { FailureKind } from './twilio-api';
import { fit, clip, toGsm7, SEGMENT_LENGTH } from './sms-text';

type CallerInfo = Pick<Caller, 'name' | 'number' | 'place' | 'reference'>;

function who(caller: CallerInfo): string {
  return caller.place === '' ? describeCaller(caller) : `${describeCaller(caller)}, ${caller.place}`;
}

/**
 * `N waiting: a; b; c` and `end`, with as many whole entries as fit one segment; the rest are counted
 * in `+N more` rather than cut off mid-entry (a cut reference, or a caller missing from the count).
 */
function waitingList(total: number, entries: string[], end: (more: string) => string, prefix = ''): string {
  for (let shown = entries.length; ; shown -= 1) {
    const more = total > shown ? ` +${total - shown} more` : '';
    const head = toGsm7(`${prefix}${total} waiting: ${entries.slice(0, shown).join('; ')}`);
    const tail = toGsm7(end(more));
    if (shown <= 1 || head.length + tail.length <= SEGMENT_LENGTH) return fit(head, tail);
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function newCallText(caller: CallerInfo, keywords: Keywords): string {
  const yes = keywords.accept[0] ?? 'Y';
  const no = keywords.voicemail[0] ?? 'N';
  return fit(`Call from ${who(caller)}`, `. Reply ${yes} ${caller.reference} to take, ${no} ${caller.reference} for voicemail.`);
}

export function takenText(member: Member, caller: CallerInfo): string {
  return fit(`${member.name} took the call from ${who(caller)}`, ` (${caller.reference}).`);
}

export function sentToVoicemailText(member: Member, caller: CallerInfo): string {
  return fit(`${member.name} sent ${who(caller)}`, ` (${caller.reference}) to voicemail.`);
}

/** Twilio adds about five seconds to every <Dial timeout> (twilio.com/docs/voice/twiml/dial): the phone rings that much longer. */
export const DIAL_BUFFER_SECONDS = 5;

export const replies = {
  /** `ringSeconds` is the Dial timeout; the member is told how long their phone really rings. */
  connecting: (caller: CallerInfo, ringSeconds: number): string =>
    fit(`Calling you now for ${who(caller)}`, ` (${caller.reference}). Answer and press 1 within ${ringSeconds + DIAL_BUFFER_SECONDS}s to connect.`),
  /** Another member's pull of this caller came first (claimed in Sync before any dequeue). */
  takenBy: (by: string, action: 'accept' | 'voicemail', caller: CallerInfo): string =>
    fit(`Too late: ${by} ${action === 'accept' ? 'took' : 'sent'} ${who(caller)}`, ` (${caller.reference})${action === 'accept' ? '' : ' to voicemail'}.`),
  /** This member's own earlier reply already pulled the caller (a repeated text). */
  alreadyYours: (caller: CallerInfo): string =>
    fit(`You already took ${who(caller)}`, ` (${caller.reference}): your phone rings, or the caller has left.`),
  /** Twilio did not say whether the dequeue happened: never "send again", a second pull could follow the first. */
  pullMayHaveWorked: (): string => 'Twilio is slow: your reply may still have worked. If your phone has not rung in a minute, ask for the waiting list.',
  pullUnsure: (caller: CallerInfo, keywords: Keywords): string =>
    fit(`Twilio is slow: taking ${who(caller)}`, ` (${caller.reference}) may still work. If your phone has not rung in a minute, text ${keywords.status[0] ?? 'STATUS'}.`),
  toVoicemail: (caller: CallerInfo): string => fit(`OK: ${who(caller)}`, ` (${caller.reference}) is going to voicemail.`),
  tooLate: (caller: CallerInfo): string =>
    fit(`Too late: ${who(caller)}`, ` (${caller.reference}) was just taken by another member or hung up.`),
  noLongerWaiting: (reference: string, why: string): string => fit(`Caller ${reference} is no longer waiting: ${why}`, '.'),
  noSuchCaller: (reference: string, keywords: Keywords): string =>
    fit('', `No waiting caller has reference ${reference}. Text ${keywords.status[0] ?? 'STATUS'} for the list.`),
  nobodyWaiting: (): string => 'No caller is waiting right now.',
  chooseOne: (waiting: CallerInfo[], keywords: Keywords, total: number): string => {
    const no = keywords.voicemail[0] ?? 'N';
    const entries = waiting.map((c) => `${c.reference} ${clip(describeCaller(c), 14)}`);
    return waitingList(total, entries, (more) => `${more}. Reply ${no} and a number.`);
  },
  /** `hours`, when business hours are in use, leads: "Open until 17:00 America/Chicago." */
  status: (waiting: (CallerInfo & { waitSeconds: number })[], total: number, hours?: string): string => {
    const prefix = hours === undefined ? '' : `${hours} `;
    if (total === 0) return toGsm7(`${prefix}No caller is waiting right now.`);
    const entries = waiting.map(
      (c) => `${c.reference} ${clip(describeCaller(c), 14)}${c.place === '' ? '' : ` ${clip(c.place, 12)}`} ${formatDuration(c.waitSeconds)}`,
    );
    return waitingList(total, entries, (more) => `${more}.`, prefix);
  },

  /**
   * One segment: R and OPEN/CLOSED are listed as they fit with the default keywords; with the longest custom
   * keywords a compact list keeps every command but OPEN/CLOSED.
   */
  commands: (k: Keywords): string => {
    const candidates = [
      `${k.accept[0]} [ref]: take a call. ${k.voicemail[0]} [ref]: voicemail. ${k.reply[0]} T0103 msg: answer a text. ${k.status[0]}: who waits. ${k.pause[0]}/${k.resume[0]}: pause/resume texts. ${k.open[0]}/${k.closed[0]}: open/close the phone. ${k.commands[0]}: this list.`,
      `${k.accept[0]} [ref]: take a call. ${k.voicemail[0]} [ref]: voicemail. ${k.reply[0]} T0103 msg: answer a text. ${k.status[0]}: who waits. ${k.pause[0]}/${k.resume[0]}: pause texts. ${k.open[0]}/${k.closed[0]}: open/close. ${k.commands[0]}: this list.`,
      `${k.accept[0]}/${k.voicemail[0]} [ref]: take/voicemail. ${k.reply[0]} ref msg: answer text. ${k.status[0]}: list. ${k.pause[0]}/${k.resume[0]}: pause/resume. ${k.open[0]}/${k.closed[0]}: open/close.`,
    ].map(toGsm7);
    return candidates.find((c) => c.length <= SEGMENT_LENGTH)
      ?? fit('', `${k.accept[0]}/${k.voicemail[0]} [ref]: take/voicemail. ${k.reply[0]} ref msg: answer text. ${k.status[0]}: list. ${k.pause[0]}/${k.resume[0]}: pause/resume.`);
  },
  unknown: (k: Keywords): string =>
    fit('', `Not understood. Reply ${k.accept[0]} or ${k.accept[0]} 1234 to take a call, ${k.voicemail[0]} 1234 for voicemail, ${k.status[0]} for the list, ${k.commands[0]} for more.`),
  paused: (k: Keywords): string => fit('', `Paused: you will get no new-call texts until you reply ${k.resume[0]}. You can still take calls.`),
  resumed: (): string => 'Resumed: you will be texted about new calls again.',
  /** The member's command failed; only a time-out is called one. */
  tryAgain: (kind: FailureKind): string => {
    switch (kind) {
      case 'time-out': return 'Sorry, Twilio did not answer in time. Please send that again.';
      case 'network': return 'Sorry, Pull Phone could not reach Twilio just now. Please send that again in a minute.';
      case 'twilio': return 'Sorry, Twilio could not do that just now. Please send that again; if it keeps failing, tell whoever runs Pull Phone.';
      case 'other': return 'Sorry, something went wrong on our side. Please send that again.';
    }
  },
};

/**
 * Business hours in a STATUS reply. `until` is already written in the team's time zone (schedule.ts formatLocal);
 * `unreadable` names settings that could not be read, which turn the hours off.
 */
export function hoursLine(open: boolean, until: string | undefined, by: string | undefined, unreadable: readonly string[]): string {
  if (unreadable.length > 0) return `Open: hours off, ${unreadable.join('/')} unreadable (see log).`;
  const state = open ? 'Open' : 'Closed';
  return `${state}${until === undefined ? '' : ` until ${until}`}${by === undefined ? '' : ` (${clip(toGsm7(by), 20)})`}.`;
}

/** Told to the whole team, the member who changed it included. */
export function hoursChangedText(member: Member, open: boolean, until: string, k: Keywords): string {
  return open
    ? fit(`${member.name} opened the phone`, ` until ${until}: callers are queued and the team texted. Text ${k.closed[0] ?? 'CLOSED'} to close.`)
    : fit(`${member.name} closed the phone`, ` until ${until}: callers hear the closed message and go to voicemail. Text ${k.open[0] ?? 'OPEN'} to reopen.`);
}

/**
 * A notice with no number to call back names the caller's reference (as in the new-call text), kept whole however long
 * the name: the number may only have been unreadable just then (their record and Twilio's Call both unanswered), and
 * the reference finds it in the new-call text or the call log.
 */
function referenceWithoutNumber(caller: CallerInfo): string {
  return caller.number === undefined ? ` (${caller.reference})` : '';
}

/** `call` is how to call the caller back from the team number (`CALL 0101`, callback-text.ts), when they can be. */
function callBack(caller: CallerInfo, call: string | undefined): string {
  if (caller.number === undefined) return ' No number to call back.';
  return call === undefined ? ` Call back ${caller.number}` : ` Call back ${caller.number}: ${call}`;
}

export const notices = {
  missed: (caller: CallerInfo, waitedSeconds: number | undefined, call?: string): string => {
    const waited = waitedSeconds === undefined ? '' : `, waited ${formatDuration(waitedSeconds)}`;
    return fit(`Missed call: ${who(caller)}`, `${referenceWithoutNumber(caller)}${waited}.${callBack(caller, call)}`);
  },
  callback: (caller: CallerInfo, waitedSeconds: number | undefined, call?: string): string => {
    const waited = waitedSeconds === undefined ? '' : ` after ${formatDuration(waitedSeconds)}`;
    return fit(who(caller), ` asked for a callback${waited}: ${caller.number ?? 'number withheld'}${call === undefined ? '' : `. ${call}`}`);
  },
  notAnswered: (member: Member, caller: CallerInfo, status: string): string =>
    fit(`${member.name} did not connect (${status}) with ${who(caller)}`, ` (${caller.reference}); the caller is sent to voicemail.`),
  voicemailLost: (caller: CallerInfo, call?: string): string =>
    fit(`Twilio could not save a voicemail from ${who(caller)}`, `${referenceWithoutNumber(caller)}.${callBack(caller, call)}`),
  /** The recording exists but its page could not be kept: the team still hears of it, without a link to nothing. */
  voicemailWithoutPage: (caller: CallerInfo, seconds: number, call?: string): string =>
    fit(`Voicemail ${formatDuration(seconds)} from ${who(caller)}`, `${referenceWithoutNumber(caller)}; its page could not be made (in Twilio Console, Recordings).${callBack(caller, call)}`),
  /**
   * Who called, how long the message is, and the member's own link to the page (transcript and audio are there).
   * One segment: the link is kept whole and the caller's description gives way.
   */
  voicemail: (caller: Pick<Caller, 'name' | 'number'>, seconds: number, link: string, call?: string): string => {
    const back = caller.number === undefined || caller.name === undefined ? '' : ` ${caller.number}`;
    return fit(`Voicemail ${formatDuration(seconds)} from ${clip(describeCaller(caller), 40)}`, `${back}${call === undefined ? '' : `, ${call}`}: ${link}`);
  },
};

/**
 * The simulator's <Dial><Conference>: a named room that any call (a caller dequeued to it, a member's outbound call)
 * joins. A room is created by its first participant; once it has ended, the same name makes a new room. A participant
 * stays until they hang up or the room ends; one with endConferenceOnExit ends the room by leaving, and everyone else
 * then goes on to the verb after their <Dial>. Two participants in the room at once are "connected" (the caller's
 * outcome, the member's ring leg). Source: twilio.com/docs/voice/twiml/conference (startConferenceOnEnter,
 * endConferenceOnExit; "If a participant leaves with endConferenceOnExit=true, the conference ends for all").
 */
import { Control, Leg, SimCall, Simulator } from './voice';
import { Verb } from './twiml';

/** How often a participant notices the room ended (virtual seconds): well under anything a person notices. */
const TICK_SECONDS = 1;
/** A person alone in a room, with nobody joining, hangs up after this long (no person waits in silence for ever). */
export const ALONE_PATIENCE_SECONDS = 60;

interface Participant {
  who: string;
  call: SimCall;
  endOnExit: boolean;
}

export interface Room {
  name: string;
  participants: Participant[];
  ended: boolean;
  /** Everyone who was ever in the room, in order of joining. */
  joined: string[];
}

export function isConferenceDial(verb: Verb): boolean {
  return verb.name === 'Dial' && verb.children.some((c) => c.name === 'Conference');
}

/**
 * Join the conference of a <Dial><Conference>. `talkSeconds`: the participant hangs up that long after someone else
 * is in the room with them (a member's script); undefined stays until the room ends or their own script hangs up.
 */
export async function conference(
  sim: Simulator, call: SimCall, leg: Leg, who: string, verb: Verb, docUrl: string, talkSeconds?: number,
): Promise<Control | 'continue'> {
  const noun = verb.children[0];
  if (verb.children.length !== 1 || noun === undefined || noun.name !== 'Conference' || noun.text.trim() === '') {
    sim.violation(call, docUrl, 'the simulator handles a <Dial> of exactly one named <Conference>');
    return { kind: 'error' };
  }
  const name = noun.text.trim();
  let room = sim.conferences.get(name);
  if (room === undefined || room.ended) {
    room = { name, participants: [], ended: false, joined: [] };
    sim.conferences.set(name, room);
  }
  const me: Participant = { who, call, endOnExit: noun.attrs.endConferenceOnExit === 'true' };
  room.participants.push(me);
  room.joined.push(who);
  sim.emit(call, who, 'dial', `joins conference ${name}${room.participants.length > 1 ? ` with ${room.participants.filter((p) => p !== me).map((p) => p.who).join(', ')}` : ' (alone)'}`);

  const joinedAt = sim.now();
  const met = new Set<string>();
  let together: number | undefined;
  let hungUp = false;
  while (!room.ended) {
    const others = room.participants.filter((p) => p !== me);
    for (const other of others) met.add(other.who);
    if (others.length > 0 && together === undefined) {
      together = sim.now();
      sim.emit(call, who, 'heard', `(connected to ${others.map((o) => o.who).join(', ')})`);
    }
    if (together === undefined && sim.now() - joinedAt >= ALONE_PATIENCE_SECONDS * 1000) {
      sim.emit(call, who, 'hangup', `${who} hangs up after ${ALONE_PATIENCE_SECONDS} s alone in conference ${name}`);
      leg.hangUp();
    }
    if (together !== undefined && talkSeconds !== undefined && sim.now() - together >= talkSeconds * 1000) {
      sim.emit(call, who, 'hangup', `${who} hangs up after talking ${talkSeconds} s`);
      leg.hangUp();
    }
    const result = await leg.wait(TICK_SECONDS, false);
    if (result.kind === 'interrupt' && result.interrupt.kind === 'hangup') {
      hungUp = true;
      break;
    }
  }
  room.participants = room.participants.filter((p) => p !== me);
  const talked = together === undefined ? 0 : Math.round((sim.now() - together) / 1000);
  if (met.size > 0) call.dials.push({ member: [...met].join(', '), status: 'completed', bridged: true, talkSeconds: talked });
  if (hungUp && me.endOnExit && !room.ended) {
    room.ended = true;
    sim.emit(call, who, 'dial', `conference ${name} ends (${who} left)`);
  }
  // No Dial action: the call's own loop ends it, and its status callback follows as for any hang-up.
  if (hungUp) return { kind: 'gone', interrupt: { kind: 'hangup' } };
  sim.emit(call, who, 'dial', `leaves conference ${name} (it ended)`);
  return 'continue';
}

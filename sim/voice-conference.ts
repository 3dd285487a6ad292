/**
 * The simulator's <Dial><Conference>: a named room that any call (a caller dequeued to it, a member's outbound call)
 * joins. A room is created by its first participant; once it has ended, the same name makes a new room. A participant
 * stays until they hang up, the room ends, or their call is moved over REST (Calls update with a Url); one with
 * endConferenceOnExit ends the room by leaving, and everyone else then goes on to the verb after their <Dial>.
 * Two participants in a started room are "connected" (the caller's outcome, the member's ring leg).
 * Source: twilio.com/docs/voice/twiml/conference:
 * - startConferenceOnEnter (default true): "If this is false and the participant joins a conference that has not
 *   started, they are muted and hear background music until a participant joins where startConferenceOnEnter is
 *   true." The room starts when such a participant joins, and stays started.
 * - endConferenceOnExit: "If a participant leaves with endConferenceOnExit=true, the conference ends for all".
 * - waitUrl: what a participant in a room not yet started hears; a TwiML document there "can only contain Say, Play,
 *   Pause, and Redirect" (twilio.com/docs/errors/13238). A <Redirect> there is followed (the next wait document);
 *   when a document ends, the simulator asks the same waitUrl again, as Twilio does for an <Enqueue> waitUrl. The
 *   Conference docs do not say either way, so the simulator can also play the first document only
 *   (SimulatorOptions.conferenceWait 'once'): Pull Phone must not depend on a second request.
 *   No waitUrl: Twilio's default hold music, played here as silence.
 * - A participant whose call is moved to new TwiML leaves the room (the Participants resource no longer lists "a
 *   participant ... whose call has been modified to use new TwiML", twilio.com/docs/voice/api/conference-participant-resource).
 */
import { Control, Leg, SimCall, Simulator } from './voice';
import { Verb } from './twiml';

/** How often a participant notices the room changed (virtual seconds): well under anything a person notices. */
const TICK_SECONDS = 1;
/** A person alone in a room, with nobody joining, hangs up after this long (no person waits in silence for ever). */
export const ALONE_PATIENCE_SECONDS = 60;
/** Words a second Twilio's text-to-speech says (as for <Say> elsewhere in the simulator). */
const SECONDS_PER_WORD = 0.4;

interface Participant {
  who: string;
  call: SimCall;
  endOnExit: boolean;
}

export interface Room {
  /** The Conference resource's SID (CF…). */
  sid: string;
  name: string;
  participants: Participant[];
  ended: boolean;
  /** A participant with startConferenceOnEnter joined: audio is mixed from then on. */
  started: boolean;
  /** Everyone who was ever in the room, in order of joining. */
  joined: string[];
  /** Everyone who was in the room while it was started with someone else in it. */
  talked: Set<string>;
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
    room = { sid: sim.sid('CF'), name, participants: [], ended: false, started: false, joined: [], talked: new Set() };
    sim.conferences.set(name, room);
  }
  const me: Participant = { who, call, endOnExit: noun.attrs.endConferenceOnExit === 'true' };
  room.participants.push(me);
  room.joined.push(who);
  if (noun.attrs.startConferenceOnEnter !== 'false') room.started = true;
  sim.emit(call, who, 'dial', `joins conference ${name}${room.participants.length > 1 ? ` with ${room.participants.filter((p) => p !== me).map((p) => p.who).join(', ')}` : ' (alone)'}${room.started ? '' : ', not started'}`);
  const waiting = new WaitMusic(sim, call, who, noun.attrs.waitUrl, noun.attrs.waitMethod ?? 'POST', sim.options.conferenceWait ?? 'repeats');

  const joinedAt = sim.now();
  const met = new Set<string>();
  let together: number | undefined;
  let hungUp = false;
  let moved: { url: string; method: string } | undefined;
  while (!room.ended) {
    const others = room.started ? room.participants.filter((p) => p !== me) : [];
    for (const other of others) met.add(other.who);
    if (others.length > 0 && together === undefined) {
      together = sim.now();
      room.talked.add(who);
      for (const other of others) room.talked.add(other.who);
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
    if (!room.started && !leg.hungUp()) await waiting.tick(TICK_SECONDS);
    const result = await leg.wait(TICK_SECONDS, false);
    if (result.kind === 'interrupt' && result.interrupt.kind === 'hangup') {
      hungUp = true;
      break;
    }
    if (result.kind === 'interrupt' && result.interrupt.kind === 'dequeue') {
      moved = leg.takeDequeue() ?? { url: result.interrupt.url, method: result.interrupt.method };
      break;
    }
  }
  room.participants = room.participants.filter((p) => p !== me);
  const talked = together === undefined ? 0 : Math.round((sim.now() - together) / 1000);
  if (met.size > 0) call.dials.push({ member: [...met].join(', '), status: 'completed', bridged: true, talkSeconds: talked });
  if ((hungUp || moved !== undefined) && me.endOnExit && !room.ended) {
    room.ended = true;
    sim.emit(call, who, 'dial', `conference ${name} ends (${who} left)`);
  }
  // No Dial action: the call's own loop ends it, and its status callback follows as for any hang-up.
  if (hungUp) return { kind: 'gone', interrupt: { kind: 'hangup' } };
  if (moved !== undefined) {
    sim.emit(call, who, 'dial', `leaves conference ${name} (the call was moved to ${new URL(moved.url).pathname})`);
    return { kind: 'goto', url: moved.url, method: moved.method, params: {} };
  }
  sim.emit(call, who, 'dial', `leaves conference ${name} (it ended)`);
  return 'continue';
}

/** The wait documents of a participant in a room not yet started, played a tick at a time so the room can start at any moment. */
class WaitMusic {
  private verbs: Verb[] | undefined;
  private index = 0;
  /** Seconds left of the verb playing, or undefined before it starts. */
  private left: number | undefined;
  private url: string | undefined;
  private method: string;

  constructor(
    private readonly sim: Simulator, private readonly call: SimCall, private readonly who: string, waitUrl: string | undefined, method: string,
    private readonly reading: 'repeats' | 'once',
  ) {
    this.url = waitUrl === undefined || waitUrl === '' ? undefined : waitUrl;
    this.method = method;
  }

  async tick(seconds: number): Promise<void> {
    if (this.url === undefined) return;
    if (this.verbs !== undefined && this.index >= this.verbs.length && this.reading === 'once') return;
    if (this.verbs === undefined || this.index >= this.verbs.length) {
      const doc = await this.sim.fetch(this.call, this.url, this.method, this.sim.callParams(this.call, 'in-progress'), 'conference-wait');
      // An answer Twilio could not use (recorded as a violation): the default music, as silence, from then on.
      if (doc === undefined) {
        this.url = undefined;
        return;
      }
      this.verbs = doc.children;
      this.index = 0;
      this.left = undefined;
      // An empty wait document: silence (rather than asking again every second).
      if (this.verbs.length === 0) {
        this.url = undefined;
        return;
      }
    }
    const verb = this.verbs[this.index];
    if (verb === undefined) return;
    if (verb.name === 'Redirect') {
      // 'once': the first document is all the caller gets; its <Redirect> is not followed.
      if (this.reading === 'once') {
        this.index = this.verbs.length;
        return;
      }
      this.url = verb.text.trim();
      this.method = verb.attrs.method ?? 'POST';
      this.verbs = undefined;
      return;
    }
    if (this.left === undefined) {
      this.left = await this.length(verb);
      const heard = verb.name === 'Say' ? verb.text.trim() : verb.name === 'Pause' ? `(pause ${this.left} s)` : `(audio ${verb.text.trim()})`;
      this.sim.emit(this.call, this.who, 'heard', heard);
    }
    this.left -= seconds;
    if (this.left <= 0) {
      this.index += 1;
      this.left = undefined;
    }
  }

  private async length(verb: Verb): Promise<number> {
    if (verb.name === 'Say') return Math.max(1, verb.text.trim().split(/\s+/).length * SECONDS_PER_WORD);
    if (verb.name === 'Pause') return verb.attrs.length === undefined ? 1 : Number(verb.attrs.length);
    return this.sim.audioSeconds(this.call, verb.text.trim());
  }
}

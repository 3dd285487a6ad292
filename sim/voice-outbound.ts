/**
 * The simulator's outbound calls: a call a function creates with POST Calls.json rings the callee's simulated phone
 * (its script: answer after N s, never answer, busy, a phone's own voicemail picking up, keys pressed), and once
 * answered runs the Url's TwiML with the verbs an incoming call has (Say, Gather, Dial to another simulated phone,
 * which records the caller ID it showed). The StatusCallbackEvent progress callbacks go to StatusCallback.
 *
 * Sources: the Calls create OpenAPI (../shared/twilio-oai, CreateCall: StatusCallbackEvent `initiated`, `ringing`,
 * `answered`, `completed`, "If no event is specified, we send the completed status"; Timeout 60 s by default, at
 * most 600) and Twilio's "Tracking the Status of an Outbound Twilio Voice Call" (queued → initiated → ringing →
 * in-progress → completed; each event an asynchronous webhook to StatusCallback).
 */
import { Answering, MemberLeg, MemberPhone } from './phones';
import { CreatedCall } from './standin';
import { Control, SimCall, Simulator } from './voice';
import { dial } from './voice-dial';
import { conference, isConferenceDial } from './voice-conference';
import { callEnded } from './voice-status';
import { Verb } from './twiml';

/** A busy signal is reported after about this long (not documented; nothing depends on the figure). */
const BUSY_SECONDS = 3;

/** The final CallStatus of an outbound call, as its `completed` status callback reports it. */
export type FinalStatus = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface ProgressCallback {
  /** Virtual milliseconds since the simulation started. */
  at: number;
  event: string;
  status: string;
}

/**
 * A call Twilio placed over REST: what rang, how it went, what the functions heard of it. It holds the SimCall the
 * verbs run on (a class of its own, not a subclass: voice.ts and this file import each other).
 */
export class OutboundCall {
  /** The call the verbs run on: its leg is the callee's; its events are this call's. */
  readonly call: SimCall;
  /** Where the call went: the callee's phone name, or the number when no simulated phone has it. */
  readonly who: string;
  status: 'queued' | 'initiated' | 'ringing' | 'in-progress' | FinalStatus = 'queued';
  /** The status callbacks posted, in order. */
  readonly callbacks: ProgressCallback[] = [];
  /** The callee's ring on their phone (its caller ID, what they heard and pressed); undefined when nothing rang. */
  ring: MemberLeg | undefined;
  answeredAt: number | undefined;
  /** How long the callee talks once connected (a <Conference> with someone else in it), from their phone's script. */
  talkSeconds: number | undefined;
  private sequence = 0;

  constructor(private readonly sim: Simulator, readonly created: CreatedCall) {
    this.who = sim.phones.get(created.to)?.name ?? created.to;
    const call = new SimCall(created.sid, '', { from: created.from }, sim.clock, (digit) => {
      sim.emit(call, this.who, 'pressed', `${digit} (no <Gather> listening)`);
    });
    call.outbound = { from: created.from, to: created.to, completed: () => this.completedCallback() };
    this.call = call;
  }

  get callSid(): string {
    return this.created.sid;
  }

  /** The <Dial>s the call made: whom, how each ended, whether bridged. */
  get dials(): SimCall['dials'] {
    return this.call.dials;
  }

  /** The final status: the `completed` event, when asked for, carries it (once, however the call ended). */
  private async completedCallback(): Promise<void> {
    if (this.call.statusSent) return;
    this.call.statusSent = true;
    const final = this.status === 'queued' || this.status === 'initiated' || this.status === 'ringing' || this.status === 'in-progress' ? 'completed' : this.status;
    this.sim.twilio.callStatus.set(this.callSid, final);
    const seconds = this.answeredAt === undefined ? 0 : Math.round(((this.call.endedAt ?? this.sim.now()) - this.answeredAt) / 1000);
    await this.progress('completed', final, { CallDuration: String(seconds), Duration: String(Math.ceil(seconds / 60)) });
  }

  /** One progress callback, when StatusCallbackEvent asked for it. */
  async progress(event: string, status: string, extra: Record<string, string> = {}): Promise<void> {
    const { statusCallback, statusCallbackEvents, statusCallbackMethod } = this.created;
    if (statusCallback === undefined || !statusCallbackEvents.includes(event)) return;
    this.callbacks.push({ at: this.sim.now(), event, status });
    const sequence = this.sequence;
    this.sequence += 1;
    await this.sim.fetch(this.call, statusCallback, statusCallbackMethod, {
      ...this.sim.callParams(this.call, status), ...extra,
      CallbackSource: 'call-progress-events', SequenceNumber: String(sequence), Timestamp: new Date(this.sim.clock.now()).toUTCString(),
    }, 'ignored');
  }

  /**
   * A progress event that is not the last: asynchronous (the support article), so it can land before or after the
   * Url request of an answered call. Nothing Pull Phone does may depend on that order; the simulator sends it and
   * goes on without waiting.
   */
  progressInBackground(event: string, status: string): void {
    this.sim.spawn(this.progress(event, status), this.call);
  }
}

/** Twilio accepted a POST Calls.json: ring the callee now. */
export function placeCall(sim: Simulator, created: CreatedCall): void {
  const call = new OutboundCall(sim, created);
  sim.outbound.push(call);
  sim.spawn(runOutbound(sim, call), call.call);
}

async function runOutbound(sim: Simulator, out: OutboundCall): Promise<void> {
  const { created, who, call } = out;
  const phone = sim.phones.get(created.to);
  call.startedAt = sim.now();
  out.status = 'initiated';
  sim.twilio.callStatus.set(out.callSid, 'initiated');
  sim.emit(call, who, 'call', `Twilio calls ${who} from ${created.from === sim.options.twilioNumber ? 'our number' : created.from}`);
  out.progressInBackground('initiated', 'initiated');
  if (!(phone instanceof MemberPhone)) {
    // A number no simulated phone answers calls on: as a number that does not exist or cannot ring, the call fails.
    await finish(sim, out, 'failed');
    return;
  }
  const answering = phone.ring({ callerId: created.from, at: sim.now(), previousRings: phone.legs.length });
  const ring: MemberLeg = { at: sim.now(), callerId: created.from, answered: false, heard: [], pressed: [], bridged: false };
  phone.legs.push(ring);
  out.ring = ring;
  out.status = 'ringing';
  sim.twilio.callStatus.set(out.callSid, 'ringing');
  out.progressInBackground('ringing', 'ringing');
  sim.emit(call, who, 'dial', `${who}'s phone rings (showing ${created.from === sim.options.twilioNumber ? 'our number' : created.from})`);

  if (answering.kind === 'busy') {
    await call.leg.wait(BUSY_SECONDS, false);
    await finish(sim, out, 'busy');
    return;
  }
  // Timeout as given. The docs add "for some call flows" a 5 s buffer (as <Dial> does); which flows is not said,
  // and nothing here depends on the extra seconds.
  if (answering.kind === 'no-answer' || answering.afterSeconds >= created.timeout) {
    await call.leg.wait(created.timeout, false);
    await finish(sim, out, call.leg.hungUp() ? 'canceled' : 'no-answer');
    return;
  }
  await call.leg.wait(answering.afterSeconds, false);
  // Ended over REST while it rang (Calls update): it never rings on.
  if (call.leg.hungUp()) {
    await finish(sim, out, 'canceled');
    return;
  }
  ring.answered = true;
  out.talkSeconds = answering.talkSeconds;
  out.answeredAt = sim.now();
  out.status = 'in-progress';
  sim.twilio.callStatus.set(out.callSid, 'in-progress');
  sim.emit(call, who, 'dial', `${who} answers`);
  out.progressInBackground('answered', 'in-progress');
  const stop = script(sim, out, answering, ring);
  try {
    await runDocument(sim, out);
  } finally {
    stop();
  }
  await finish(sim, out, 'completed');
}

/** The callee's keys and hang-up, timed from the answer; what they hear is kept with their ring. */
function script(sim: Simulator, out: OutboundCall, answering: Extract<Answering, { kind: 'answer' }>, ring: MemberLeg): () => void {
  const { call, who } = out;
  const cancels: (() => void)[] = [];
  if (answering.press !== undefined) {
    const key = answering.press;
    cancels.push(sim.clock.schedule((answering.pressAfterSeconds ?? 0) * 1000, () => {
      if (call.leg.hungUp()) return;
      sim.emit(call, who, 'pressed', key);
      ring.pressed.push(key);
      call.leg.press(key);
    }));
  }
  if (answering.hangUpAfterSeconds !== undefined) {
    cancels.push(sim.clock.schedule(answering.hangUpAfterSeconds * 1000, () => {
      if (call.leg.hungUp()) return;
      sim.emit(call, who, 'hangup', `${who} hangs up`);
      call.leg.hangUp();
      call.child?.hangUp();
    }));
  }
  cancels.push(sim.onEmit((event) => {
    // The callee's own leg: what is said to them, and the ringing they hear while <Dial> rings someone else.
    if (event.callSid === call.callSid && event.kind === 'heard' && (event.who === who || event.who === 'caller')) ring.heard.push(event.text);
  }));
  return () => { for (const cancel of cancels) cancel(); };
}

/** Url's TwiML, then each action's, until the document ends, hangs up or the callee hangs up. */
async function runDocument(sim: Simulator, out: OutboundCall): Promise<void> {
  const { call, who } = out;
  let next: { url: string; method: string; params: Record<string, string> } | undefined = { url: out.created.url, method: out.created.method, params: {} };
  while (next !== undefined) {
    if (call.leg.hungUp()) return;
    const doc = await sim.fetch(call, next.url, next.method, { ...sim.callParams(call, 'in-progress'), ...next.params }, 'call');
    if (doc === undefined) {
      sim.emit(call, who, 'heard', 'We are sorry, an application error has occurred. Goodbye.');
      return;
    }
    const docUrl = next.url;
    const control: Control = await sim.runVerbs(call.leg, who, call, doc.children, docUrl, (verb) => outboundVerb(sim, call, verb, docUrl));
    next = control.kind === 'goto' ? control : undefined;
  }
}

/** The verbs beyond the common ones that an outbound call plays: <Dial> (one <Number>, or a <Conference>). */
async function outboundVerb(sim: Simulator, call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
  if (isConferenceDial(verb)) {
    const out = sim.outbound.find((o) => o.call === call);
    const control = await conference(sim, call, call.leg, out?.who ?? 'callee', verb, docUrl, out?.talkSeconds);
    if (out?.ring !== undefined && call.dials.some((d) => d.bridged)) out.ring.bridged = true;
    return control;
  }
  if (verb.name === 'Dial') return dial(sim, call, verb, docUrl);
  sim.violation(call, docUrl, `the simulator does not play <${verb.name}> on an outbound call`);
  return { kind: 'error' };
}

async function finish(sim: Simulator, out: OutboundCall, status: FinalStatus): Promise<void> {
  const { call, who } = out;
  out.status = status;
  call.finish(sim.now(), call.leg.hungUp() ? 'caller' : 'app');
  sim.emit(call, who, 'outcome', `outbound call ${status}${status === 'completed' ? ` (${call.endedBy === 'caller' ? `${who} hung up` : 'call ended'})` : ''}`);
  // The completed event may already have gone while a <Dial> ran (V2 decides when, as for incoming calls).
  await callEnded(sim, call);
}

/**
 * A Calls update for a call Twilio placed: Status completed or canceled ends it (ringing: it stops ringing; answered:
 * the callee is hung up on). A new Url is not played by the simulator for these (Pull Phone never moves them); a
 * caller's (inbound) call is moved to a new Url.
 */
export function updateCall(sim: Simulator, callSid: string, update: { status?: string; url?: string; method?: string }): void {
  const out = sim.outbound.find((o) => o.callSid === callSid);
  if (out === undefined) {
    const inbound = sim.calls.find((c) => c.callSid === callSid);
    if (inbound !== undefined && update.url !== undefined && update.status === undefined) {
      // "Initiates a call redirect" (UpdateCall): the caller's call leaves what it is doing (a conference included)
      // and runs the new Url's TwiML.
      if (inbound.endedAt !== undefined || inbound.leg.hungUp()) return;
      sim.emit(inbound, 'caller', 'dial', `Twilio moves the caller's call to ${new URL(update.url).pathname}`);
      inbound.leg.redirect(update.url, update.method ?? 'POST');
      return;
    }
    if (update.status !== undefined) sim.violation(undefined, 'REST call update', 'the functions ended a call that is not one they placed');
    return;
  }
  if (update.url !== undefined) sim.violation(out.call, 'REST call update', 'the simulator does not move an outbound call to a new Url');
  if (update.status === undefined || out.call.leg.hungUp()) return;
  if (update.status === 'canceled' && out.status === 'in-progress') return;
  sim.emit(out.call, out.who, 'hangup', `Twilio ends the call to ${out.who} (${update.status}, ${out.status === 'in-progress' ? 'answered' : 'still ringing'})`);
  out.call.leg.hangUp();
  out.call.child?.hangUp();
}

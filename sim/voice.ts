/**
 * The call simulator's voice and messaging engine: it plays Twilio's part against our real functions.
 * It runs the TwiML they return with Twilio's documented semantics (TWILIO-NOTES.md), on a virtual
 * clock where Twilio would wait, posts signed webhooks as Twilio does, checks every answer
 * (HTTP 200 within 15 s, well-formed TwiML, only verbs allowed where they run, absolute URLs),
 * and records what each person heard and received.
 *
 * Where Twilio's behaviour is not documented the choice made here is named in a comment, so a test
 * that depends on it says so.
 */
import { Agent, request as httpRequest } from 'node:http';
import twilio from 'twilio';
import { VirtualClock } from './clock';
import { Answering, CallerScript, MemberLeg, MemberPhone, Phone, VoicemailBehaviour } from './phones';
import { Prng } from './prng';
import { callReference } from '../src/reference';
import { TwilioStandIn } from './standin';
import { SIM_TIME_HEADER } from './virtual-time.cjs';
import { parseTwiml, twimlProblems, TwimlContext, Verb } from './twiml';

/** How a call ended, from the caller's side. */
export type Outcome = 'connected' | 'voicemail' | 'callback' | 'missed' | 'error';

export type EventKind = 'call' | 'heard' | 'pressed' | 'hangup' | 'text-in' | 'text-out' | 'queue' | 'dial' | 'record' | 'outcome' | 'violation';

export interface SimEvent {
  /** Virtual milliseconds since the simulation started. */
  at: number;
  callSid?: string;
  /** "caller", a member's name, or a phone's name. */
  who: string;
  kind: EventKind;
  text: string;
}

export interface Violation {
  at: number;
  callSid?: string;
  url: string;
  problem: string;
}

export interface WebhookRecord {
  at: number;
  path: string;
  context: TwimlContext;
  realMs: number;
  status: number;
  callSid?: string;
}

export interface SimulatorOptions {
  /** Origin of the functions server, e.g. http://localhost:3000. */
  functionsUrl: string;
  clock: VirtualClock;
  twilio: TwilioStandIn;
  accountSid: string;
  authToken: string;
  /** The Twilio number callers dial and members text. */
  twilioNumber: string;
  /** The number's voice and messaging webhooks (default: /incoming-call and /sms-reply). */
  voicePath?: string;
  smsPath?: string;
  /** The number's call status callback (statusCallback), requested when a call ends; none by default. */
  statusCallbackPath?: string;
  /** Seeds the SIDs the simulator makes up, so references repeat from run to run. */
  seed?: number;
  /** Real milliseconds Twilio waits for a webhook answer. */
  webhookTimeoutMs?: number;
  /** Virtual seconds from the end of a recording to its status callback and to its transcription callback. */
  recordingCallbackDelay?: (call: SimCall) => number;
  transcriptionCallbackDelay?: (call: SimCall) => number;
  onEvent?: (event: SimEvent) => void;
}

/** Twilio's text-to-speech speaks about 150 words a minute. */
const SECONDS_PER_WORD = 0.4;
const BEEP_SECONDS = 0.5;
const BUSY_SIGNAL_SECONDS = 3;
const API_VERSION = '2010-04-01';
/** Twilio's built-in transcription handles recordings of 2 to 120 seconds. */
const TRANSCRIBABLE_SECONDS = { min: 2, max: 120 };
const AUDIO_TYPES = new Set(['audio/mpeg', 'audio/wav', 'audio/wave', 'audio/x-wav', 'audio/aiff', 'audio/x-aifc', 'audio/x-aiff', 'audio/x-gsm', 'audio/gsm', 'audio/ulaw']);

type Interrupt = { kind: 'hangup' } | { kind: 'dequeue'; url: string; method: string };
type WaitResult = { kind: 'done' } | { kind: 'digit'; digit: string } | { kind: 'interrupt'; interrupt: Interrupt };

/** What running a document's verbs led to. */
type Control =
  | { kind: 'end' }
  | { kind: 'goto'; url: string; method: string; params: Record<string, string> }
  | { kind: 'hangup' }
  | { kind: 'leave' }
  | { kind: 'gone'; interrupt: Interrupt }
  | { kind: 'error' };

/** One end of a call: a person who hears, presses keys and may hang up; Twilio may pull it out of a queue. */
class Leg {
  private ended = false;
  private dequeue: { url: string; method: string } | undefined;
  private wake: ((result: WaitResult) => void) | undefined;
  private listening = false;

  constructor(private readonly clock: VirtualClock, private readonly ignored: (digit: string) => void) {}

  /** A method, not a field: it changes while we await, which the type checker's narrowing would not see. */
  hungUp(): boolean {
    return this.ended;
  }

  hangUp(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake?.({ kind: 'interrupt', interrupt: { kind: 'hangup' } });
  }

  /** The call is over for this leg without an interrupt to deliver (it already ended). */
  close(): void {
    this.ended = true;
  }

  redirect(url: string, method: string): void {
    this.dequeue = { url, method };
    this.wake?.({ kind: 'interrupt', interrupt: { kind: 'dequeue', url, method } });
  }

  pending(): Interrupt | undefined {
    if (this.ended) return { kind: 'hangup' };
    return this.dequeue === undefined ? undefined : { kind: 'dequeue', ...this.dequeue };
  }

  takeDequeue(): { url: string; method: string } | undefined {
    const dequeue = this.dequeue;
    this.dequeue = undefined;
    return dequeue;
  }

  press(digit: string): void {
    if (this.ended) return;
    if (this.listening && this.wake !== undefined) this.wake({ kind: 'digit', digit });
    else this.ignored(digit);
  }

  /** Wait virtual seconds; a key press ends the wait only when `listen` (a <Gather> is listening). */
  wait(seconds: number, listen: boolean): Promise<WaitResult> {
    const pending = this.pending();
    if (pending !== undefined) return Promise.resolve({ kind: 'interrupt', interrupt: pending });
    return new Promise<WaitResult>((resolve) => {
      let cancel = (): void => undefined;
      const finish = (result: WaitResult): void => {
        cancel();
        this.wake = undefined;
        this.listening = false;
        resolve(result);
      };
      this.wake = finish;
      this.listening = listen;
      cancel = this.clock.schedule(seconds * 1000, () => { finish({ kind: 'done' }); });
    });
  }
}

export interface QueueStay {
  name: string;
  sid: string;
  enteredAt: number;
  leftAt?: number;
  /** The QueueResult Twilio reported to the Enqueue action. */
  result?: string;
  /** When each play of the wait document began (virtual ms): one per hold loop. */
  loops: number[];
}

export class SimCall {
  readonly events: SimEvent[] = [];
  readonly leg: Leg;
  /** The member's leg while Pull Phone rings, screens or connects them. */
  child: Leg | undefined;
  startedAt: number | undefined;
  endedAt: number | undefined;
  endedBy: 'caller' | 'app' | 'error' | undefined;
  queue: QueueStay | undefined;
  /** Times Twilio's REST API pulled this caller out of the queue. */
  dequeues = 0;
  readonly dials: { member: string; status: string; bridged: boolean; talkSeconds: number }[] = [];
  recording: { sid: string; url: string; seconds: number; words: string } | undefined;
  /** Keys the caller pressed that a <Gather> in the queue took, with what became of them. */
  readonly queueKeys: string[] = [];
  /** The app ended the call while the caller waited, right after a key press: a callback request. */
  endedAfterQueueKey = false;
  private ended: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(readonly callSid: string, readonly reference: string, readonly script: CallerScript, clock: VirtualClock, ignored: (digit: string) => void) {
    this.leg = new Leg(clock, ignored);
    this.done = new Promise<void>((resolve) => { this.ended = resolve; });
  }

  get outcome(): Outcome | undefined {
    if (this.endedAt === undefined) return undefined;
    if (this.endedBy === 'error') return 'error';
    if (this.dials.some((d) => d.bridged)) return 'connected';
    if (this.recording !== undefined && this.recording.seconds > 0) return 'voicemail';
    // Pull Phone's callback key is 2; after it the caller leaves the queue and the app ends the call.
    if (this.endedAfterQueueKey || (this.endedBy === 'app' && this.queueKeys.includes('2'))) return 'callback';
    return 'missed';
  }

  /** Everything the caller heard, in order: spoken text, and "(…)" for music, beeps and ringing. */
  heard(): string[] {
    return this.events.filter((e) => e.kind === 'heard' && e.who === 'caller').map((e) => e.text);
  }

  /** Seconds spent in the queue (virtual). */
  queueSeconds(): number | undefined {
    if (this.queue?.leftAt === undefined) return undefined;
    return (this.queue.leftAt - this.queue.enteredAt) / 1000;
  }

  finish(now: number, by: 'caller' | 'app' | 'error'): void {
    if (this.endedAt !== undefined) return;
    this.endedAt = now;
    this.endedBy = by;
    this.leg.close();
    this.ended?.();
  }
}

interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
  realMs: number;
}

export class Simulator {
  readonly calls: SimCall[] = [];
  readonly phones = new Map<string, Phone>();
  readonly events: SimEvent[] = [];
  readonly violations: Violation[] = [];
  readonly webhooks: WebhookRecord[] = [];
  /** Texts addressed to a number no phone in the simulation has. */
  readonly undelivered: { to: string; body: string }[] = [];
  readonly clock: VirtualClock;
  private readonly twilio: TwilioStandIn;
  private readonly prng: Prng;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly audio = new Map<string, Promise<number>>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly origin: string;

  constructor(private readonly options: SimulatorOptions) {
    this.clock = options.clock;
    this.twilio = options.twilio;
    this.prng = new Prng(options.seed ?? 1);
    this.origin = new URL(options.functionsUrl).origin;
    this.twilio.onDequeue = (callSid, url, method) => { this.dequeued(callSid, url, method); };
    this.twilio.onMessage = (message) => {
      if (message.from !== options.twilioNumber) this.violation(undefined, 'REST messages', `a text was sent from ${message.from}, not our Twilio number`);
      this.deliver(message.to, message.body, 'rest');
    };
  }

  /** Virtual milliseconds since the simulation started. */
  now(): number {
    return this.clock.elapsed();
  }

  addPhone<P extends Phone>(phone: P): P {
    this.phones.set(phone.number, phone);
    return phone;
  }

  /** A call that starts `script.arriveAfterSeconds` into the simulation (or now). */
  call(script: CallerScript): SimCall {
    const callSid = this.sid('CA');
    const call = new SimCall(callSid, callReference(callSid), script, this.clock, (digit) => {
      this.emit(call, 'caller', 'pressed', `${digit} (no <Gather> listening)`);
    });
    this.calls.push(call);
    const delay = Math.max(0, (script.arriveAfterSeconds ?? 0) * 1000 - this.now());
    this.clock.schedule(delay, () => { this.spawn(this.runCall(call), call); });
    return call;
  }

  /** `phone` texts the Twilio number `afterSeconds` from now. */
  text(phone: Phone, body: string, afterSeconds = 0): void {
    this.clock.schedule(afterSeconds * 1000, () => { this.spawn(this.sendText(phone, body)); });
  }

  /** Run until nothing more happens (or virtual `untilSeconds` since the start). */
  async run(untilSeconds?: number): Promise<void> {
    await this.clock.run(untilSeconds === undefined ? undefined : this.clock.startedAt + untilSeconds * 1000);
    if (untilSeconds !== undefined) return;
    await Promise.allSettled([...this.background]);
    for (const call of this.calls) {
      if (call.startedAt !== undefined && call.endedAt === undefined) {
        this.violation(call, '(simulator)', 'the call never ended: the simulation stalled');
      }
    }
  }

  stop(): void {
    this.agent.destroy();
    this.twilio.onDequeue = undefined;
    this.twilio.onMessage = undefined;
  }

  // --- calls ---

  private async runCall(call: SimCall): Promise<void> {
    const { script } = call;
    call.startedAt = this.now();
    this.emit(call, 'caller', 'call', `${script.from} calls (reference ${call.reference})`);
    if (script.hangUpAfterSeconds !== undefined) {
      this.clock.schedule(script.hangUpAfterSeconds * 1000, () => { this.callerHangsUp(call); });
    }
    for (const key of script.keys ?? []) {
      Array.from(key.digits).forEach((digit, i) => {
        this.clock.schedule((key.afterSeconds + i * 0.5) * 1000, () => {
          if (call.endedAt !== undefined) return;
          this.emit(call, 'caller', 'pressed', digit);
          call.leg.press(digit);
        });
      });
    }
    let next: { url: string; method: string; params: Record<string, string> } | undefined = {
      url: `${this.origin}${this.options.voicePath ?? '/incoming-call'}`, method: 'POST', params: {},
    };
    let first = true;
    while (next !== undefined) {
      if (call.leg.hungUp()) break;
      const doc = await this.fetch(call, next.url, next.method, { ...this.callParams(call, first ? 'ringing' : 'in-progress'), ...next.params }, 'call');
      first = false;
      if (doc === undefined) {
        this.applicationError(call);
        await this.callEnded(call);
        return;
      }
      const docUrl = next.url;
      const control = await this.runVerbs(call.leg, 'caller', call, doc.children, docUrl, (verb) => this.callVerb(call, verb, docUrl));
      switch (control.kind) {
        case 'goto':
          next = control;
          break;
        case 'end':
        case 'hangup':
          call.finish(this.now(), call.leg.hungUp() ? 'caller' : 'app');
          next = undefined;
          break;
        case 'gone':
          call.finish(this.now(), 'caller');
          next = undefined;
          break;
        case 'leave':
        case 'error':
          this.applicationError(call);
          await this.callEnded(call);
          return;
      }
    }
    if (call.endedAt === undefined) call.finish(this.now(), call.leg.hungUp() ? 'caller' : 'app');
    this.emit(call, 'caller', 'outcome', `${call.outcome ?? 'unknown'} (${call.endedBy === 'caller' ? 'caller hung up' : 'call ended'})`);
    await this.callEnded(call);
  }

  /** The number's status callback, when configured: CallStatus=completed once the call is over. */
  private async callEnded(call: SimCall): Promise<void> {
    const path = this.options.statusCallbackPath;
    if (path === undefined) return;
    await this.fetch(call, `${this.origin}${path}`, 'POST', {
      ...this.callParams(call, 'completed'), CallDuration: String(Math.round(((call.endedAt ?? this.now()) - (call.startedAt ?? 0)) / 1000)),
      CallbackSource: 'call-progress-events', SequenceNumber: '0', Timestamp: new Date(this.clock.now()).toUTCString(),
    }, 'ignored');
  }

  private callerHangsUp(call: SimCall): void {
    if (call.endedAt !== undefined || call.leg.hungUp()) return;
    this.emit(call, 'caller', 'hangup', 'caller hangs up');
    call.leg.hangUp();
    call.child?.hangUp();
  }

  private applicationError(call: SimCall): void {
    this.emit(call, 'caller', 'heard', 'We are sorry, an application error has occurred. Goodbye.');
    if (call.queue !== undefined && call.queue.leftAt === undefined) this.leaveQueue(call, 'error');
    call.finish(this.now(), 'error');
    this.emit(call, 'caller', 'outcome', 'error (application error)');
  }

  /** The verbs Say, Play, Pause, Gather, Redirect, Hangup and Leave, wherever they run; others go to `special`. */
  private async runVerbs(
    leg: Leg, who: string, call: SimCall, verbs: Verb[], docUrl: string,
    special?: (verb: Verb) => Promise<Control | 'continue'>,
  ): Promise<Control> {
    for (const verb of verbs) {
      const pending = leg.pending();
      if (pending !== undefined) return { kind: 'gone', interrupt: pending };
      switch (verb.name) {
        case 'Say':
        case 'Play':
        case 'Pause': {
          const result = await this.playMedia(leg, who, call, verb, false);
          if (result.kind === 'interrupt') return { kind: 'gone', interrupt: result.interrupt };
          break;
        }
        case 'Gather': {
          const result = await this.gather(leg, who, call, verb, docUrl);
          if (result !== 'continue') return result;
          break;
        }
        case 'Redirect':
          return { kind: 'goto', url: verb.text.trim(), method: verb.attrs.method ?? 'POST', params: {} };
        case 'Hangup':
        case 'Reject':
          return { kind: 'hangup' };
        case 'Leave':
          return { kind: 'leave' };
        default: {
          if (special === undefined) return { kind: 'error' };
          const result = await special(verb);
          if (result !== 'continue') return result;
        }
      }
    }
    return { kind: 'end' };
  }

  private async callVerb(call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
    switch (verb.name) {
      case 'Enqueue': return this.enqueue(call, verb);
      case 'Dial': return this.dial(call, verb, docUrl);
      case 'Record': return this.record(call, verb, docUrl);
      default: return { kind: 'error' };
    }
  }

  private async playMedia(leg: Leg, who: string, call: SimCall, verb: Verb, listen: boolean): Promise<WaitResult> {
    const loops = verb.attrs.loop === undefined ? 1 : Math.max(1, Number(verb.attrs.loop));
    let seconds: number;
    let heard: string;
    if (verb.name === 'Say') {
      heard = verb.text.trim();
      seconds = Math.max(1, heard.split(/\s+/).length * SECONDS_PER_WORD) * loops;
    } else if (verb.name === 'Play') {
      const url = verb.text.trim();
      seconds = (await this.audioSeconds(call, url)) * loops;
      heard = `(audio ${new URL(url).pathname}, ${Math.round(seconds)} s)`;
    } else {
      seconds = verb.attrs.length === undefined ? 1 : Number(verb.attrs.length);
      heard = `(pause ${seconds} s)`;
    }
    this.emit(call, who, 'heard', heard);
    return leg.wait(seconds, listen);
  }

  /** <Gather>: nested prompts (a key interrupts them), then `timeout` seconds for keys; digits go to `action`. */
  private async gather(leg: Leg, who: string, call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
    const numDigits = verb.attrs.numDigits === undefined ? Infinity : Number(verb.attrs.numDigits);
    const timeout = verb.attrs.timeout === undefined ? 5 : Number(verb.attrs.timeout);
    const finishOnKey = verb.attrs.finishOnKey ?? '#';
    // Fields, not locals: `take` changes them from inside loops the type checker reads as straight-line code.
    const input = { digits: '', finished: false };
    const take = (digit: string): void => {
      if (finishOnKey !== '' && finishOnKey.includes(digit)) input.finished = true;
      else input.digits += digit;
    };
    for (const child of verb.children) {
      const result = await this.playMedia(leg, who, call, child, true);
      if (result.kind === 'interrupt') return { kind: 'gone', interrupt: result.interrupt };
      if (result.kind === 'digit') {
        take(result.digit);
        break;
      }
    }
    while (!input.finished && input.digits.length < numDigits) {
      const result = await leg.wait(timeout, true);
      if (result.kind === 'interrupt') return { kind: 'gone', interrupt: result.interrupt };
      if (result.kind === 'done') break;
      take(result.digit);
    }
    if (input.digits === '' && verb.attrs.actionOnEmptyResult !== 'true') return 'continue';
    return { kind: 'goto', url: verb.attrs.action ?? docUrl, method: verb.attrs.method ?? 'POST', params: { Digits: input.digits, ...(input.finished ? { FinishedOnKey: '#' } : {}) } };
  }

  // --- <Enqueue> ---

  private async enqueue(call: SimCall, verb: Verb): Promise<Control | 'continue'> {
    const name = verb.text.trim();
    const queue = this.twilio.enqueue(name, call.callSid);
    const stay: QueueStay = { name, sid: queue.sid, enteredAt: this.now(), loops: [] };
    call.queue = stay;
    this.emit(call, 'caller', 'queue', `joins queue ${name}`);
    const waitUrl = verb.attrs.waitUrl;
    const waitMethod = verb.attrs.waitUrlMethod ?? 'POST';
    const exit = await this.waitInQueue(call, stay, waitUrl, waitMethod);

    const action = verb.attrs.action;
    const method = verb.attrs.method ?? 'POST';
    const actionParams = (result: string): Record<string, string> => ({
      ...this.callParams(call, call.leg.hungUp() ? 'completed' : 'in-progress'),
      QueueResult: result, QueueSid: stay.sid, QueueTime: String(Math.floor((this.now() - stay.enteredAt) / 1000)),
    });
    switch (exit.kind) {
      case 'leave':
        this.leaveQueue(call, 'leave');
        if (action === undefined) return 'continue';
        return { kind: 'goto', url: action, method, params: actionParams('leave') };
      case 'dequeue': {
        // Twilio requests the action "right away" on a REST dequeue (QueueResult=redirected). Whether the
        // TwiML it returns runs is undocumented; the dequeue Url owns the call here, so that TwiML is only checked.
        this.leaveQueue(call, 'redirected');
        if (action !== undefined) await this.fetch(call, action, method, actionParams('redirected'), 'ignored');
        return { kind: 'goto', url: exit.url, method: exit.method, params: {} };
      }
      case 'hangup':
      case 'app-hangup': {
        // A <Hangup/> in the wait document also ends the call in the queue; that Twilio reports it to the
        // action as QueueResult=hangup is our assumption (its docs name only the caller hanging up).
        this.leaveQueue(call, 'hangup');
        if (exit.kind === 'app-hangup') call.finish(this.now(), 'app');
        else call.finish(this.now(), 'caller');
        if (action !== undefined) await this.fetch(call, action, method, { ...actionParams('hangup'), CallStatus: 'completed' }, 'ignored');
        return { kind: 'hangup' };
      }
      case 'error':
        return { kind: 'error' };
    }
  }

  private leaveQueue(call: SimCall, result: string): void {
    if (call.queue === undefined || call.queue.leftAt !== undefined) return;
    // A REST dequeue has already taken the member out; every other way out is Twilio's to do.
    if (result !== 'redirected') this.twilio.removeMember(call.callSid);
    call.queue.leftAt = this.now();
    call.queue.result = result;
    this.emit(call, 'caller', 'queue', `leaves the queue (${result}) after ${Math.round((call.queue.leftAt - call.queue.enteredAt) / 1000)} s`);
  }

  /** The wait document, requested again each time it runs out, until the caller leaves the queue somehow. */
  private async waitInQueue(
    call: SimCall, stay: QueueStay, waitUrl: string | undefined, waitMethod: string,
  ): Promise<{ kind: 'leave' | 'hangup' | 'app-hangup' | 'error' } | { kind: 'dequeue'; url: string; method: string }> {
    const queueParams = (): Record<string, string> => {
      const members = this.twilio.queues.get(stay.sid)?.members ?? [];
      const position = members.findIndex((m) => m.callSid === call.callSid) + 1;
      return {
        QueueSid: stay.sid, QueueTime: String(Math.floor((this.now() - stay.enteredAt) / 1000)), QueuePosition: String(position),
        CurrentQueueSize: String(members.length), AvgQueueTime: '0', MaxQueueSize: '1000',
      };
    };
    const interrupted = (interrupt: Interrupt): { kind: 'hangup' } | { kind: 'dequeue'; url: string; method: string } => {
      if (interrupt.kind === 'hangup') return { kind: 'hangup' };
      const dequeue = call.leg.takeDequeue();
      return { kind: 'dequeue', url: dequeue?.url ?? interrupt.url, method: dequeue?.method ?? interrupt.method };
    };
    for (;;) {
      const pending = call.leg.pending();
      if (pending !== undefined) return interrupted(pending);
      if (waitUrl === undefined) {
        // Twilio's own hold music: nothing of ours runs until the caller leaves.
        const result = await call.leg.wait(60, false);
        if (result.kind === 'interrupt') return interrupted(result.interrupt);
        continue;
      }
      stay.loops.push(this.now());
      // Since 2024 Twilio sends CallStatus=ringing to waitUrl (TwiML changelog 2024-03-20).
      let next: { url: string; method: string; params: Record<string, string> } | undefined = { url: waitUrl, method: waitMethod, params: queueParams() };
      while (next !== undefined) {
        const doc = await this.fetch(call, next.url, next.method, { ...this.callParams(call, 'ringing'), ...next.params }, 'wait');
        const afterFetch = call.leg.pending();
        if (afterFetch !== undefined) return interrupted(afterFetch);
        if (doc === undefined) return { kind: 'error' };
        const keyed = next.params.Digits;
        const control = await this.runVerbs(call.leg, 'caller', call, doc.children, next.url);
        switch (control.kind) {
          case 'end':
            next = undefined;
            break;
          case 'goto':
            if (control.params.Digits !== undefined) call.queueKeys.push(control.params.Digits);
            next = control;
            break;
          case 'hangup':
            if (keyed !== undefined) call.endedAfterQueueKey = true;
            return { kind: 'app-hangup' };
          case 'leave':
            return { kind: 'leave' };
          case 'gone':
            return interrupted(control.interrupt);
          case 'error':
            return { kind: 'error' };
        }
      }
    }
  }

  private dequeued(callSid: string, url: string, method: string): void {
    const call = this.calls.find((c) => c.callSid === callSid);
    if (call === undefined) {
      this.violation(undefined, 'REST dequeue', 'a call the simulator does not know was dequeued');
      return;
    }
    call.dequeues += 1;
    if (call.dequeues > 1) this.violation(call, 'REST dequeue', `dequeued ${call.dequeues} times`);
    this.emit(call, 'caller', 'queue', `pulled out of the queue to ${new URL(url).pathname}`);
    call.leg.redirect(url, method);
  }

  // --- <Dial><Number url> ---

  private async dial(call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
    const numbers = verb.children.filter((c) => c.name === 'Number');
    const target = numbers[0];
    if (numbers.length !== 1 || verb.children.length !== 1 || target === undefined) {
      this.violation(call, docUrl, 'the simulator handles a <Dial> of exactly one <Number>');
      return { kind: 'error' };
    }
    const number = target.text.trim();
    const callerId = verb.attrs.callerId ?? call.script.from;
    if (callerId !== call.script.from && callerId !== this.options.twilioNumber) {
      this.violation(call, docUrl, `<Dial callerId> ${callerId} is neither the caller's number nor ours (Twilio refuses it)`);
    }
    const timeout = verb.attrs.timeout === undefined ? 30 : Number(verb.attrs.timeout);
    const phone = this.phones.get(number);
    const member = phone instanceof MemberPhone ? phone : undefined;
    const who = phone?.name ?? number;
    const childSid = this.sid('CA');
    const legRecord: MemberLeg = { at: this.now(), callerId, answered: false, heard: [], pressed: [], bridged: false };
    const answering: Answering = member === undefined ? { kind: 'no-answer' } : member.ring({ callerId, at: this.now(), previousRings: member.legs.length });
    member?.legs.push(legRecord);
    this.emit(call, 'caller', 'heard', '(ringing)');
    this.emit(call, who, 'dial', `${who}'s phone rings (${callerId === call.script.from ? 'showing the caller\'s number' : 'showing our number'})`);

    let status: string;
    let bridged = false;
    let talked = 0;
    if (answering.kind === 'busy') {
      const result = await call.leg.wait(BUSY_SIGNAL_SECONDS, false);
      status = result.kind === 'interrupt' ? 'canceled' : 'busy';
    } else if (answering.kind === 'no-answer' || answering.afterSeconds >= timeout) {
      const result = await call.leg.wait(timeout, false);
      status = result.kind === 'interrupt' ? 'canceled' : 'no-answer';
    } else {
      const ringing = await call.leg.wait(answering.afterSeconds, false);
      if (ringing.kind === 'interrupt') {
        status = 'canceled';
      } else {
        status = 'completed';
        legRecord.answered = true;
        this.emit(call, who, 'dial', `${who} answers`);
        const screened = await this.screen(call, member, answering, legRecord, target, childSid, callerId);
        if (screened === 'bridge') {
          bridged = true;
          legRecord.bridged = true;
          this.emit(call, 'caller', 'heard', `(connected to ${who})`);
          this.emit(call, who, 'dial', `${who} is connected to the caller`);
          const started = this.now();
          const talk = await call.leg.wait(answering.talkSeconds, false);
          talked = Math.round((this.now() - started) / 1000);
          this.emit(call, talk.kind === 'interrupt' ? 'caller' : who, 'hangup', `${talk.kind === 'interrupt' ? 'caller' : who} hangs up after talking ${talked} s`);
        }
      }
    }
    call.child = undefined;
    call.dials.push({ member: who, status, bridged, talkSeconds: talked });
    this.emit(call, who, 'dial', `dial ended: ${status}${bridged ? ', bridged' : ', not bridged'}`);
    const params = {
      ...this.callParams(call, call.leg.hungUp() ? 'completed' : 'in-progress'),
      DialCallStatus: status, DialCallSid: childSid, DialCallDuration: String(talked), DialBridged: String(bridged),
    };
    const action = verb.attrs.action;
    const method = verb.attrs.method ?? 'POST';
    if (call.leg.hungUp()) {
      // Twilio requests the Dial action "when the <Dial> call ends", also when the caller hung up;
      // there is no call left to run what it returns.
      if (action !== undefined) await this.fetch(call, action, method, params, 'ignored');
      return { kind: 'gone', interrupt: { kind: 'hangup' } };
    }
    if (action === undefined) return 'continue';
    return { kind: 'goto', url: action, method, params };
  }

  /** The <Number url> document on the member's leg: its end bridges the two; <Hangup/> or a hang-up does not. */
  private async screen(
    call: SimCall, member: MemberPhone | undefined, answering: Extract<Answering, { kind: 'answer' }>, record: MemberLeg,
    target: Verb, childSid: string, callerId: string,
  ): Promise<'bridge' | 'not-bridged'> {
    const who = member?.name ?? target.text.trim();
    const leg = new Leg(this.clock, (digit) => { this.emit(call, who, 'pressed', `${digit} (no <Gather> listening)`); });
    call.child = leg;
    const timers: (() => void)[] = [];
    if (answering.press !== undefined) {
      const key = answering.press;
      timers.push(this.clock.schedule((answering.pressAfterSeconds ?? 0) * 1000, () => {
        this.emit(call, who, 'pressed', key);
        record.pressed.push(key);
        leg.press(key);
      }));
    }
    if (answering.hangUpAfterSeconds !== undefined) {
      timers.push(this.clock.schedule(answering.hangUpAfterSeconds * 1000, () => {
        this.emit(call, who, 'hangup', `${who} hangs up`);
        leg.hangUp();
      }));
    }
    const url = target.attrs.url;
    const childParams = {
      AccountSid: this.options.accountSid, ApiVersion: API_VERSION, CallSid: childSid, ParentCallSid: call.callSid,
      From: callerId, To: target.text.trim(), Caller: callerId, Called: target.text.trim(), Direction: 'outbound-dial',
    };
    const unsubscribe = this.onEmit((event) => {
      if (event.callSid === call.callSid && event.who === who && event.kind === 'heard') record.heard.push(event.text);
    });
    try {
      if (url === undefined) return 'bridge';
      let next: { url: string; method: string; params: Record<string, string> } = { url, method: target.attrs.method ?? 'POST', params: {} };
      for (;;) {
        if (leg.hungUp()) return 'not-bridged';
        const doc = await this.fetch(call, next.url, next.method, { ...childParams, CallStatus: 'in-progress', ...next.params }, 'screen');
        // An application error on the member's leg ends that leg; the caller is not connected.
        if (doc === undefined) return 'not-bridged';
        const control = await this.runVerbs(leg, who, call, doc.children, next.url);
        switch (control.kind) {
          case 'end':
            return leg.hungUp() ? 'not-bridged' : 'bridge';
          case 'goto':
            next = control;
            break;
          case 'hangup':
          case 'leave':
          case 'gone':
          case 'error':
            return 'not-bridged';
        }
      }
    } finally {
      unsubscribe();
      for (const cancel of timers) cancel();
    }
  }

  // --- <Record> ---

  private async record(call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
    const leg = call.leg;
    const maxLength = verb.attrs.maxLength === undefined ? 3600 : Number(verb.attrs.maxLength);
    const timeout = verb.attrs.timeout === undefined ? 5 : Number(verb.attrs.timeout);
    const finishOnKey = verb.attrs.finishOnKey ?? '1234567890*#';
    if (verb.attrs.playBeep !== 'false') {
      this.emit(call, 'caller', 'heard', '(beep)');
      const beep = await leg.wait(BEEP_SECONDS, false);
      if (beep.kind === 'interrupt') return { kind: 'gone', interrupt: beep.interrupt };
    }
    const behaviour: VoicemailBehaviour = call.script.voicemail ?? { speakSeconds: 8, end: 'silence' };
    const started = this.now();
    const speak = Math.min(behaviour.speakSeconds, maxLength);
    // Twilio creates the Recording resource as recording starts; the number's status callback may look for it.
    const recordingSid = this.sid('RE');
    if (speak > 0) this.twilio.recordings.set(recordingSid, { sid: recordingSid, callSid: call.callSid, status: 'in-progress', duration: -1 });
    this.emit(call, 'caller', 'record', speak > 0 ? `speaks for ${speak} s` : 'says nothing');
    let digits: string | undefined;
    const spoken = await leg.wait(speak, false);
    let seconds = spoken.kind === 'interrupt' ? (this.now() - started) / 1000 : speak;
    if (spoken.kind !== 'interrupt' && speak < maxLength) {
      if (behaviour.end === 'hangup') {
        this.callerHangsUp(call);
      } else if (behaviour.end === 'key' && finishOnKey.includes('#')) {
        this.emit(call, 'caller', 'pressed', '#');
        digits = '#';
      } else {
        // Silence: Twilio stops after `timeout` quiet seconds; trim-silence drops them from the recording.
        await leg.wait(timeout, false);
      }
    }
    seconds = Math.round(seconds);
    if (leg.hungUp()) digits = 'hangup';
    if (seconds <= 0) {
      // "If no audio is recorded, Twilio does not request the action URL" (Record docs): on to the next verb.
      this.emit(call, 'caller', 'record', 'nothing recorded');
      // Twilio keeps an empty recording as status 'absent'.
      const empty = this.twilio.recordings.get(recordingSid);
      if (empty !== undefined) empty.status = 'absent';
      return leg.hungUp() ? { kind: 'gone', interrupt: { kind: 'hangup' } } : 'continue';
    }
    const stored = this.twilio.recordings.get(recordingSid);
    if (stored !== undefined) Object.assign(stored, { status: 'completed', duration: seconds });
    const recordingUrl = `https://api.twilio.com/${API_VERSION}/Accounts/${this.options.accountSid}/Recordings/${recordingSid}`;
    const words = behaviour.words ?? 'Hello, please call me back.';
    call.recording = { sid: recordingSid, url: recordingUrl, seconds, words };
    this.emit(call, 'caller', 'record', `recorded ${seconds} s`);
    this.scheduleRecordingCallbacks(call, verb, recordingSid, recordingUrl, seconds, words);

    const action = verb.attrs.action ?? docUrl;
    const method = verb.attrs.method ?? 'POST';
    const params = {
      ...this.callParams(call, leg.hungUp() ? 'completed' : 'in-progress'),
      RecordingUrl: recordingUrl, RecordingSid: recordingSid, RecordingDuration: String(seconds), ...(digits === undefined ? {} : { Digits: digits }),
    };
    if (leg.hungUp()) {
      // Digits=hangup: the call is over, so what the action returns cannot run.
      await this.fetch(call, action, method, params, 'ignored');
      return { kind: 'gone', interrupt: { kind: 'hangup' } };
    }
    return { kind: 'goto', url: action, method, params };
  }

  private scheduleRecordingCallbacks(call: SimCall, verb: Verb, recordingSid: string, recordingUrl: string, seconds: number, words: string): void {
    const statusUrl = verb.attrs.recordingStatusCallback;
    if (statusUrl !== undefined) {
      const delay = this.options.recordingCallbackDelay?.(call) ?? 1.5;
      this.clock.schedule(delay * 1000, () => {
        this.spawn(this.fetch(call, statusUrl, verb.attrs.recordingStatusCallbackMethod ?? 'POST', {
          AccountSid: this.options.accountSid, CallSid: call.callSid, RecordingSid: recordingSid, RecordingUrl: recordingUrl,
          RecordingStatus: 'completed', RecordingDuration: String(seconds), RecordingChannels: '1', RecordingSource: 'RecordVerb',
          // When recording began: the callback comes `delay` after the end of a `seconds`-long recording.
          RecordingStartTime: new Date(this.clock.now() - (delay + seconds) * 1000).toUTCString(),
        }, 'ignored'));
      });
    }
    const transcribeUrl = verb.attrs.transcribeCallback;
    if (verb.attrs.transcribe === 'true' && transcribeUrl !== undefined) {
      const delay = this.options.transcriptionCallbackDelay?.(call) ?? 5 + seconds / 2;
      const transcribable = seconds >= TRANSCRIBABLE_SECONDS.min && seconds <= TRANSCRIBABLE_SECONDS.max;
      this.clock.schedule(delay * 1000, () => {
        this.spawn(this.fetch(call, transcribeUrl, 'POST', {
          ...this.callParams(call, 'completed'),
          TranscriptionSid: this.sid('TR'), TranscriptionText: transcribable ? words : '', TranscriptionStatus: transcribable ? 'completed' : 'failed',
          TranscriptionUrl: `https://api.twilio.com/${API_VERSION}/Accounts/${this.options.accountSid}/Transcriptions/TR`,
          RecordingSid: recordingSid, RecordingUrl: recordingUrl,
        }, 'ignored'));
      });
    }
  }

  // --- texts ---

  private async sendText(phone: Phone, body: string): Promise<void> {
    phone.sent.push({ at: this.now(), body });
    this.emit(undefined, phone.name, 'text-out', `${phone.name} texts "${body}"`);
    const sid = this.sid('SM');
    const doc = await this.fetch(undefined, `${this.origin}${this.options.smsPath ?? '/sms-reply'}`, 'POST', {
      MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: this.options.accountSid, From: phone.number, To: this.options.twilioNumber,
      Body: body, NumMedia: '0', NumSegments: '1', SmsStatus: 'received', ApiVersion: API_VERSION,
    }, 'messaging');
    if (doc === undefined) return;
    for (const message of doc.children.filter((v) => v.name === 'Message')) {
      const text = message.children.find((c) => c.name === 'Body')?.text ?? message.text;
      this.deliver(message.attrs.to ?? phone.number, text.trim(), 'twiml');
    }
  }

  private deliver(to: string, body: string, via: 'rest' | 'twiml'): void {
    const phone = this.phones.get(to);
    if (phone === undefined) {
      this.undelivered.push({ to, body });
      return;
    }
    this.emit(undefined, phone.name, 'text-in', `${phone.name} gets "${body}"`);
    for (const planned of phone.receive({ at: this.now(), from: this.options.twilioNumber, body, via })) {
      this.text(phone, planned.body, planned.afterSeconds);
    }
  }

  // --- HTTP ---

  /** A signed webhook; the answer is checked and parsed, or undefined (and a violation recorded) when Twilio would fail it. */
  private async fetch(call: SimCall | undefined, url: string, method: string, params: Record<string, string>, context: TwimlContext): Promise<Verb | undefined> {
    const at = this.now();
    const problems: string[] = [];
    if (!url.startsWith(`${this.origin}/`)) {
      this.violation(call, url, 'Twilio was sent to a URL outside our functions');
      return undefined;
    }
    const answer = await this.clock.track(() => this.http(url, method, params));
    this.webhooks.push({ at, path: new URL(url).pathname, context, realMs: answer.realMs, status: answer.status, ...(call === undefined ? {} : { callSid: call.callSid }) });
    if (answer.status === 0) problems.push(`no answer within ${this.options.webhookTimeoutMs ?? 15_000} ms`);
    else if (answer.status !== 200) problems.push(`HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`);
    else if (!/^(text|application)\/xml\b/.test(answer.contentType)) problems.push(`Content-Type ${answer.contentType} is not XML`);
    let doc: Verb | undefined;
    if (problems.length === 0) {
      try {
        doc = parseTwiml(answer.body.toString('utf8'));
        problems.push(...twimlProblems(doc, context, this.origin));
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    for (const problem of problems) this.violation(call, url, problem);
    return problems.length === 0 ? doc : undefined;
  }

  private http(url: string, method: string, params: Record<string, string>): Promise<HttpAnswer> {
    const target = new URL(url);
    const form = new URLSearchParams(params).toString();
    if (method === 'GET') for (const [k, v] of Object.entries(params)) target.searchParams.append(k, v);
    const signature = method === 'GET'
      ? twilio.getExpectedTwilioSignature(this.options.authToken, target.toString(), {})
      : twilio.getExpectedTwilioSignature(this.options.authToken, url, params);
    const started = performance.now();
    const timeoutMs = this.options.webhookTimeoutMs ?? 15_000;
    return new Promise<HttpAnswer>((resolve) => {
      const req = httpRequest({
        hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, agent: this.agent,
        headers: {
          'X-Twilio-Signature': signature, 'User-Agent': 'TwilioProxy/1.1', 'I-Twilio-Idempotency-Token': this.sid('ID'),
          // Not Twilio's: tells the functions server the virtual time (sim/virtual-time.cjs).
          [SIM_TIME_HEADER]: String(this.clock.now()),
          ...(method === 'GET' ? {} : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) }),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks), realMs: performance.now() - started });
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status: 0, contentType: '', body: Buffer.alloc(0), realMs: performance.now() - started });
      }, timeoutMs);
      req.on('error', () => {
        clearTimeout(timer);
        resolve({ status: 0, contentType: '', body: Buffer.alloc(0), realMs: performance.now() - started });
      });
      if (method !== 'GET') req.write(form);
      req.end();
    });
  }

  /** Length of an audio file we serve, read from its WAV header (Twilio fetches it with GET). */
  private audioSeconds(call: SimCall, url: string): Promise<number> {
    let seconds = this.audio.get(url);
    if (seconds === undefined) {
      seconds = this.clock.track(async () => {
        const answer = await this.getAudio(url);
        const type = answer.contentType.split(';')[0]?.trim() ?? '';
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
        if (!AUDIO_TYPES.has(type)) throw new Error(`Content-Type ${type} is not one Twilio plays (error 13420)`);
        return wavSeconds(answer.body);
      });
      this.audio.set(url, seconds);
    }
    return seconds.catch((error: unknown) => {
      this.violation(call, url, `<Play> audio unusable: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    });
  }

  private getAudio(url: string): Promise<HttpAnswer> {
    const target = new URL(url);
    const started = performance.now();
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = httpRequest({ hostname: target.hostname, port: target.port, path: target.pathname, method: 'GET', agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks), realMs: performance.now() - started });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  // --- bookkeeping ---

  private callParams(call: SimCall, status: string): Record<string, string> {
    const s = call.script;
    return {
      AccountSid: this.options.accountSid, ApiVersion: API_VERSION, CallSid: call.callSid, CallStatus: status, Direction: 'inbound',
      From: s.from, To: this.options.twilioNumber, Caller: s.from, Called: this.options.twilioNumber,
      ...(s.city === undefined ? {} : { FromCity: s.city, CallerCity: s.city }),
      ...(s.state === undefined ? {} : { FromState: s.state, CallerState: s.state }),
      ...(s.country === undefined ? {} : { FromCountry: s.country, CallerCountry: s.country }),
      ...(s.callerName === undefined ? {} : { CallerName: s.callerName }),
    };
  }

  private sid(prefix: string): string {
    return `${prefix}${this.prng.hex(32)}`;
  }

  private readonly listeners = new Set<(event: SimEvent) => void>();

  private onEmit(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private emit(call: SimCall | undefined, who: string, kind: EventKind, text: string): void {
    const event: SimEvent = { at: this.now(), who, kind, text, ...(call === undefined ? {} : { callSid: call.callSid }) };
    this.events.push(event);
    call?.events.push(event);
    for (const listener of this.listeners) listener(event);
    this.options.onEvent?.(event);
  }

  private violation(call: SimCall | undefined, url: string, problem: string): void {
    let path = url;
    try {
      path = new URL(url).pathname;
    } catch {
      // not a URL: keep the label as given
    }
    this.violations.push({ at: this.now(), url: path, problem, ...(call === undefined ? {} : { callSid: call.callSid }) });
    this.emit(call, '(twilio)', 'violation', `${path}: ${problem}`);
  }

  /** Start work now and keep it to wait for at the end; a failure of the simulator itself becomes a violation. */
  private spawn(work: Promise<unknown>, call?: SimCall): void {
    const tracked = work.catch((error: unknown) => {
      this.violation(call, '(simulator)', `simulator error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (call !== undefined) call.finish(this.now(), 'error');
    }).finally(() => { this.background.delete(tracked); });
    this.background.add(tracked);
  }
}

/** Seconds of audio in a RIFF/WAVE file. */
export function wavSeconds(file: Buffer): number {
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let byteRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = file.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (byteRate === undefined || byteRate === 0) throw new Error('WAV data before its format');
      return size / byteRate;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('WAV without data');
}

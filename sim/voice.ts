/**
 * The call simulator's voice and messaging engine: it plays Twilio's part against our real functions.
 * It runs the TwiML they return with Twilio's documented semantics (TWILIO-NOTES.md), on a virtual
 * clock where Twilio would wait, posts signed webhooks as Twilio does, checks every answer
 * (HTTP 200 within 15 s, well-formed TwiML, only verbs allowed where they run, absolute URLs),
 * and records what each person heard and received.
 *
 * Where Twilio's behaviour is not documented the choice made here is named in a comment, so a test
 * that depends on it says so; where the docs allow several readings, each is a variant (variants.ts).
 *
 * This file holds the call loop, the verbs that run anywhere (Say, Play, Pause, Gather, Redirect, Hangup),
 * webhooks and bookkeeping. What Twilio does for each kind of work lives beside its variants:
 * voice-queue.ts (Enqueue, dequeues), voice-dial.ts (Dial, screening), voice-record.ts (Record, its callbacks),
 * voice-messages.ts (texts), voice-status.ts (the call status callback), voice-outbound.ts (calls the functions
 * create over REST: ringing the callee, progress callbacks), voice-conference.ts (Dial Conference rooms).
 */
import { Agent, request as httpRequest } from 'node:http';
import twilio from 'twilio';
import { VirtualClock } from './clock';
import { CallerScript, Phone } from './phones';
import { Prng } from './prng';
import { DEFAULT_PROMPTS } from '../src/config';
import { callReference } from '../src/reference';
import { TwilioStandIn } from './standin';
import { CURRENT, FUNCTION_KILL_MS, SLOW_REST, Variants } from './variants';
import { dequeued, enqueue, leaveQueue } from './voice-queue';
import { dial } from './voice-dial';
import { record } from './voice-record';
import { send, sendText } from './voice-messages';
import { callEnded } from './voice-status';
import { placeCall, updateCall } from './voice-outbound';
import { conference, isConferenceDial, Room } from './voice-conference';
import type { OutboundCall } from './voice-outbound';
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
  /** The reading of each point Twilio's docs leave open (variants.ts); unset points keep the simulator's old reading. */
  variants?: Partial<Variants>;
  /**
   * A <Conference waitUrl> document that ends: 'repeats' (default) follows its <Redirect> and asks the waitUrl again
   * when it ends, as for <Enqueue>; 'once' plays the first document only, then silence (the Conference docs do not say).
   */
  conferenceWait?: 'repeats' | 'once';
  /**
   * V7 'throttled': segments per second each sending number delivers (1 for a US long code) and how many numbers
   * send in parallel (a Messaging Service's sender pool). Default 1 and 1.
   */
  smsThroughput?: { segmentsPerSecond: number; senders: number };
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
export const API_VERSION = '2010-04-01';
const AUDIO_TYPES = new Set(['audio/mpeg', 'audio/wav', 'audio/wave', 'audio/x-wav', 'audio/aiff', 'audio/x-aifc', 'audio/x-aiff', 'audio/x-gsm', 'audio/gsm', 'audio/ulaw']);

export type Interrupt = { kind: 'hangup' } | { kind: 'dequeue'; url: string; method: string };
export type WaitResult = { kind: 'done' } | { kind: 'digit'; digit: string } | { kind: 'interrupt'; interrupt: Interrupt };

/** What running a document's verbs led to. */
export type Control =
  | { kind: 'end' }
  | { kind: 'goto'; url: string; method: string; params: Record<string, string> }
  /** Run a document already fetched (V1 'executed': the Enqueue action's answer). */
  | { kind: 'run'; url: string; doc: Verb }
  | { kind: 'hangup' }
  | { kind: 'leave' }
  | { kind: 'gone'; interrupt: Interrupt }
  | { kind: 'error' };

/** One end of a call: a person who hears, presses keys and may hang up; Twilio may pull it out of a queue. */
export class Leg {
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
  /** The number's status callback has been requested (V2 decides when). */
  statusSent = false;
  /**
   * A call Twilio placed over REST (voice-outbound.ts): its own From and To, Direction outbound-api, and its own
   * status callback in place of the number's. Undefined for a call that came in to the number.
   */
  outbound: { from: string; to: string; completed: () => Promise<void> } | undefined;
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
    // Pull Phone's callback key is 2; after it the caller leaves the queue and the app ends the call. A caller who
    // heard the callback confirmation asked for a callback, even if they hung up before its goodbye ended.
    const confirmed = this.heard().includes(DEFAULT_PROMPTS.callbackConfirmation);
    if (this.endedAfterQueueKey || (this.queueKeys.includes('2') && (this.endedBy === 'app' || confirmed))) return 'callback';
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
  /** Calls the functions created over REST (POST Calls.json), in order: what rang, what happened on each. */
  readonly outbound: OutboundCall[] = [];
  /** <Dial><Conference> rooms by name (the latest room of each name). */
  readonly conferences = new Map<string, Room>();
  readonly phones = new Map<string, Phone>();
  readonly events: SimEvent[] = [];
  readonly violations: Violation[] = [];
  readonly webhooks: WebhookRecord[] = [];
  /** Texts addressed to a number no phone in the simulation has. */
  readonly undelivered: { to: string; body: string }[] = [];
  readonly clock: VirtualClock;
  readonly twilio: TwilioStandIn;
  readonly prng: Prng;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly audio = new Map<string, Promise<number>>();
  private readonly background = new Set<Promise<unknown>>();
  readonly origin: string;

  readonly variants: Variants;

  constructor(readonly options: SimulatorOptions) {
    this.variants = { ...CURRENT, ...options.variants };
    this.clock = options.clock;
    this.twilio = options.twilio;
    this.prng = new Prng(options.seed ?? 1);
    this.origin = new URL(options.functionsUrl).origin;
    this.twilio.onDequeue = (callSid, url, method) => { dequeued(this, callSid, url, method); };
    this.twilio.onCall = (created) => { placeCall(this, created); };
    this.twilio.onCallUpdate = (callSid, update) => { updateCall(this, callSid, update); };
    this.twilio.conferenceRooms = () => [...this.conferences.values()].map((room) => ({
      sid: room.sid, friendlyName: room.name, status: room.ended ? 'completed' : room.started ? 'in-progress' : 'init',
    }));
    this.twilio.concurrentDequeues = this.variants.concurrentDequeues;
    // A REST request is real work, as a webhook is: virtual time stands still while Twilio works on it.
    this.twilio.onRequest = (answered) => { void this.clock.track(() => answered); };
    // A request answered late (V8) is late on the virtual clock: the function waiting for it gives up in real
    // time (its client's time-out, while its webhook holds the clock), then the world goes on until it lands.
    this.twilio.sleep = (ms) => this.clock.sleep(ms);
    if (this.variants.functionLimits === 'killed-at-10s') {
      // V8: a share of REST requests is answered late, up to 15 s (the function must not wait for them).
      const slow = new Prng((options.seed ?? 1) ^ 0x51a3);
      this.twilio.slowRequests = () => (slow.chance(SLOW_REST.share) ? slow.integer(SLOW_REST.minMs, SLOW_REST.maxMs) : undefined);
    }
    this.twilio.onMessage = (message) => {
      if (message.from !== options.twilioNumber) this.violation(undefined, 'REST messages', `a text was sent from ${message.from}, not our Twilio number`);
      send(this, message.to, message.body, 'rest');
    };
  }

  /** Twilio waits 15 s for a webhook; under V8 the Function is stopped at 10 s, which fails the webhook first. */
  webhookTimeoutMs(): number {
    return this.options.webhookTimeoutMs ?? (this.variants.functionLimits === 'killed-at-10s' ? FUNCTION_KILL_MS : 15_000);
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
    this.clock.schedule(afterSeconds * 1000, () => { this.spawn(sendText(this, phone, body)); });
  }

  /** Run until nothing more happens (or virtual `untilSeconds` since the start). */
  async run(untilSeconds?: number): Promise<void> {
    await this.clock.run(untilSeconds === undefined ? undefined : this.clock.startedAt + untilSeconds * 1000);
    if (untilSeconds !== undefined) return;
    await Promise.allSettled([...this.background]);
    // A REST request answered late (V8) waits on this clock and can still send a text or move a caller:
    // play on until nothing is scheduled and Twilio has answered everything.
    while (this.twilio.busy || !this.clock.idle) {
      if (this.clock.idle) await this.twilio.idle();
      await this.clock.run();
      await Promise.allSettled([...this.background]);
    }
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
    this.twilio.onCall = undefined;
    this.twilio.onCallUpdate = undefined;
    this.twilio.conferenceRooms = undefined;
    this.twilio.slowRequests = undefined;
    this.twilio.onRequest = undefined;
    this.twilio.sleep = undefined;
  }

  // --- calls ---

  private async runCall(call: SimCall): Promise<void> {
    const { script } = call;
    call.startedAt = this.now();
    this.twilio.callStatus.set(call.callSid, 'in-progress');
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
    let next: { url: string; method: string; params: Record<string, string>; doc?: Verb } | undefined = {
      url: this.voiceUrl(), method: 'POST', params: {},
    };
    let first = true;
    while (next !== undefined) {
      if (call.leg.hungUp()) break;
      const doc = next.doc ?? await this.fetch(call, next.url, next.method, { ...this.callParams(call, first ? 'ringing' : 'in-progress'), ...next.params }, 'call');
      first = false;
      if (doc === undefined) {
        this.applicationError(call);
        await callEnded(this, call);
        return;
      }
      const docUrl = next.url;
      const control = await this.runVerbs(call.leg, 'caller', call, doc.children, docUrl, (verb) => this.callVerb(call, verb, docUrl));
      switch (control.kind) {
        case 'goto':
          next = control;
          break;
        case 'run':
          next = { url: control.url, method: 'POST', params: {}, doc: control.doc };
          break;
        case 'end':
        case 'hangup':
          call.finish(this.now(), call.leg.hungUp() ? 'caller' : 'app');
          next = undefined;
          break;
        case 'gone': {
          // Moved over REST (Calls update with a Url) while a verb ran: the new Url's TwiML runs.
          const moved = control.interrupt.kind === 'dequeue' ? call.leg.takeDequeue() : undefined;
          if (moved !== undefined) {
            next = { url: moved.url, method: moved.method, params: {} };
            break;
          }
          call.finish(this.now(), 'caller');
          next = undefined;
          break;
        }
        case 'leave':
        case 'error':
          this.applicationError(call);
          await callEnded(this, call);
          return;
      }
    }
    if (call.endedAt === undefined) call.finish(this.now(), call.leg.hungUp() ? 'caller' : 'app');
    this.emit(call, 'caller', 'outcome', `${call.outcome ?? 'unknown'} (${call.endedBy === 'caller' ? 'caller hung up' : 'call ended'})`);
    await callEnded(this, call);
  }

  /** The number's status callback, when configured: CallStatus=completed once the call is over. */
  callerHangsUp(call: SimCall): void {
    if (call.endedAt !== undefined || call.leg.hungUp()) return;
    this.twilio.callStatus.set(call.callSid, 'completed');
    this.emit(call, 'caller', 'hangup', 'caller hangs up');
    call.leg.hangUp();
    call.child?.hangUp();
  }

  applicationError(call: SimCall): void {
    this.emit(call, 'caller', 'heard', 'We are sorry, an application error has occurred. Goodbye.');
    if (call.queue !== undefined && call.queue.leftAt === undefined) leaveQueue(this, call, 'error');
    call.finish(this.now(), 'error');
    this.emit(call, 'caller', 'outcome', 'error (application error)');
  }

  /** The verbs Say, Play, Pause, Gather, Redirect, Hangup and Leave, wherever they run; others go to `special`. */
  async runVerbs(
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
      case 'Enqueue': return enqueue(this, call, verb);
      case 'Dial': return isConferenceDial(verb) ? conference(this, call, call.leg, 'caller', verb, docUrl) : dial(this, call, verb, docUrl);
      case 'Record': return record(this, call, verb, docUrl);
      default: return { kind: 'error' };
    }
  }

  async playMedia(leg: Leg, who: string, call: SimCall, verb: Verb, listen: boolean): Promise<WaitResult> {
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

  // --- HTTP ---

  /**
   * Where a new call goes: our voice webhook, with the query of the voice URL configured on the number (Twilio
   * requests that URL as configured; the host here is the local functions server, standing in for the domain).
   */
  private voiceUrl(): string {
    const url = new URL(`${this.origin}${this.options.voicePath ?? '/incoming-call'}`);
    for (const [key, value] of Object.entries(this.twilio.voiceQuery(this.options.twilioNumber))) url.searchParams.set(key, value);
    return url.toString();
  }

  /** A signed webhook; the answer is checked and parsed, or undefined (and a violation recorded) when Twilio would fail it. */
  async fetch(call: SimCall | undefined, url: string, method: string, params: Record<string, string>, context: TwimlContext): Promise<Verb | undefined> {
    const at = this.now();
    const problems: string[] = [];
    if (!url.startsWith(`${this.origin}/`)) {
      this.violation(call, url, 'Twilio was sent to a URL outside our functions');
      return undefined;
    }
    const answer = await this.clock.track(() => this.http(url, method, params));
    this.webhooks.push({ at, path: new URL(url).pathname, context, realMs: answer.realMs, status: answer.status, ...(call === undefined ? {} : { callSid: call.callSid }) });
    if (answer.status === 0) problems.push(`no answer within ${this.webhookTimeoutMs()} ms`);
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
    const timeoutMs = this.webhookTimeoutMs();
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
  audioSeconds(call: SimCall, url: string): Promise<number> {
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

  callParams(call: SimCall, status: string): Record<string, string> {
    const out = call.outbound;
    if (out !== undefined) {
      return {
        AccountSid: this.options.accountSid, ApiVersion: API_VERSION, CallSid: call.callSid, CallStatus: status, Direction: 'outbound-api',
        From: out.from, To: out.to, Caller: out.from, Called: out.to,
      };
    }
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

  sid(prefix: string): string {
    return `${prefix}${this.prng.hex(32)}`;
  }

  /** A generator for one decision, seeded from the run's seed and labels: independent of the order events happen in. */
  derived(...labels: string[]): Prng {
    let hash = 0x811c9dc5 ^ (this.options.seed ?? 1);
    for (const ch of labels.join('|')) {
      hash ^= ch.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return new Prng(hash);
  }

  private readonly listeners = new Set<(event: SimEvent) => void>();

  onEmit(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  emit(call: SimCall | undefined, who: string, kind: EventKind, text: string): void {
    const event: SimEvent = { at: this.now(), who, kind, text, ...(call === undefined ? {} : { callSid: call.callSid }) };
    this.events.push(event);
    call?.events.push(event);
    for (const listener of this.listeners) listener(event);
    this.options.onEvent?.(event);
  }

  violation(call: SimCall | undefined, url: string, problem: string): void {
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
  spawn(work: Promise<unknown>, call?: SimCall): void {
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

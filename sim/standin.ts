/**
 * A stand-in for the parts of Twilio's REST API that Pull Phone calls, on loopback.
 * It answers as Twilio does (JSON shapes, status codes, error codes), keeps the state
 * the real service would keep (queues and their members, messages, Sync maps, numbers),
 * records every request with its timing, and can inject latency and faults.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SegmentedMessage } from 'sms-segments-calculator';

export interface RecordedRequest {
  method: string;
  host: string;
  path: string;
  params: Record<string, string>;
  start: number;
  end: number;
  status: number;
}

export interface SentMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  at: number;
}

export interface QueueMember {
  callSid: string;
  enqueuedAt: number;
}

export interface Queue {
  sid: string;
  friendlyName: string;
  members: QueueMember[];
}

interface SyncItem {
  key: string;
  data: unknown;
  revision: number;
  expiresAt: number | undefined;
}

export interface Fault {
  status: number;
  code?: number;
  /** Extra delay before answering, in real milliseconds. */
  delayMs?: number;
}

export interface StandInOptions {
  accountSid: string;
  authToken: string;
  /** Milliseconds added to every request before it is answered. */
  latencyMs?: number;
  /** The clock queue wait times and Sync TTLs are measured with (a simulator passes its virtual one). */
  now?: () => number;
  /** The account's number as `npm run setup` wires it (kept across reset): OFF/ON publish who paused to its voice URL. */
  wiredNumber?: { phoneNumber: string; voiceUrl: string };
}

export const WIRED_NUMBER_SID = `PN${'a'.repeat(32)}`;

export interface MessagingServiceState {
  sid: string;
  friendlyName: string;
  useInboundWebhookOnNumber: boolean;
  inboundRequestUrl: string | null;
  /** E.164 numbers in the service's sender pool. */
  numbers: string[];
}

export type DequeueListener = (callSid: string, url: string, method: string) => void;
/** Told of every text the API accepted, as the phone network would deliver it. */
export type MessageListener = (message: SentMessage) => void;

/** An outbound call made with POST Calls.json, as Twilio accepted it: the voice side (the simulator) plays it out. */
export interface CreatedCall {
  sid: string;
  to: string;
  from: string;
  url: string;
  method: string;
  statusCallback: string | undefined;
  statusCallbackMethod: string;
  /** StatusCallbackEvent, sent as repeated names; `completed` alone when none is given (Calls create docs). */
  statusCallbackEvents: string[];
  /** Seconds to ring before no-answer: 60 by default, at most 600 (Calls create docs). */
  timeout: number;
  /** Virtual (stand-in clock) milliseconds when Twilio accepted the call. */
  at: number;
}
export type CallListener = (call: CreatedCall) => void;
/** A call ended or moved over REST (POST Calls/{CallSid}.json): the voice side carries it out. */
export type CallUpdateListener = (callSid: string, update: { status?: string; url?: string; method?: string }) => void;
/** Decide a fault for a request, or undefined to answer normally. */
export type FaultInjector = (request: { method: string; host: string; path: string }) => Fault | undefined;
/** Check a request against a contract; return a reason to refuse it with 422, as a mock of the spec would. */
export type RequestValidator = (request: { method: string; host: string; path: string; params: Record<string, string> }) => string | undefined;

const MAX_PAGE_2010 = 1000;
/** How close (on the stand-in's clock) two dequeues must be to race under V6 'both-succeed'. */
const CONCURRENT_DEQUEUE_MS = 2000;
const MAX_PAGE_SYNC = 100;

export class TwilioStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly messages: SentMessage[] = [];
  /** Outbound calls created over REST, in the order Twilio accepted them. */
  readonly createdCalls: CreatedCall[] = [];
  readonly queues = new Map<string, Queue>();
  /** Numbers that texted STOP: sending to them fails with 21610, as on Twilio. */
  readonly optedOut = new Set<string>();
  /** Caller names Lookup knows, by E.164 number. */
  readonly callerNames = new Map<string, string>();
  /** Recordings by SID, with the call they belong to (the voice side adds them as recording starts). */
  readonly recordings = new Map<string, { sid: string; callSid: string; status: string; duration: number }>();
  /** Status of each call the voice side knows ('in-progress', 'completed'), for GET Calls/{CallSid}. */
  readonly callStatus = new Map<string, string>();
  /** Incoming phone numbers of the account, by SID. */
  readonly numbers = new Map<string, Record<string, string>>();
  private wired: { phoneNumber: string; voiceUrl: string } | undefined;
  latencyMs: number;
  faults: FaultInjector | undefined;
  /** Milliseconds before a request is even looked at (V8: REST answers delayed up to 15 s), or undefined. */
  slowRequests: ((request: { method: string; host: string; path: string; params: Record<string, string> }) => number | undefined) | undefined;
  /** How a late answer (slowRequests) waits: the simulator's virtual clock, or real time when unset. */
  sleep: ((ms: number) => Promise<void>) | undefined;
  /** Told of each request as it arrives, with a promise of its answer (the simulator holds its clock meanwhile). */
  onRequest: ((answered: Promise<void>) => void) | undefined;
  /** Requests received and not yet answered. */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  validator: RequestValidator | undefined;
  onDequeue: DequeueListener | undefined;
  onMessage: MessageListener | undefined;
  /** Told of every outbound call the API accepted (the simulator rings the callee). */
  onCall: CallListener | undefined;
  /** Told of every accepted call update (Status=completed/canceled, a new Url). */
  onCallUpdate: CallUpdateListener | undefined;
  /** Every call update accepted, in order (reset by resetLog). */
  readonly callUpdates: { sid: string; status?: string; url?: string; method?: string; at: number }[] = [];
  /** The conference rooms the voice side holds (Conferences list); none when unset. */
  conferenceRooms: (() => { sid: string; friendlyName: string; status: 'init' | 'in-progress' | 'completed' }[]) | undefined;
  /** When a call began (the voice side knows its calls); undefined for a call Twilio does not know. */
  callStart: ((callSid: string) => number | undefined) | undefined;
  /** Who made and who received a call the voice side knows (GET Calls/{CallSid} `from`, `to`); calls created over REST are known here. */
  callParties: ((callSid: string) => { from: string; to: string } | undefined) | undefined;
  readonly now: () => number;

  /**
   * V6, two dequeues of one caller at the same moment. 'first-wins': the second is refused (4xx), as the
   * member-resource docs say of a second request; 'both-succeed': both answer 200 and the last Url wins.
   * Atomicity under a race is undocumented (TWILIO-NOTES.md, Queues).
   */
  concurrentDequeues: 'first-wins' | 'both-succeed' = 'first-wins';
  private readonly dequeuedAt = new Map<string, { at: number; json: unknown }>();
  private readonly sync = new Map<string, Map<string, SyncItem>>();
  private server: Server | undefined;
  private counter = 0;
  private readonly open = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: StandInOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? Date.now;
    this.wired = options.wiredNumber;
    this.wire();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      void this.handle(req, res);
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (address === null || address === undefined) throw new Error('stand-in not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => {
      if (this.server === undefined) resolve();
      else this.server.close(() => { resolve(); });
    });
  }

  /** Clear recorded requests and messages (state stays). */
  resetLog(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.createdCalls.length = 0;
    this.callUpdates.length = 0;
  }

  /** Wire the account's number (and keep it wired across reset), as `npm run setup` does. */
  wireNumber(wired: { phoneNumber: string; voiceUrl: string }): void {
    this.wired = wired;
    this.wire();
  }

  private wire(): void {
    const wired = this.wired;
    if (wired === undefined) return;
    this.numbers.set(WIRED_NUMBER_SID, { sid: WIRED_NUMBER_SID, phone_number: wired.phoneNumber, voice_url: wired.voiceUrl, voice_method: 'POST' });
  }

  /**
   * The query parameters of the voice URL configured on `phoneNumber`: Twilio requests that URL as configured, so
   * they reach the voice webhook with the call's own parameters (paused.ts keeps who paused there).
   */
  voiceQuery(phoneNumber: string): Record<string, string> {
    const number = [...this.numbers.values()].find((n) => n.phone_number === phoneNumber);
    if (number?.voice_url === undefined || number.voice_url === '') return {};
    return Object.fromEntries(new URL(number.voice_url).searchParams);
  }

  /** Forget everything, as a fresh account: queues, Sync maps, opt-outs, names, numbers, the logs and the hooks. */
  reset(): void {
    this.resetLog();
    this.queues.clear();
    this.sync.clear();
    this.optedOut.clear();
    this.callerNames.clear();
    this.numbers.clear();
    this.wire();
    this.recordings.clear();
    this.callStatus.clear();
    this.dequeuedAt.clear();
    this.faults = undefined;
    this.slowRequests = undefined;
    this.onRequest = undefined;
    this.sleep = undefined;
    this.concurrentDequeues = 'first-wins';
    this.validator = undefined;
    this.onDequeue = undefined;
    this.onMessage = undefined;
    this.onCall = undefined;
    this.onCallUpdate = undefined;
    this.callStart = undefined;
    this.callParties = undefined;
    this.conferenceRooms = undefined;
    this.latencyMs = this.options.latencyMs ?? 0;
  }

  // --- what the voice side of Twilio does to queues ---

  queueNamed(name: string): Queue {
    let queue = [...this.queues.values()].find((q) => q.friendlyName === name);
    if (queue === undefined) {
      queue = { sid: this.sid('QU'), friendlyName: name, members: [] };
      this.queues.set(queue.sid, queue);
    }
    return queue;
  }

  enqueue(queueName: string, callSid: string): Queue {
    const queue = this.queueNamed(queueName);
    queue.members.push({ callSid, enqueuedAt: this.now() });
    return queue;
  }

  /** The caller left (hung up, <Leave/>, redirected): they are no longer a member. */
  removeMember(callSid: string): void {
    for (const queue of this.queues.values()) queue.members = queue.members.filter((m) => m.callSid !== callSid);
  }

  waiting(queueName: string): string[] {
    return this.queueNamed(queueName).members.map((m) => m.callSid);
  }

  syncItems(map: string): Map<string, SyncItem> | undefined {
    return this.sync.get(map);
  }

  /** Put an item in a Sync map directly, as if an earlier invocation had written it. */
  setSyncItem(map: string, key: string, data: unknown): void {
    let items = this.sync.get(map);
    if (items === undefined) {
      items = new Map();
      this.sync.set(map, items);
    }
    items.set(key, { key, data, revision: 0, expiresAt: undefined });
  }

  /**
   * The audio Twilio would serve for a completed recording: as long as the recording, silent; the MP3 is tagged
   * with its SID so every recording's bytes differ. MP3 (MPEG-1 Layer III, 32 kbit/s, mono) or 8 kHz 16-bit WAV.
   */
  recordingMedia(sid: string, format: 'mp3' | 'wav'): Media | undefined {
    const recording = this.recordings.get(sid);
    if (recording?.status !== 'completed') return undefined;
    return format === 'mp3'
      ? new Media('audio/mpeg', silentMp3(sid, recording.duration))
      : new Media('audio/x-wav', silentWav(recording.duration));
  }

  sid(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(16).padStart(32, '0')}`;
  }

  // --- HTTP ---

  /** Resolves once every request received so far has been answered (a late one can still change state). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => { this.idleWaiters.push(resolve); });
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    try {
      const [, host = '', ...rest] = new URL(req.url ?? '/', 'http://stand-in').pathname.split('/');
      // A late answer waits on the simulator's clock when it has one: the caller's world goes on meanwhile.
      const body = await readBody(req);
      const late = this.slowRequests?.({
        method: req.method ?? 'GET', host, path: `/${rest.map(decodeURIComponent).join('/')}`, params: Object.fromEntries(new URLSearchParams(body)),
      });
      if (late !== undefined) await (this.sleep ?? realSleep)(late);
      const answered = this.answer(req, res, body);
      this.onRequest?.(answered.catch(() => undefined));
      await answered;
    } catch {
      // The client gave up and closed the connection: nobody is left to answer.
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const start = performance.now();
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const [, host = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.map(decodeURIComponent).join('/')}`;
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const method = req.method ?? 'GET';

    const reply = (status: number, payload: unknown): void => {
      this.requests.push({ method, host, path, params, start, end: performance.now(), status });
      if (res.destroyed) return;
      if (payload instanceof Media) {
        res.writeHead(status, { 'Content-Type': payload.contentType, 'Content-Length': String(payload.bytes.length) });
        res.end(payload.bytes);
        return;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };

    const fault = this.faults?.({ method, host, path });
    const delay = this.latencyMs + (fault?.delayMs ?? 0);
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, delay);
        this.timers.add(timer);
      });
    }

    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`) {
      reply(401, twilioError(401, 20003, 'Authenticate'));
      return;
    }
    const invalid = this.validator?.({ method, host, path, params });
    if (invalid !== undefined) {
      reply(422, { ...twilioError(422, 0, invalid), contract: invalid });
      return;
    }
    if (fault !== undefined && fault.status >= 400) {
      reply(fault.status, twilioError(fault.status, fault.code ?? 20500, 'Injected fault'));
      return;
    }
    try {
      const [status, payload] = this.route(method, host, path, params, body);
      reply(status, payload);
    } catch (error) {
      reply(500, twilioError(500, 20500, error instanceof Error ? error.message : 'stand-in error'));
    }
  }

  private route(method: string, host: string, path: string, p: Record<string, string>, body: string): [number, unknown] {
    const account = this.options.accountSid;
    const api = `/2010-04-01/Accounts/${account}`;
    let m: RegExpExecArray | null;
    if (host === 'api.twilio.com') {
      if (method === 'POST' && path === `${api}/Messages.json`) return this.createMessage(p);
      if (method === 'POST' && path === `${api}/Calls.json`) return this.createCall(p, new URLSearchParams(body));
      if (method === 'GET' && path === `${api}/Queues.json`) {
        const queues = [...this.queues.values()].slice(0, pageSize(p, MAX_PAGE_2010)).map((q) => this.queueJson(q));
        return [200, page2010('queues', `${api}/Queues.json`, queues, p)];
      }
      if ((m = new RegExp(`^${api}/Queues/(QU\\w+)/Members\\.json$`).exec(path)) !== null && method === 'GET') {
        const queue = this.queues.get(m[1] ?? '');
        if (queue === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
        const members = queue.members.slice(0, pageSize(p, MAX_PAGE_2010)).map((member, i) => this.memberJson(queue, member, i));
        return [200, page2010('queue_members', `${api}/Queues/${queue.sid}/Members.json`, members, p)];
      }
      if ((m = new RegExp(`^${api}/Queues/(QU\\w+)/Members/(\\w+)\\.json$`).exec(path)) !== null && method === 'POST') {
        return this.dequeue(m[1] ?? '', m[2] ?? '', p);
      }
      if ((m = new RegExp(`^${api}/Queues/(QU\\w+)/Members/(CA\\w+)\\.json$`).exec(path)) !== null && method === 'GET') {
        const queue = this.queues.get(m[1] ?? '');
        const index = queue?.members.findIndex((member) => member.callSid === m?.[2]) ?? -1;
        const member = queue?.members[index];
        if (queue === undefined || member === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
        return [200, this.memberJson(queue, member, index)];
      }
      if (path === `${api}/Conferences.json` && method === 'GET') {
        // ListConference: filtered by FriendlyName and Status (init, in-progress, completed).
        const rooms = (this.conferenceRooms?.() ?? [])
          .filter((r) => (p.FriendlyName === undefined || r.friendlyName === p.FriendlyName) && (p.Status === undefined || r.status === p.Status))
          .map((r) => ({ sid: r.sid, account_sid: this.options.accountSid, friendly_name: r.friendlyName, status: r.status, uri: `${api}/Conferences/${r.sid}.json` }));
        return [200, page2010('conferences', `${api}/Conferences.json`, rooms, p)];
      }
      if ((m = new RegExp(`^${api}/Calls/(CA\\w+)/Recordings\\.json$`).exec(path)) !== null && method === 'GET') {
        const list = [...this.recordings.values()].filter((r) => r.callSid === m?.[1]).slice(0, pageSize(p, MAX_PAGE_2010)).map((r) => ({
          sid: r.sid, call_sid: r.callSid, status: r.status, duration: String(r.duration), account_sid: account,
          uri: `${api}/Recordings/${r.sid}.json`,
        }));
        return [200, page2010('recordings', `${api}/Calls/${m[1] ?? ''}/Recordings.json`, list, p)];
      }
      if ((m = new RegExp(`^${api}/Calls/(CA\\w+)\\.json$`).exec(path)) !== null && method === 'GET') {
        // Known to the voice side by its status, its start time, or both.
        const started = this.callStart?.(m[1] ?? '');
        const status = this.callStatus.get(m[1] ?? '');
        if (started === undefined && status === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
        // `from` and `to` are properties of the call resource (api.v2010.account.call in twilio_api_v2010.json).
        const created = this.createdCalls.find((c) => c.sid === m?.[1]);
        const parties = this.callParties?.(m[1] ?? '') ?? (created === undefined ? undefined : { from: created.from, to: created.to });
        return [200, {
          sid: m[1], account_sid: account, status: status ?? 'in-progress',
          ...(parties === undefined ? {} : { from: parties.from, to: parties.to }),
          ...(started === undefined ? {} : { start_time: new Date(started).toUTCString(), date_created: new Date(started).toUTCString() }),
          uri: `${api}/Calls/${m[1] ?? ''}.json`,
        }];
      }
      if ((m = new RegExp(`^${api}/Calls/(CA\\w+)\\.json$`).exec(path)) !== null && method === 'POST') return this.updateCall(m[1] ?? '', p);
      // A recording's media file: its URL plus .mp3 or .wav (twilio.com/docs/voice/api/recording); bytes, not JSON.
      if ((m = new RegExp(`^${api}/Recordings/(RE\\w+)\\.(mp3|wav)$`).exec(path)) !== null && method === 'GET') {
        const media = this.recordingMedia(m[1] ?? '', m[2] === 'wav' ? 'wav' : 'mp3');
        return media === undefined ? [404, twilioError(404, 20404, 'The requested resource was not found')] : [200, media];
      }
      if ((m = new RegExp(`^${api}/Recordings/(RE\\w+)\\.json$`).exec(path)) !== null && method === 'DELETE') {
        const recording = this.recordings.get(m[1] ?? '');
        if (recording === undefined || recording.status === 'deleted') return [404, twilioError(404, 20404, 'The requested resource was not found')];
        recording.status = 'deleted';
        return [204, {}];
      }
      if (method === 'GET' && path === `${api}/IncomingPhoneNumbers.json`) {
        const list = [...this.numbers.values()].filter((n) => p.PhoneNumber === undefined || n.phone_number === p.PhoneNumber);
        return [200, page2010('incoming_phone_numbers', `${api}/IncomingPhoneNumbers.json`, list, p)];
      }
      if ((m = new RegExp(`^${api}/IncomingPhoneNumbers/(PN\\w+)\\.json$`).exec(path)) !== null && method === 'POST') {
        const number = this.numbers.get(m[1] ?? '');
        if (number === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
        for (const [k, v] of Object.entries(p)) number[snake(k)] = v;
        return [200, number];
      }
    }
    if (host === 'lookups.twilio.com' && (m = /^\/v2\/PhoneNumbers\/([^/]+)$/.exec(path)) !== null && method === 'GET') {
      const number = m[1] ?? '';
      const name = this.callerNames.get(number);
      return [200, {
        phone_number: number, valid: true, calling_country_code: '1', country_code: 'US', national_format: number,
        caller_name: p.Fields?.includes('caller_name') === true ? { caller_name: name ?? null, caller_type: name === undefined ? null : 'CONSUMER', error_code: null } : null,
        url: `https://lookups.twilio.com/v2/PhoneNumbers/${number}`,
      }];
    }
    if (host === 'sync.twilio.com' && (m = /^\/v1\/Services\/([^/]+)\/Maps(?:\/([^/]+)(?:\/Items(?:\/([^/]+))?)?)?$/.exec(path)) !== null) {
      return this.syncRoute(method, m[2], path.includes('/Items') ? (m[3] ?? '') : undefined, p);
    }
    const settings = this.accountRoute(method, host, path, p);
    if (settings !== undefined) return settings;
    return [404, twilioError(404, 20404, `The stand-in does not serve ${method} ${host}${path}`)];
  }

  // ---- Account settings the doctor and setup read (issue 13): Messaging Services and Sync services. ----
  /** Messaging Services by SID, with the numbers in each one's sender pool. */
  readonly messagingServices = new Map<string, MessagingServiceState>();
  /** Sync services that exist ('default' is the account's default service); reading another one is a 404. */
  readonly syncServices = new Set<string>(['default']);

  private accountRoute(method: string, host: string, path: string, p: Record<string, string>): [number, unknown] | undefined {
    if (method !== 'GET') return undefined;
    const meta = (key: string): Record<string, unknown> => ({
      key, page: 0, page_size: pageSize(p, 1000), first_page_url: '', previous_page_url: null, next_page_url: null, url: '',
    });
    const notFound: [number, unknown] = [404, twilioError(404, 20404, 'The requested resource was not found')];
    let m: RegExpExecArray | null;
    if (host === 'messaging.twilio.com') {
      if (path === '/v1/Services') return [200, { services: [...this.messagingServices.values()].map((s) => this.messagingServiceJson(s)), meta: meta('services') }];
      if ((m = /^\/v1\/Services\/(MG\w+)$/.exec(path)) !== null) {
        const service = this.messagingServices.get(m[1] ?? '');
        return service === undefined ? notFound : [200, this.messagingServiceJson(service)];
      }
      if ((m = /^\/v1\/Services\/(MG\w+)\/PhoneNumbers$/.exec(path)) !== null) {
        const service = this.messagingServices.get(m[1] ?? '');
        if (service === undefined) return notFound;
        const list = service.numbers.map((number, i) => ({
          sid: `PN${String(i).padStart(32, '0')}`, service_sid: service.sid, account_sid: this.options.accountSid, phone_number: number, country_code: 'US', capabilities: ['SMS', 'Voice'],
        }));
        return [200, { phone_numbers: list, meta: meta('phone_numbers') }];
      }
    }
    if (host === 'sync.twilio.com' && (m = /^\/v1\/Services\/([^/]+)$/.exec(path)) !== null) {
      const sid = m[1] ?? '';
      return this.syncServices.has(sid)
        ? [200, { sid: sid === 'default' ? `IS${'0'.repeat(32)}` : sid, unique_name: sid === 'default' ? 'default' : null, friendly_name: null, account_sid: this.options.accountSid }]
        : notFound;
    }
    return undefined;
  }

  private messagingServiceJson(s: MessagingServiceState): Record<string, unknown> {
    return {
      sid: s.sid, account_sid: this.options.accountSid, friendly_name: s.friendlyName,
      use_inbound_webhook_on_number: s.useInboundWebhookOnNumber, inbound_request_url: s.inboundRequestUrl,
    };
  }
  // ---- End of account settings. ----

  /**
   * POST Calls.json. To must be a phone number (21211); From a number of the account (21210: "not a Twilio number or
   * not a verified caller ID"); Url or Twiml is needed (21205). Twiml is not played here: Pull Phone always sends Url.
   */
  private createCall(p: Record<string, string>, form: URLSearchParams): [number, unknown] {
    const to = p.To ?? '';
    if (!/^\+[1-9]\d{7,14}$/.test(to)) return [400, twilioError(400, 21211, "The 'To' number is not a valid phone number.")];
    const from = p.From ?? '';
    if (![...this.numbers.values()].some((n) => n.phone_number === from)) {
      return [400, twilioError(400, 21210, 'The source phone number provided, From, is not yet verified for your account.')];
    }
    if (p.Url === undefined || p.Url === '') return [400, twilioError(400, 21205, 'Url parameter is required.')];
    // Repeated names (twilio-node sends arrays that way); a space-separated value is read the same way.
    const events = form.getAll('StatusCallbackEvent').flatMap((e) => e.split(/\s+/)).filter((e) => e !== '');
    const timeout = p.Timeout === undefined ? 60 : Math.min(600, Math.max(1, Number(p.Timeout)));
    const call: CreatedCall = {
      sid: this.sid('CA'), to, from, url: p.Url, method: p.Method ?? 'POST',
      statusCallback: p.StatusCallback, statusCallbackMethod: p.StatusCallbackMethod ?? 'POST',
      statusCallbackEvents: events.length === 0 ? ['completed'] : events, timeout, at: this.now(),
    };
    this.createdCalls.push(call);
    this.callStatus.set(call.sid, 'queued');
    this.onCall?.(call);
    return [201, {
      sid: call.sid, account_sid: this.options.accountSid, to, from, status: 'queued', direction: 'outbound-api',
      api_version: '2010-04-01', uri: `/2010-04-01/Accounts/${this.options.accountSid}/Calls/${call.sid}.json`,
    }];
  }

  /**
   * POST Calls/{CallSid}.json: Status `completed` ends a call in any state, `canceled` one still queued or ringing
   * (Calls update, call_enum_update_status in the OpenAPI); a Url moves it. A call that has ended cannot be moved
   * (21220, TWILIO-NOTES.md); ending it again changes nothing.
   */
  private updateCall(sid: string, p: Record<string, string>): [number, unknown] {
    const status = this.callStatus.get(sid);
    if (status === undefined && this.callStart?.(sid) === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
    if (p.Status !== undefined && p.Status !== 'completed' && p.Status !== 'canceled') return [400, twilioError(400, 0, 'Status must be completed or canceled (call_enum_update_status)')];
    const ended = status !== undefined && ['completed', 'busy', 'no-answer', 'canceled', 'failed'].includes(status);
    if (ended && p.Url !== undefined) return [400, twilioError(400, 21220, 'Call is not in-progress. Cannot redirect.')];
    const update = {
      ...(p.Status === undefined ? {} : { status: p.Status }), ...(p.Url === undefined ? {} : { url: p.Url }),
      ...(p.Method === undefined ? {} : { method: p.Method }),
    };
    if (!ended) {
      this.callUpdates.push({ sid, ...update, at: this.now() });
      this.onCallUpdate?.(sid, update);
    }
    return [200, { sid, account_sid: this.options.accountSid, status: this.callStatus.get(sid) ?? status ?? 'in-progress', uri: `/2010-04-01/Accounts/${this.options.accountSid}/Calls/${sid}.json` }];
  }

  private createMessage(p: Record<string, string>): [number, unknown] {
    const to = p.To ?? '';
    if (!/^\+[1-9]\d{7,14}$/.test(to)) return [400, twilioError(400, 21211, "The 'To' number is not a valid phone number.")];
    if (p.Body === undefined || p.Body === '') return [400, twilioError(400, 21602, 'Message body is required.')];
    if (this.optedOut.has(to)) return [400, twilioError(400, 21610, 'Attempt to send to unsubscribed recipient')];
    const message: SentMessage = { sid: this.sid('SM'), to, from: p.From ?? '', body: p.Body, at: this.now() };
    this.messages.push(message);
    this.onMessage?.(message);
    return [201, {
      sid: message.sid, account_sid: this.options.accountSid, to, from: message.from, body: message.body, status: 'queued',
      num_segments: String(segments(message.body)), direction: 'outbound-api', api_version: '2010-04-01',
    }];
  }

  private dequeue(queueSid: string, callSid: string, p: Record<string, string>): [number, unknown] {
    const queue = this.queues.get(queueSid);
    if (queue === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
    if (p.Url === undefined) return [400, twilioError(400, 21205, 'Url parameter is required.')];
    const index = callSid === 'Front' ? 0 : queue.members.findIndex((m) => m.callSid === callSid);
    const member = queue.members[index];
    // V6 'both-succeed': a dequeue arriving while an earlier one of the same caller is still settling (within
    // CONCURRENT_DEQUEUE_MS) also answers 200, and its Url replaces the first (the last one wins).
    const earlier = this.dequeuedAt.get(callSid);
    if (member === undefined && this.concurrentDequeues === 'both-succeed' && earlier !== undefined && this.now() - earlier.at <= CONCURRENT_DEQUEUE_MS) {
      this.onDequeue?.(callSid, p.Url, p.Method ?? 'POST');
      return [200, earlier.json];
    }
    // V6 'first-wins' (the member-resource docs): dequeued once, a member is gone and a second update is refused.
    if (member === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
    const json = this.memberJson(queue, member, index);
    queue.members.splice(index, 1);
    this.dequeuedAt.set(member.callSid, { at: this.now(), json });
    this.onDequeue?.(member.callSid, p.Url, p.Method ?? 'POST');
    return [200, json];
  }

  private syncRoute(method: string, map: string | undefined, key: string | undefined, p: Record<string, string>): [number, unknown] {
    this.expire();
    if (map === undefined) {
      if (method !== 'POST') return [405, twilioError(405, 20004, 'Method not allowed')];
      const name = p.UniqueName ?? this.sid('MP');
      if (this.sync.has(name)) return [409, twilioError(409, 54301, 'Unique name already exists')];
      this.sync.set(name, new Map());
      return [201, { sid: this.sid('MP'), unique_name: name }];
    }
    const items = this.sync.get(map);
    if (items === undefined) return [404, twilioError(404, 54200, 'Map not found')];
    if (key === '') {
      if (method === 'GET') {
        const list = [...items.values()].slice(0, pageSize(p, MAX_PAGE_SYNC)).map((i) => this.itemJson(map, i));
        return [200, { items: list, meta: { page: 0, page_size: pageSize(p, MAX_PAGE_SYNC), first_page_url: '', previous_page_url: null, next_page_url: null, url: '', key: 'items' } }];
      }
      if (method === 'POST') {
        const itemKey = p.Key ?? '';
        if (itemKey === '' || p.Data === undefined) return [400, twilioError(400, 54201, 'Key and Data are required')];
        if (items.has(itemKey)) return [409, twilioError(409, 54208, 'Map Item already exists')];
        const item = { key: itemKey, data: JSON.parse(p.Data) as unknown, revision: 0, expiresAt: this.ttl(p) };
        items.set(itemKey, item);
        return [201, this.itemJson(map, item)];
      }
      return [405, twilioError(405, 20004, 'Method not allowed')];
    }
    const item = items.get(key ?? '');
    if (item === undefined) return [404, twilioError(404, 20404, 'The requested resource was not found')];
    if (method === 'GET') return [200, this.itemJson(map, item)];
    if (method === 'DELETE') {
      items.delete(item.key);
      return [204, {}];
    }
    if (method === 'POST') {
      if (p.Data !== undefined) item.data = JSON.parse(p.Data) as unknown;
      const ttl = this.ttl(p);
      if (ttl !== undefined) item.expiresAt = ttl;
      item.revision += 1;
      return [200, this.itemJson(map, item)];
    }
    return [405, twilioError(405, 20004, 'Method not allowed')];
  }

  private ttl(p: Record<string, string>): number | undefined {
    const seconds = Number(p.Ttl ?? p.ItemTtl ?? '');
    return Number.isFinite(seconds) && seconds > 0 ? this.now() + seconds * 1000 : undefined;
  }

  private expire(): void {
    const now = this.now();
    for (const items of this.sync.values()) {
      for (const [key, item] of items) if (item.expiresAt !== undefined && item.expiresAt <= now) items.delete(key);
    }
  }

  private queueJson(q: Queue): Record<string, unknown> {
    return {
      sid: q.sid, friendly_name: q.friendlyName, account_sid: this.options.accountSid, current_size: q.members.length,
      max_size: 1000, average_wait_time: 0, uri: `/2010-04-01/Accounts/${this.options.accountSid}/Queues/${q.sid}.json`,
    };
  }

  private memberJson(q: Queue, member: QueueMember, index: number): Record<string, unknown> {
    return {
      call_sid: member.callSid, queue_sid: q.sid, position: index + 1,
      wait_time: Math.max(0, Math.floor((this.now() - member.enqueuedAt) / 1000)),
      date_enqueued: new Date(member.enqueuedAt).toUTCString(),
      uri: `/2010-04-01/Accounts/${this.options.accountSid}/Queues/${q.sid}/Members/${member.callSid}.json`,
    };
  }

  private itemJson(map: string, item: SyncItem): Record<string, unknown> {
    return {
      key: item.key, data: item.data, revision: String(item.revision), map_sid: map, account_sid: this.options.accountSid,
      date_expires: item.expiresAt === undefined ? null : new Date(item.expiresAt).toISOString(),
      url: `https://sync.twilio.com/v1/Services/default/Maps/${map}/Items/${encodeURIComponent(item.key)}`,
    };
  }
}

/** A binary answer (recording media) instead of JSON. */
export class Media {
  constructor(readonly contentType: string, readonly bytes: Buffer) {}
}

/**
 * Silent MPEG-1 Layer III frames: header (44.1 kHz, 32 kbit/s, mono), zero side information, zero main data,
 * which every decoder plays as silence; 104 bytes and 1152 samples each. An ID3v2.3 title carries the SID.
 */
function silentMp3(sid: string, seconds: number): Buffer {
  const title = Buffer.from(`\u0000Pull Phone stand-in recording ${sid}`, 'latin1');
  const frame = Buffer.concat([Buffer.from('TIT2'), uint32(title.length), Buffer.alloc(2), title]);
  const size = frame.length;
  const id3 = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]), frame]);
  const mp3Frame = Buffer.alloc(104);
  mp3Frame.set([0xff, 0xfb, 0x10, 0xc0]);
  const count = Math.max(1, Math.ceil((Math.max(0, seconds) * 44_100) / 1152));
  return Buffer.concat([id3, ...Array.from({ length: count }, () => mp3Frame)]);
}

function silentWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(Math.max(1, Math.round(seconds * rate)) * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function twilioError(status: number, code: number, message: string): Record<string, unknown> {
  return { status, code, message, more_info: `https://www.twilio.com/docs/errors/${code}` };
}

function page2010(key: string, uri: string, list: unknown[], p: Record<string, string>): Record<string, unknown> {
  return {
    [key]: list, page: 0, page_size: pageSize(p, MAX_PAGE_2010), start: 0, end: Math.max(0, list.length - 1),
    uri, first_page_uri: uri, next_page_uri: null, previous_page_uri: null,
  };
}

function pageSize(p: Record<string, string>, max: number): number {
  const n = Number(p.PageSize ?? 50);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : 50;
}

function snake(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * SMS segments as Twilio bills them, counted by Twilio's own segment calculator (sms-segments-calculator):
 * GSM-7 with its extension table (€, [, ] … take two septets), UCS-2 in 16-bit units (an emoji takes two).
 */
export function segments(body: string): number {
  return new SegmentedMessage(body, 'auto').segmentsCount;
}

function realSleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => { setTimeout(resolve, ms); });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Requests grouped by sequential round: a request's round is one more than the deepest request that had
 * been answered before it started, so parallel requests share a round.
 */
export function roundsOf(requests: readonly RecordedRequest[]): RecordedRequest[][] {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  const rounds: RecordedRequest[][] = [];
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j += 1) {
      const before = sorted[j];
      if (before !== undefined && before.end <= r.start) d = Math.max(d, (depth[j] ?? 0) + 1);
    }
    depth.push(d);
    while (rounds.length < d) rounds.push([]);
    rounds[d - 1]?.push(r);
  });
  return rounds;
}

/** Sequential rounds of REST requests: the longest chain in which each request started after the one before it was answered. */
export function sequentialRounds(requests: readonly RecordedRequest[]): number {
  return roundsOf(requests).length;
}

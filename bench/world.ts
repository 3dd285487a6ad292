/**
 * Where the bench runs our handlers: several independent "accounts", each with its own stand-in,
 * so cells can be measured at the same time without their REST requests, queues or Sync maps mixing.
 * The `twilio` client's RequestClient is routed by the account it authenticates as;
 * a request for an account without a stand-in fails rather than reaching the internet.
 */
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import type { ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { defineStep } from '../src/step';
import { CALLBACK_MAP } from '../src/callback-store';
import { MAPS } from '../src/store';
import { TwilioStandIn } from '../sim/standin';

export type Handler = ReturnType<typeof defineStep>;

export const AUTH_TOKEN = 'b'.repeat(32);
export const TWILIO_NUMBER = '+15550000000';
export const DOMAIN = 'pull-phone-1234-dev.twil.io';
export const QUEUE_NAME = 'pull-phone';

const routes = new Map<string, string>();
let patched = false;

function routeByAccount(): void {
  if (patched) return;
  patched = true;
  const proto = RequestClient.prototype;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each client as `this`
  const original = proto.request;
  proto.request = function request<TData>(this: RequestClient, opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const base = routes.get(opts.username ?? '');
    if (base === undefined) return Promise.reject(new Error('bench: no stand-in serves this account'));
    const target = new URL(opts.uri);
    // As sim/twilio-loopback.cjs: the Twilio host becomes the first path segment.
    const routed = { ...opts, uri: `${base}/${target.hostname}${target.pathname}${target.search}` };
    return original.call<RequestClient, [RequestClient.RequestOptions<TData>], Promise<Response<TData>>>(this, routed);
  };
}

export interface Member {
  name: string;
  number: string;
}

export function teamOf(size: number): Member[] {
  return Array.from({ length: size }, (_, i) => ({ name: `M${i + 1}`, number: `+1555200${String(i + 1).padStart(4, '0')}` }));
}

/** One account: a stand-in and the environment its functions run with. */
export class World {
  readonly accountSid: string;
  private sids = 0;

  private constructor(readonly index: number, readonly standIn: TwilioStandIn, accountSid: string) {
    this.accountSid = accountSid;
  }

  static async open(index: number, latencyMs: number): Promise<World> {
    routeByAccount();
    const accountSid = `AC${index.toString(16).padStart(32, '0')}`;
    const standIn = new TwilioStandIn({ accountSid, authToken: AUTH_TOKEN, latencyMs });
    routes.set(accountSid, await standIn.start());
    const world = new World(index, standIn, accountSid);
    world.reset();
    return world;
  }

  async close(): Promise<void> {
    routes.delete(this.accountSid);
    await this.standIn.stop();
  }

  env(team: readonly Member[], extra: Record<string, string> = {}): Record<string, string> {
    return {
      ACCOUNT_SID: this.accountSid,
      AUTH_TOKEN,
      TWILIO_PHONE_NUMBER: TWILIO_NUMBER,
      TEAM_MEMBERS: team.map((m) => `${m.name}:${m.number}`).join(','),
      QUEUE_NAME,
      ...extra,
    };
  }

  /** A well-formed CallSid unique to this world. */
  newCallSid(): string {
    this.sids += 1;
    return `CA${this.index.toString(16).padStart(8, '0')}${this.sids.toString(16).padStart(24, '0')}`;
  }

  /**
   * An account that has taken calls before: the Sync maps exist (the first call of a fresh account
   * pays extra requests to make them) and hold nothing from earlier cells. The queue is empty.
   */
  reset(): void {
    for (const map of [...Object.values(MAPS), CALLBACK_MAP]) {
      const items = this.standIn.syncItems(map);
      if (items === undefined) {
        this.standIn.setSyncItem(map, 'warm', {});
        this.standIn.syncItems(map)?.clear();
      } else {
        items.clear();
      }
    }
    this.standIn.queueNamed(QUEUE_NAME).members = [];
    this.standIn.onDequeue = undefined;
    this.standIn.resetLog();
  }
}

export interface Invocation {
  ms: number;
  xml: string;
}

/** Call a handler as Twilio Functions would and time it from the call to the callback. */
export function invokeTimed(handler: Handler, env: Record<string, string>, params: Record<string, string>): Promise<Invocation> {
  const context = {
    ...env, DOMAIN_NAME: DOMAIN, PATH: '/usr/bin', SERVICE_SID: undefined, ENVIRONMENT_SID: undefined,
    getTwilioClient: (): never => { throw new Error('Pull Phone builds its own client'); },
  };
  const event = { ...params, request: { headers: {}, cookies: {} } };
  return new Promise<Invocation>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('handler did not answer within 15 s')); }, 15_000);
    const start = performance.now();
    const callback: ServerlessCallback = (error, payload) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      if (error !== null) {
        reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        return;
      }
      // Our handlers answer with twilio's TwiML objects, whose toString() is the XML Twilio receives.
      resolve({ ms, xml: typeof payload === 'object' ? (payload as { toString(): string }).toString() : JSON.stringify(payload) });
    };
    // The runtime's context type wants the runtime's own twilio client type; ours throws if asked, as in tests/support/harness.ts.
    void handler(context as unknown as Parameters<Handler>[0], event, callback);
  });
}

// --- reading the TwiML answers the chain follows ---

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
}

/** The <Message> texts of a MessagingResponse, with their `to` when set (else the sender). */
export function twimlMessages(xml: string): { to: string | undefined; body: string }[] {
  return [...xml.matchAll(/<Message(\s[^>]*)?>([\s\S]*?)<\/Message>/g)].map((m) => {
    const to = /\sto="([^"]*)"/.exec(m[1] ?? '')?.[1];
    return { to: to === undefined ? undefined : unescapeXml(to), body: unescapeXml(m[2] ?? '') };
  });
}

/** An attribute of the first verb with that name, e.g. attribute(xml, 'Number', 'url'). */
export function attribute(xml: string, verb: string, name: string): string | undefined {
  const tag = new RegExp(`<${verb}(\\s[^>]*)?>`).exec(xml)?.[1] ?? '';
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : unescapeXml(value);
}

/** The text of the first verb with that name, e.g. the URL a <Redirect> goes to. */
export function verbText(xml: string, verb: string): string | undefined {
  const text = new RegExp(`<${verb}(?:\\s[^>]*)?>([\\s\\S]*?)</${verb}>`).exec(xml)?.[1];
  return text === undefined ? undefined : unescapeXml(text);
}

export function hasVerb(xml: string, verb: string): boolean {
  return new RegExp(`<${verb}[\\s/>]`).test(xml);
}

/** The function a URL of ours names and its query parameters, which Twilio Functions hands over in the event. */
export function target(url: string): { path: string; query: Record<string, string> } {
  const parsed = new URL(url);
  return { path: parsed.pathname, query: Object.fromEntries(parsed.searchParams) };
}

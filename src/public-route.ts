/**
 * What the two public functions (the voicemail page and its audio) share. They are opened by a browser,
 * so Twilio checks no signature: every request may be hostile. The token decides everything, before any
 * REST call is made; any failure answers without details and is logged without numbers.
 */
import type { Context, ServerlessCallback, ServerlessFunctionSignature } from '@twilio-labs/serverless-runtime-types/types';
import { Config, Env, readConfig } from './config';
import { logError } from './log';
import { Store } from './store';
import { describeFailure, twilioClient, TwilioClient } from './twilio-api';
import { stepUrl } from './urls';
import { linkKey, openToken, OpenedLink } from './voicemail-link';
import { notFound, PageAnswer, unavailable } from './voicemail-page';
import { param, WebhookEvent } from './webhook';

export interface PublicRoute {
  name: string;
  config: Config;
  client: TwilioClient;
  store: Store;
  /** The voicemail and member the request's token opens; the route has already answered 404 when none. */
  link: OpenedLink;
  token: string;
  now: Date;
  /** Absolute URL of one of our functions (the page's Call back button has Twilio call the member's phone). */
  url: (path: string, query?: Record<string, string | undefined>) => string;
}

/** The runtime's Response: a global in Twilio Functions (and under twilio-run), not an importable module. */
interface RuntimeResponse {
  setStatusCode: (code: number) => unknown;
  setBody: (body: unknown) => unknown;
  appendHeader: (key: string, value: string) => unknown;
}
type RuntimeGlobal = { Twilio?: { Response?: new () => RuntimeResponse } };

type Handler = ServerlessFunctionSignature<Env, WebhookEvent & { request: { cookies: object; headers: object } }>;

export function definePublicRoute(name: string, run: (route: PublicRoute, event: WebhookEvent) => Promise<PageAnswer>): Handler {
  return (context: Context<Env>, event: WebhookEvent, callback: ServerlessCallback) => {
    const answer = (page: PageAnswer): void => {
      const Response = (globalThis as unknown as RuntimeGlobal).Twilio?.Response;
      if (Response === undefined) {
        callback('Twilio.Response is missing: this function runs only in Twilio Functions or twilio-run');
        return;
      }
      const response = new Response();
      response.setStatusCode(page.status);
      for (const [key, value] of Object.entries(page.headers)) response.appendHeader(key, value);
      // A Buffer goes out as bytes deployed and under `twilio-run start` without forked processes
      // (.twilioserverlessrc sets forkProcess false; README, "The voicemail page").
      response.setBody(page.body);
      callback(null, response);
    };
    const result = readConfig(environmentOf(context));
    if (!result.ok) {
      for (const problem of result.problems) logError(name, `configuration: ${problem.variable} ${problem.message}`);
      answer(unavailable());
      return;
    }
    const { config } = result;
    const now = new Date();
    const token = param(event, 't') ?? '';
    const link = openToken(linkKey(config), token, config.members, now.getTime());
    if (link === undefined) {
      answer(notFound());
      return;
    }
    const client = twilioClient(config);
    const domain = context.DOMAIN_NAME;
    const route: PublicRoute = {
      name, config, client, store: new Store(client, config), link, token, now, url: (path, query) => stepUrl(domain, path, query),
    };
    run(route, event).then(answer, (error: unknown) => {
      logError(name, `failed (${describeFailure(error)})`);
      answer(unavailable());
    });
  };
}

function environmentOf(context: Context<Env>): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string') env[key] = value;
  }
  return env;
}

/**
 * What every function shares: read the configuration, make the client, answer Twilio,
 * and never let a failure reach the caller as an application error.
 */
import type { Context, ServerlessCallback, ServerlessFunctionSignature } from '@twilio-labs/serverless-runtime-types/types';
// The TwiML builders alone, not the whole SDK: they load in a tenth of the time (see twilio-api.ts).
import TwimlVoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import TwimlMessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import { Config, ConfigProblem, Env, readConfig } from './config';
import { logError } from './log';
import { Store } from './store';
import { describeFailure, twilioClient, TwilioClient } from './twilio-api';
import { stepUrl } from './urls';
import { sidParam, WebhookEvent } from './webhook';
import { callReference } from './reference';

export type VoiceResponse = TwimlVoiceResponse;
export type MessagingResponse = TwimlMessagingResponse;

export interface Step {
  name: string;
  config: Config;
  client: TwilioClient;
  store: Store;
  /** Absolute URL of another of our functions. */
  url: (path: string, query?: Record<string, string | undefined>) => string;
  /**
   * Milestones this invocation has passed ('claimed', 'dequeuing', …). If the deadline comes first, the
   * step's fallback sees them, so its answer can tell "nothing happened" from "it may have happened".
   */
  reached: Set<string>;
  /** Milliseconds left before the step must answer. */
  remainingMs: () => number;
}

/**
 * Twilio stops a Function at 10 s (TWILIO-NOTES.md, functions-assets FAQ); a step that has not answered
 * by this time answers its safe fallback instead, and what it had not finished is logged.
 */
export const STEP_DEADLINE_MS = 7500;

type Handler = ServerlessFunctionSignature<Env, WebhookEvent & { request: { cookies: object; headers: object } }>;

interface StepDefinition<R> {
  name: string;
  run: (step: Step, event: WebhookEvent) => Promise<R> | R;
  /**
   * What Twilio gets when the configuration is unusable, the step failed, or it ran out of time: always a safe answer.
   */
  fallback: (url: Step['url'], event: WebhookEvent, why: 'misconfigured' | 'failed' | 'late', more: FallbackContext) => R;
}

export interface FallbackContext {
  /** The milestones the step had passed (empty when misconfigured). */
  reached: ReadonlySet<string>;
  /** The configuration, when it was usable. */
  config?: Config;
  /** What failed, when the step failed. */
  error?: unknown;
}

export function defineStep<R extends VoiceResponse | MessagingResponse>(definition: StepDefinition<R>): Handler {
  return (context: Context<Env>, event: WebhookEvent, callback: ServerlessCallback) => {
    const domain = context.DOMAIN_NAME;
    const url = (path: string, query?: Record<string, string | undefined>): string => stepUrl(domain, path, query);
    const started = Date.now();
    let answered = false;
    const answer = (response: R): void => {
      if (answered) return;
      answered = true;
      callback(null, response);
    };
    const result = readConfig(environmentOf(context));
    logConfigProblems(definition.name, result.problems);
    if (!result.ok) {
      answer(definition.fallback(url, event, 'misconfigured', { reached: new Set() }));
      return;
    }
    const { config } = result;
    let store: Store | undefined;
    // The client and store are made when a step first uses them, so steps without REST calls stay light.
    const step: Step = {
      name: definition.name,
      config,
      url,
      reached: new Set(),
      remainingMs: () => STEP_DEADLINE_MS - (Date.now() - started),
      get client() {
        return twilioClient(config);
      },
      get store() {
        store ??= new Store(twilioClient(config), config);
        return store;
      },
    };
    const deadline = setTimeout(() => {
      if (answered) return;
      logError(definition.name, `no answer after ${STEP_DEADLINE_MS} ms (reached: ${[...step.reached].join(', ') || 'nothing'}); answering with the safe fallback, unfinished work is cut short`);
      answer(definition.fallback(url, event, 'late', { reached: step.reached, config }));
    }, STEP_DEADLINE_MS);
    Promise.resolve()
      .then(() => definition.run(step, event))
      .then((response) => {
        if (answered) logError(definition.name, `finished after the deadline (reached: ${[...step.reached].join(', ')})`);
        answer(response);
      }, (error: unknown) => {
        // The call's reference (not its number) lets the log line be matched with the team's texts.
        const callSid = sidParam(event, 'CallSid', 'CA');
        const about = callSid === undefined ? '' : ` for caller ${callReference(callSid)}`;
        logError(definition.name, `failed${about} (${describeFailure(error)}); answering with the safe fallback`);
        answer(definition.fallback(url, event, 'failed', { reached: step.reached, config, error }));
      })
      .finally(() => { clearTimeout(deadline); });
  };
}

/**
 * Problems that stop the product are logged on every invocation (each caller is affected); an ignored
 * optional value once per warm instance, so a typo does not fill the log. This set only spares the log:
 * a fresh instance logs it again, which is what should happen.
 */
const loggedOnce = new Set<string>();
function logConfigProblems(stepName: string, problems: readonly ConfigProblem[]): void {
  for (const problem of problems) {
    const line = `configuration: ${problem.variable} ${problem.message}`;
    if (problem.stops) {
      logError(stepName, line);
    } else if (!loggedOnce.has(line)) {
      loggedOnce.add(line);
      logError(stepName, line);
    }
  }
}

function environmentOf(context: Context<Env>): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string') env[key] = value;
  }
  return env;
}

export function voiceResponse(): VoiceResponse {
  return new TwimlVoiceResponse();
}

export function messagingResponse(): MessagingResponse {
  return new TwimlMessagingResponse();
}

/**
 * Out of the queue with a word: inside the queue only <Leave/> gets out, and the Enqueue action
 * (/queue-result) then takes the caller on, to voicemail or the callback goodbye.
 */
export function sayAndLeave(prompt: string): VoiceResponse {
  const response = voiceResponse();
  response.say(prompt);
  response.leave();
  return response;
}

/** A last word to whoever is on the line, then the call ends: for the calls Pull Phone places to members. */
export function sayAndHangUp(words: string): VoiceResponse {
  const response = voiceResponse();
  response.say(words);
  response.hangup();
  return response;
}

/** The safe path for a caller whenever something is wrong: an apology, then voicemail (which needs nothing configured). */
export function apologiseToVoicemail(url: Step['url'], prompt: string): VoiceResponse {
  const response = voiceResponse();
  response.say(prompt);
  response.redirect({ method: 'POST' }, url('/voicemail'));
  return response;
}

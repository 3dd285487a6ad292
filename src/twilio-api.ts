/** The one place a Twilio REST client is made, and how its errors are read. */
import type { Twilio } from 'twilio';
import { Config } from './config';
import { maskNumber } from './phone';

export type TwilioClient = Twilio;

/** One client per warm instance, so its HTTPS connections to Twilio are reused across invocations. */
let cached: { key: string; client: TwilioClient } | undefined;

/**
 * Longest wait for one REST request. twilio-node waits 30 s by default, while Twilio stops a Function at 10 s
 * (TWILIO-NOTES.md, functions-assets FAQ): a step must be able to give up on a request and still answer.
 */
export const REST_TIMEOUT_MS = 2500;

/**
 * Built from the project's own `twilio` package with our credentials rather than
 * `context.getTwilioClient()`, so local runs and deployed runs use the same client version.
 */
export function twilioClient(config: Config): TwilioClient {
  const key = `${config.accountSid}:${config.authToken}`;
  if (cached?.key !== key) {
    // Required on first use, not when the function loads: the REST client and its HTTP stack take ~80 ms
    // to load, and the steps a caller waits on most (hold music, bridge, voicemail) never call the API.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const twilio = require('twilio') as typeof import('twilio');
    cached = { key, client: twilio(config.accountSid, config.authToken, { timeout: REST_TIMEOUT_MS }) };
  }
  return cached.client;
}

export interface TwilioFailure {
  status?: number;
  code?: number;
}

export function failureOf(error: unknown): TwilioFailure {
  if (typeof error !== 'object' || error === null) return {};
  const { status, code } = error as { status?: unknown; code?: unknown };
  return {
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'number' ? { code } : {}),
  };
}

/** A 4xx from Twilio: the request was understood and refused (gone, taken, opted out). */
export function isRefusal(error: unknown): boolean {
  const { status } = failureOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/** How a REST request failed, in the terms a person acts on. */
export type FailureKind = 'time-out' | 'network' | 'twilio' | 'other';

/** Node's and axios's codes for a request that got no answer in time. */
const TIME_OUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The network error under a failed request, if that is what it was: twilio-node's HTTP client (axios)
 * wraps Node's error, so the code and host are looked for on the error and on its causes.
 */
function networkCause(error: unknown): { code: string; host?: string } | undefined {
  let code: string | undefined;
  let host: string | undefined;
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth += 1) {
    const fields = e as { code?: unknown; hostname?: unknown; address?: unknown; port?: unknown; message?: unknown; cause?: unknown };
    if (code === undefined && typeof fields.code === 'string' && /^E[A-Z_]+$/.test(fields.code)) code = fields.code;
    if (host === undefined && typeof fields.hostname === 'string') host = fields.hostname;
    if (host === undefined && typeof fields.address === 'string') {
      host = `${fields.address}${typeof fields.port === 'number' ? `:${fields.port}` : ''}`;
    }
    // Node's messages end with the host: "getaddrinfo ENOTFOUND api.twilio.com", "connect ECONNREFUSED 127.0.0.1:9".
    if (host === undefined && typeof fields.message === 'string') host = /\bE[A-Z_]+ ([\w.-]+(?::\d+)?)\s*$/.exec(fields.message)?.[1];
    e = fields.cause;
  }
  if (code === undefined) return undefined;
  return host === undefined ? { code } : { code, host };
}

export function failureKind(error: unknown): FailureKind {
  if (failureOf(error).status !== undefined) return 'twilio';
  const network = networkCause(error);
  if (network !== undefined) return TIME_OUT_CODES.has(network.code) ? 'time-out' : 'network';
  if (error instanceof Error && /time-?out|timed out/i.test(error.message)) return 'time-out';
  return 'other';
}

/** Anything that looks like a phone number in text that is about to be logged, down to its last four digits. */
export function maskNumbersIn(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (number) => maskNumber(number));
}

/**
 * For logs: the cause a person can act on. Twilio's status, error code and message (numbers masked), or the
 * network error and host (`ENOTFOUND api.twilio.com`), or a time-out; never a full phone number or a secret.
 */
export function describeFailure(error: unknown): string {
  const { status, code } = failureOf(error);
  const raw = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const message = typeof raw === 'string' ? raw : '';
  if (status !== undefined) {
    return `HTTP ${status}${code === undefined ? '' : ` code ${code}`}${message === '' ? '' : `: ${maskNumbersIn(message)}`}`;
  }
  const network = networkCause(error);
  if (network !== undefined) {
    const what = TIME_OUT_CODES.has(network.code) ? `time-out (${network.code})` : network.code;
    return `${what}${network.host === undefined ? '' : ` ${network.host}`}`;
  }
  if (error instanceof Error) return `${error.name}${message === '' ? '' : `: ${maskNumbersIn(message)}`}`;
  return 'unknown error';
}

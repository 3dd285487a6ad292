/** The one place a Twilio REST client is made, and how its errors are read. */
import type { Twilio } from 'twilio';
import { Config } from './config';

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

/** For logs: the status and Twilio code, never the message (it can echo phone numbers). */
export function describeFailure(error: unknown): string {
  const { status, code } = failureOf(error);
  if (status === undefined) return error instanceof Error ? error.name : 'unknown error';
  return `HTTP ${status}${code === undefined ? '' : ` code ${code}`}`;
}

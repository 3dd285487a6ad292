/** The one place a Twilio REST client is made, and how its errors are read. */
import twilio from 'twilio';
import { Config } from './config';

export type TwilioClient = ReturnType<typeof twilio>;

/**
 * Built from the project's own `twilio` package with our credentials rather than
 * `context.getTwilioClient()`, so local runs and deployed runs use the same client version.
 */
export function twilioClient(config: Config): TwilioClient {
  return twilio(config.accountSid, config.authToken);
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

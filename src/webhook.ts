/** Reading Twilio's webhook parameters defensively: any may be missing, repeated or hostile. */
import { toE164 } from './phone';

const MAX_PARAM_LENGTH = 2000;

export type WebhookEvent = Record<string, unknown>;

/** The first value of a parameter as a bounded string; undefined when absent or not text. */
export function param(event: WebhookEvent, name: string): string | undefined {
  let value = event[name];
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'string') return undefined;
  return value.slice(0, MAX_PARAM_LENGTH);
}

export function numberParam(event: WebhookEvent, name: string): number | undefined {
  const raw = param(event, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** Twilio SIDs are two letters and 32 hex digits; anything else did not come from Twilio. */
export function sidParam(event: WebhookEvent, name: string, prefix: string): string | undefined {
  const raw = param(event, name);
  return raw !== undefined && new RegExp(`^${prefix}[0-9a-f]{32}$`).test(raw) ? raw : undefined;
}

/** The caller's number in E.164, or undefined when it is withheld or malformed. */
export function fromNumber(event: WebhookEvent): string | undefined {
  return toE164(param(event, 'From')) ?? undefined;
}

/**
 * Twilio's US list prices, in US dollars, for what a Pull Phone call uses. The one place to update them.
 *
 * Source: Twilio's public US pricing pages — twilio.com/en-us/sms/pricing/us (SMS, per segment, long code),
 * twilio.com/en-us/voice/pricing/us (local inbound, outbound to US numbers, recording, transcription),
 * twilio.com/en-us/serverless/pricing (Functions), twilio.com/en-us/sync/pricing (Sync),
 * twilio.com/en-us/lookup/pricing (caller name). Figures as published in 2025, entered 2026-12-03 from the
 * author's record of those pages, NOT re-read on that date (no network on the machine that wrote this): check
 * them against the pages before quoting a price to anyone. Carrier pass-through fees on SMS (about a third of a
 * cent per segment for 10DLC in 2025, varying by carrier) and the monthly number and A2P fees are not included.
 */
export const PRICES_AS_OF = '2025 list prices, entered 2026-12-03 (not re-read that day)';

export const PRICES = {
  /** One outbound SMS segment from a US long code. */
  smsOutboundSegment: 0.0083,
  /** One inbound SMS segment to a US long code (a member's reply). */
  smsInboundSegment: 0.0083,
  /** Per minute, rounded up per call: a caller on a local number. */
  voiceInboundMinute: 0.0085,
  /** Per minute, rounded up per call: the leg to a member's mobile. */
  voiceOutboundMinute: 0.014,
  /** Per recorded minute. */
  recordingMinute: 0.0025,
  /** Per transcribed minute (built-in transcription, TRANSCRIBE_VOICEMAIL). */
  transcriptionMinute: 0.05,
  /** Per Function invocation beyond the monthly free 10,000 (counted here as if past them). */
  functionInvocation: 0.0001,
  /** Per Sync API operation (read or write). */
  syncOperation: 0.0001,
  /** Lookup v2 caller name (CALLER_NAME_LOOKUP). */
  lookupCallerName: 0.01,
} as const;

export type Prices = typeof PRICES;

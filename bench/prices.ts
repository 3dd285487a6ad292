/**
 * Twilio's US list prices, in US dollars, for what a Pull Phone call uses. The one place to update them.
 *
 * Each price has its source and how sure it is (PRICE_SOURCES): `twilio` where a Twilio page states it,
 * `secondary` where a dated third-party page quotes Twilio's pricing page (Twilio's own pricing pages,
 * twilio.com/en-us/…/pricing, could not be read when this was checked), `unverified` where no source was found
 * and the figure is the author's recollection of 2025 list prices. Checked 2026-12-03 from stored copies of the
 * pages named; no network. Carrier pass-through fees on SMS (a quarter to half a cent per segment, by carrier),
 * number rental and A2P 10DLC fees are not included.
 */
export const PRICES_AS_OF = 'checked 2026-12-03: SMS and voice minutes from 2026 sources, the rest older or unverified (see docs/PERFORMANCE.md)';

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

export type Certainty = 'twilio' | 'secondary' | 'unverified';

export interface PriceSource {
  certainty: Certainty;
  /** Where the figure was found, and the date the source gives for it. */
  source: string;
  note?: string;
}

export const PRICE_SOURCES: Record<keyof Prices, PriceSource> = {
  smsOutboundSegment: {
    certainty: 'secondary',
    source: 'Kin Lane (API Evangelist), "Twilio API Pricing: What a Text Message Costs", 2026-11-12, read from twilio.com/en-us/sms/pricing/us on 2026-11-09 '
      + '(raw.githubusercontent.com/api-evangelist/posts/main/_posts/2026-11-12-twilio-api-pricing-what-a-text-message-costs-and-what-gets-added.md); '
      + 'the same $0.0083 in dev.to/preecha/twilio-sms-api-cost-complete-pricing-breakdown-for-2026-1k25 (2026)',
    note: 'plus the carrier fee, e.g. AT&T $0.0035 a segment on 10DLC (same sources)',
  },
  smsInboundSegment: { certainty: 'secondary', source: 'as outbound: both sources give $0.0083 a segment in' },
  voiceInboundMinute: {
    certainty: 'secondary',
    source: 'api-evangelist/twilio plans/twilio-plans-pricing.yml (2026-05-04, from twilio.com/en-us/voice/pricing/us); '
      + 'Twilio\'s own "How Volume Pricing works at Twilio" (support.twilio.com/hc/en-us/articles/223183328) uses $0.0085 a local inbound minute in its example',
  },
  voiceOutboundMinute: {
    certainty: 'secondary',
    source: 'api-evangelist/twilio plans/twilio-plans-pricing.yml (2026-05-04, from twilio.com/en-us/voice/pricing/us)',
    note: 'Twilio\'s volume-pricing article\'s older example says $0.013',
  },
  recordingMinute: {
    certainty: 'unverified',
    source: 'none found for the US; a 2017 README quotes $0.0025 a minute from Twilio\'s New Zealand voice page (github.com/natsu90/twilio-echo)',
    note: 'storage is free up to 10,000 minutes kept, then $0.0005 a minute a month: Twilio, "How Does Twilio\'s Pricing Work" (support.twilio.com/hc/en-us/articles/223183228)',
  },
  transcriptionMinute: {
    certainty: 'unverified',
    source: 'none found from Twilio; the same 2017 README says $0.05 a minute',
  },
  functionInvocation: {
    certainty: 'unverified',
    source: 'the free 10,000 invocations a month is quoted from twilio.com/runtime/pricing in a third-party README; no per-invocation price found',
    note: 'third-party pages disagree (one says $0.00002); at a few hundred calls a month the free tier covers it',
  },
  syncOperation: {
    certainty: 'unverified',
    source: 'none found from Twilio; third-party pages disagree ($0.0001 a read and $0.0005 a write; or 50,000 free then $0.00005)',
  },
  lookupCallerName: {
    certainty: 'secondary',
    source: 'github.com/petergs/twlu README (2024): "~$0.01 per request" for Lookup v2; Twilio\'s Lookup quickstart links its price page, twilio.com/en-us/trusted-activation/pricing/lookup, not read',
  },
};

/**
 * Wiring the Twilio number to the deployed functions: what `npm run setup` must change on the
 * IncomingPhoneNumber, decided from what is there now. Pure, so running setup twice is provably
 * a no-op the second time, and the decisions are tested without Twilio.
 */

/** The number's settings as Twilio reports them (twilio-node's camelCase names). */
export interface NumberSettings {
  voiceUrl?: string | null;
  voiceMethod?: string | null;
  voiceFallbackUrl?: string | null;
  voiceFallbackMethod?: string | null;
  smsUrl?: string | null;
  smsMethod?: string | null;
  statusCallback?: string | null;
  statusCallbackMethod?: string | null;
  /** A boolean from Twilio; a form value ("true") from a stand-in that stores what it was sent. */
  voiceCallerIdLookup?: boolean | string | null;
  voiceReceiveMode?: string | null;
  voiceApplicationSid?: string | null;
  smsApplicationSid?: string | null;
  trunkSid?: string | null;
  capabilities?: { voice?: boolean; sms?: boolean } | null;
}

export interface WiringRequest {
  /** The service's host, e.g. pull-phone-1234-dev.twil.io (see normaliseDomain). */
  domain: string;
  /** Turn on Twilio's caller-name (CNAM) lookup on the number, so calls arrive with CallerName. */
  callerNameLookup: boolean;
}

/** Names as twilio-node's IncomingPhoneNumber update() takes them. */
export interface WiringUpdate {
  voiceUrl?: string;
  voiceMethod?: string;
  voiceFallbackUrl?: string;
  voiceFallbackMethod?: string;
  smsUrl?: string;
  smsMethod?: string;
  statusCallback?: string;
  statusCallbackMethod?: string;
  voiceCallerIdLookup?: boolean;
  voiceReceiveMode?: 'voice';
}

export interface Change {
  /** What a person calls it, for the printed summary. */
  label: string;
  from: string;
  to: string;
  update: WiringUpdate;
}

export interface WiringPlan {
  changes: Change[];
  /** Settings that would keep calls or texts away from Pull Phone and that setup will not change for you. */
  blockers: string[];
}

export const VOICE_PATH = '/incoming-call';
export const SMS_PATH = '/sms-reply';
export const STATUS_PATH = '/call-status';
/**
 * A static TwiML asset (assets/voice-fallback.xml, deployed from dist/assets) that apologises and records a
 * message: what Twilio plays when /incoming-call fails or does not answer in time (error 11200, 11205),
 * instead of its generic application error. Requested with GET: it is a static file.
 */
export const VOICE_FALLBACK_PATH = '/voice-fallback.xml';

export function planWiring(current: NumberSettings, request: WiringRequest): WiringPlan {
  const changes: Change[] = [];
  const change = (label: string, now: string | null | undefined, wanted: string, update: WiringUpdate): void => {
    if ((now ?? '') !== wanted) changes.push({ label, from: shown(now), to: wanted, update });
  };
  const voiceUrl = `https://${request.domain}${VOICE_PATH}`;
  const smsUrl = `https://${request.domain}${SMS_PATH}`;
  change('voice URL (A call comes in)', current.voiceUrl, voiceUrl, { voiceUrl });
  // Twilio defaults an unset method to POST; an explicit GET would put caller details in URLs and logs.
  change('voice method', methodOf(current.voiceMethod), 'POST', { voiceMethod: 'POST' });
  const voiceFallbackUrl = `https://${request.domain}${VOICE_FALLBACK_PATH}`;
  // URL and method as one setting: a static file is fetched with GET (an unset method means POST).
  const fallbackNow = present(current.voiceFallbackUrl) ? `${String(current.voiceFallbackUrl)} (${methodOf(current.voiceFallbackMethod)})` : undefined;
  change('voice fallback URL (Primary handler fails)', fallbackNow, `${voiceFallbackUrl} (GET)`, { voiceFallbackUrl, voiceFallbackMethod: 'GET' });
  change('SMS URL (A message comes in)', current.smsUrl, smsUrl, { smsUrl });
  change('SMS method', methodOf(current.smsMethod), 'POST', { smsMethod: 'POST' });
  // Twilio requests it when a call ends: the only word we get of a caller who hangs up outside the queue.
  const statusCallback = `https://${request.domain}${STATUS_PATH}`;
  change('call status callback (call ended)', current.statusCallback, statusCallback, { statusCallback });
  change('call status callback method', methodOf(current.statusCallbackMethod), 'POST', { statusCallbackMethod: 'POST' });
  if (current.voiceReceiveMode === 'fax') {
    change('receive mode', 'fax', 'voice', { voiceReceiveMode: 'voice' });
  }
  if (request.callerNameLookup && !isOn(current.voiceCallerIdLookup)) {
    changes.push({ label: 'caller name lookup (CNAM, billed per call)', from: 'off', to: 'on', update: { voiceCallerIdLookup: true } });
  }

  const blockers: string[] = [];
  if (present(current.trunkSid)) {
    blockers.push(`calls go to SIP trunk ${String(current.trunkSid)}, which overrides the voice URL: remove the number from the trunk (Console > Elastic SIP Trunking), then run setup again.`);
  } else if (present(current.voiceApplicationSid)) {
    blockers.push(`calls go to TwiML App ${String(current.voiceApplicationSid)}, which overrides the voice URL: in Console > Phone Numbers > Active numbers, set "Configure with" to Webhook for voice, then run setup again.`);
  }
  if (present(current.smsApplicationSid)) {
    blockers.push(`texts go to TwiML App ${String(current.smsApplicationSid)}, which overrides the SMS URL: in Console > Phone Numbers > Active numbers, set messaging to Webhook, then run setup again.`);
  }
  if (current.capabilities?.voice === false) blockers.push('this number cannot take voice calls: use a number with Voice capability.');
  if (current.capabilities?.sms === false) blockers.push('this number cannot send or receive SMS, which is how the team is told and replies: use a number with SMS capability.');
  return { changes, blockers };
}

/** One update() for all the changes. */
export function updateOf(changes: readonly Change[]): WiringUpdate {
  return Object.assign({}, ...changes.map((c) => c.update)) as WiringUpdate;
}

function methodOf(method: string | null | undefined): string {
  return (method ?? '').trim() === '' ? 'POST' : (method ?? '').toUpperCase();
}

function isOn(value: boolean | string | null | undefined): boolean {
  return value === true || value === 'true';
}

function present(value: string | null | undefined): boolean {
  return value !== undefined && value !== null && value.trim() !== '';
}

function shown(value: string | null | undefined): string {
  return present(value) ? String(value) : '(not set)';
}

export type DomainResult = { ok: true; domain: string } | { ok: false; problem: string };

/**
 * Accepts what a person is likely to paste: the bare domain twilio-run prints after "Domain:",
 * or a function URL copied from its list. Twilio must reach the URLs over public HTTPS.
 */
export function normaliseDomain(raw: string): DomainResult {
  const text = raw.trim();
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname.toLowerCase();
  } catch {
    return { ok: false, problem: `"${text}" is not a domain: pass the Domain line twilio-run deploy printed, e.g. --domain pull-phone-1234-dev.twil.io.` };
  }
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(host)) {
    return { ok: false, problem: `"${text}" is not a public domain Twilio can reach: pass the Domain line twilio-run deploy printed, e.g. --domain pull-phone-1234-dev.twil.io.` };
  }
  return { ok: true, domain: host };
}

export interface DeployedService {
  serviceSid: string;
  latestBuild: string;
}

/**
 * twilio-run deploy keeps `.twiliodeployinfo`: `{ "<ACCOUNT_SID>:<region>": { serviceSid, latestBuild } }`
 * (older versions keyed it by the account SID alone). It has no domain; the service's environments do.
 */
export function deployedService(text: string, accountSid: string): DeployedService | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key !== accountSid && !key.startsWith(`${accountSid}:`)) continue;
    if (typeof value !== 'object' || value === null) continue;
    const { serviceSid, latestBuild } = value as Record<string, unknown>;
    if (typeof serviceSid === 'string' && /^ZS[0-9a-f]{32}$/.test(serviceSid)) {
      return { serviceSid, latestBuild: typeof latestBuild === 'string' ? latestBuild : '' };
    }
  }
  return undefined;
}

export interface ServiceEnvironment {
  domainName: string;
  buildSid: string | null;
}

/** The environment the last deploy went to (it runs that build); with one environment, that one. */
export function deployedDomain(environments: readonly ServiceEnvironment[], latestBuild: string): string | undefined {
  const running = environments.filter((e) => latestBuild !== '' && e.buildSid === latestBuild);
  if (running.length === 1) return running[0]?.domainName;
  return environments.length === 1 ? environments[0]?.domainName : undefined;
}

/** A Messaging Service that holds the Twilio number, as Twilio reports it (twilio-node's camelCase names). */
export interface MessagingServiceFacts {
  sid: string;
  friendlyName: string;
  /** True: inbound texts go to the number's own SMS URL (our /sms-reply). False: the service's settings decide. */
  useInboundWebhookOnNumber: boolean;
  inboundRequestUrl: string | null;
}

/**
 * A Messaging Service that holds the number (A2P 10DLC registration puts it in one) handles inbound texts
 * itself unless it defers to the number's webhook (twilio.com/docs/messaging/services/api,
 * use_inbound_webhook_on_number): members' replies would then never reach /sms-reply.
 */
export function messagingServiceProblems(services: readonly MessagingServiceFacts[], domain: string | undefined): string[] {
  // A service that itself sends inbound texts to our /sms-reply works too.
  const ours = (s: MessagingServiceFacts): boolean => domain !== undefined && s.inboundRequestUrl === `https://${domain}${SMS_PATH}`;
  return services.filter((s) => !s.useInboundWebhookOnNumber && !ours(s)).map((s) => {
    const where = s.inboundRequestUrl === null || s.inboundRequestUrl === '' ? 'nowhere' : `to ${s.inboundRequestUrl}`;
    return `Messaging Service ${s.sid} ("${s.friendlyName}") holds the number and takes its incoming texts (they go ${where}), so members' replies never reach /sms-reply. Fix: twilio api:messaging:v1:services:update --sid ${s.sid} --use-inbound-webhook-on-number true (or Console > Messaging > Services > ${s.friendlyName} > Integration > "Defer to sender's webhook").`;
  });
}

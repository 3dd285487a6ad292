/**
 * Configuration: every environment variable Pull Phone reads, checked in one place.
 * A problem names the variable and how to fix it; the functions log it and send callers
 * down the safe path (voicemail) instead of failing.
 */
import { toE164 } from './phone';
import { parseHolidays, parseOpenHours, Window } from './schedule';

export interface Member {
  name: string;
  /** E.164, the one form numbers are compared in. */
  number: string;
}

export interface Keywords {
  accept: string[];
  voicemail: string[];
  status: string[];
  commands: string[];
  pause: string[];
  resume: string[];
  /** Answer a customer's text: `R T0103 message`. */
  reply: string[];
  open: string[];
  closed: string[];
  /** Call a customer back from the team number: `CALL 0101` or `CALL +15125550101` (callback.ts). */
  call: string[];
}

export interface Prompts {
  greeting: string;
  holdOptions: string;
  maxWait: string;
  voicemail: string;
  voicemailThanks: string;
  callbackConfirmation: string;
  unavailable: string;
  closed: string;
}

export interface Config {
  accountSid: string;
  authToken: string;
  twilioNumber: string;
  members: Member[];
  queueName: string;
  keywords: Keywords;
  prompts: Prompts;
  maxWaitSeconds: number;
  ringSeconds: number;
  /** Ring every available member's mobile once a caller has waited this long (QueueTime); undefined: never. */
  ringTeamAfterSeconds: number | undefined;
  voicemailMaxSeconds: number;
  transcribeVoicemail: boolean;
  callerNameLookup: boolean;
  syncServiceSid: string;
  /** Business hours; undefined: open around the clock (also when any of the hours settings cannot be read). */
  openHours: Window[] | undefined;
  /** `YYYY-MM-DD` dates, closed all day. */
  holidays: string[];
  /** Hours settings that could not be read, so the hours are off: shown to members who ask for STATUS. */
  unreadableHours: string[];
  /** When set, team notices go out through this Messaging Service (its sender pool) instead of from twilioNumber. */
  messagingServiceSid?: string;
  /** At most this many texts from one customer number are forwarded to the team in any hour; the rest are kept for STATUS. */
  textForwardLimit: number;
  /** Sent to a customer who texts, at most once a day per customer; '' for none. */
  textAutoReply: string;
  /** Sent instead while the phone is closed (business hours), at most once a day per customer; '' for the usual one. */
  textClosedReply: string;
  /** Texted from the team number to a caller reported missed or asking for a callback (once per call, once a day per number); '' for none. */
  missedCallText: string;
  /** Keys the voicemail links; when unset they are keyed from the auth token. Changing it revokes every link. */
  linkSecret: string | undefined;
  /** How long a voicemail link works, and how long the page's data is kept in Sync. */
  voicemailLinkDays: number;
  /** IANA time zone the team reads times in (voicemail page, business hours). */
  timeZone: string;
}

export interface ConfigProblem {
  variable: string;
  /** Says what is wrong and what to set instead; never contains the secret value itself. */
  message: string;
  /**
   * True for a required value (credentials, the number, the team) that is missing or unusable: the product
   * cannot run, and callers go to voicemail. False for everything else: the value is ignored (its default
   * used, an unreadable member left out), the problem is logged, and nothing else is affected.
   */
  stops: boolean;
}

/** `problems` is every problem found; `ok` is false only when one of them stops the product. */
export type ConfigResult = { ok: true; config: Config; problems: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

export type Env = Record<string, string | undefined>;

/**
 * Words Twilio itself acts on when texted to a long code (opt-out, opt-in, help).
 * Our commands never use them, except YES, which may stay an accept keyword (Twilio then sends its own opt-in reply too).
 */
export const TWILIO_RESERVED_WORDS: readonly string[] = [
  'STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT',
  'START', 'YES', 'UNSTOP', 'HELP', 'INFO',
];

export const DEFAULT_KEYWORDS: Keywords = {
  accept: ['Y', 'YES', 'TAKE'],
  voicemail: ['N', 'NO', 'VM'],
  status: ['STATUS', 'LIST'],
  commands: ['COMMANDS', 'MENU'],
  pause: ['OFF'],
  resume: ['ON'],
  reply: ['R', 'REPLY'],
  open: ['OPEN'],
  closed: ['CLOSED'],
  call: ['CALL'],
};

const KEYWORD_VARIABLES: Record<keyof Keywords, string> = {
  accept: 'ACCEPT_KEYWORDS',
  voicemail: 'VOICEMAIL_KEYWORDS',
  status: 'STATUS_KEYWORDS',
  commands: 'COMMANDS_KEYWORDS',
  pause: 'PAUSE_KEYWORDS',
  resume: 'RESUME_KEYWORDS',
  reply: 'REPLY_KEYWORDS',
  open: 'OPEN_KEYWORDS',
  closed: 'CLOSED_KEYWORDS',
  call: 'CALL_KEYWORDS',
};

export const DEFAULT_PROMPTS: Prompts = {
  greeting: 'Thanks for calling. We are routing your call to the first free member of the team.',
  holdOptions: 'Press 1 at any time to leave a voicemail, or 2 and we will call you back.',
  maxWait: 'Sorry, everyone is busy right now.',
  voicemail: 'Please leave your name, number and a short message after the tone.',
  voicemailThanks: 'Thank you. We have your message and will get back to you soon. Goodbye.',
  callbackConfirmation: 'Thank you. We will call you back as soon as someone is free. Goodbye.',
  unavailable: 'Sorry, we cannot take your call right now.',
  closed: 'Thanks for calling. We are closed right now, but we will get back to you. Please leave a message.',
};

const PROMPT_VARIABLES: Record<keyof Prompts, string> = {
  greeting: 'GREETING',
  holdOptions: 'HOLD_OPTIONS_PROMPT',
  maxWait: 'MAX_WAIT_PROMPT',
  voicemail: 'VOICEMAIL_PROMPT',
  voicemailThanks: 'VOICEMAIL_THANKS_PROMPT',
  callbackConfirmation: 'CALLBACK_PROMPT',
  unavailable: 'UNAVAILABLE_PROMPT',
  closed: 'CLOSED_PROMPT',
};

const DEFAULT_QUEUE_NAME = 'pull-phone';
/** Twilio Sync addresses the account's default service by this name. */
const DEFAULT_SYNC_SERVICE = 'default';
const MAX_PROMPT_LENGTH = 400;

/** The variables without which nothing can work; any other problem only costs its own setting. */
export const REQUIRED_VARIABLES: readonly string[] = ['ACCOUNT_SID', 'AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'TEAM_MEMBERS'];

/**
 * Read and check every variable. Adding an optional setting is one line in the block marked below,
 * with one of the `optional` readers (integer, boolean, text, sid, or `custom` with your own parse):
 * an invalid value then becomes a logged problem and the default, without anything else to write.
 */
export function readConfig(env: Env): ConfigResult {
  const problems: ConfigProblem[] = [];
  const stop: Report = (variable, message) => {
    problems.push({ variable, message, stops: true });
  };
  const ignore: Report = (variable, message) => {
    problems.push({ variable, message, stops: false });
  };
  const get = (variable: string): string => valueOf(env, variable);

  const accountSid = required(get, 'ACCOUNT_SID', stop);
  if (accountSid !== undefined && !/^AC[0-9a-f]{32}$/.test(accountSid)) {
    stop('ACCOUNT_SID', 'must be your Account SID: "AC" followed by 32 hex digits (Twilio Console, Account Info).');
  }
  const authToken = required(get, 'AUTH_TOKEN', stop);
  if (authToken !== undefined && !/^[0-9a-f]{32}$/.test(authToken)) {
    stop('AUTH_TOKEN', 'must be your Auth Token: 32 hex digits (Twilio Console, Account Info).');
  }

  const twilioNumberRaw = required(get, 'TWILIO_PHONE_NUMBER', stop);
  const twilioNumber = toE164(twilioNumberRaw);
  if (twilioNumberRaw !== undefined && twilioNumber === null) {
    stop('TWILIO_PHONE_NUMBER', 'must be your Twilio number in E.164 form, e.g. +15551230000.');
  }

  const members = readMembers(get, twilioNumber, stop, ignore);

  // ---- Optional settings: one line each. ----
  const optional = optionalReaders(get, ignore);
  const queueName = optional.text('QUEUE_NAME', DEFAULT_QUEUE_NAME, 64, 'must be at most 64 characters (a Twilio Queue friendly name).');
  const maxWaitSeconds = optional.integer('MAX_WAIT_SECONDS', 120, 30, 3600);
  const ringSeconds = optional.integer('RING_SECONDS', 20, 5, 60);
  // Off unless set; a value the caller would never live to see (at or past the maximum wait) is a problem, not a silent no-op.
  const ringTeamAfterSeconds = optional.custom<number | undefined>('RING_TEAM_AFTER_SECONDS', undefined, (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 3600) return { problem: 'must be a whole number of seconds from 0 to 3600, or unset for no ring-all escalation.' };
    return value < maxWaitSeconds ? { value } : { problem: `must be less than MAX_WAIT_SECONDS (${maxWaitSeconds}): callers go to voicemail first, so nobody would ever be rung.` };
  });
  const voicemailMaxSeconds = optional.integer('VOICEMAIL_MAX_SECONDS', 120, 10, 3600);
  const transcribeVoicemail = optional.boolean('TRANSCRIBE_VOICEMAIL', false);
  const callerNameLookup = optional.boolean('CALLER_NAME_LOOKUP', false);
  const syncServiceSid = optional.sid('SYNC_SERVICE_SID', 'IS', 'a Sync Service SID', DEFAULT_SYNC_SERVICE);
  const messagingServiceSid = optional.sid('MESSAGING_SERVICE_SID', 'MG', 'a Messaging Service SID', '') || undefined;
  const textForwardLimit = optional.custom<number>('TEXT_FORWARD_LIMIT', 5, (raw) => {
    const value = Number(raw);
    return Number.isInteger(value) && value >= 1 && value <= 100 ? { value } : { problem: 'must be a whole number of texts per hour from 1 to 100.' };
  });
  const textAutoReply = optional.text('TEXT_AUTO_REPLY', '', 320, 'must be at most 320 characters (two SMS segments).');
  const textClosedReply = optional.text('TEXT_CLOSED_REPLY', '', 320, 'must be at most 320 characters (two SMS segments).');
  const missedCallText = optional.text('MISSED_CALL_TEXT', '', 160, 'must be at most 160 characters (one SMS segment).');
  const keywords = readKeywords(get, ignore);
  const prompts = readPrompts(get, ignore);
  // Too short a secret keys nothing: links stay keyed from AUTH_TOKEN (the doctor says so) rather than stopping calls.
  const linkSecret = optional.custom<string | undefined>('LINK_SECRET', undefined, (raw) => (raw.length >= 16
    ? { value: raw }
    : { problem: 'must be at least 16 characters (e.g. `openssl rand -hex 32`), or unset to key links from AUTH_TOKEN.' }));
  const voicemailLinkDays = optional.integer('VOICEMAIL_LINK_DAYS', 30, 1, 365, 'days');
  // TIMEZONE is read with the business hours: an unreadable one also turns the hours off (the phone stays open).
  const hours = readHours(get, ignore);
  // ---- End of optional settings. ----

  if (problems.some((p) => p.stops) || accountSid === undefined || authToken === undefined || twilioNumber === null) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    problems,
    config: {
      accountSid, authToken, twilioNumber, members, queueName, keywords, prompts,
      maxWaitSeconds, ringSeconds, ringTeamAfterSeconds, voicemailMaxSeconds, transcribeVoicemail, callerNameLookup, syncServiceSid,
      textForwardLimit, textAutoReply, textClosedReply, missedCallText,
      linkSecret, voicemailLinkDays, ...hours,
      ...(messagingServiceSid === undefined ? {} : { messagingServiceSid }),
    },
  };
}

type Report = (variable: string, message: string) => void;

/**
 * A value as the person meant it: without a byte-order mark, a carriage return from CRLF line ends,
 * surrounding spaces, or one pair of surrounding quotes (dotenv keeps a closing quote followed by spaces).
 * A BOM at the start of `.env` also glues itself to the first variable's name, so that name is looked up too.
 */
export function valueOf(env: Env, variable: string): string {
  const raw = env[variable] ?? env[`\uFEFF${variable}`] ?? '';
  const value = raw.replace(/^\uFEFF/, '').replace(/\r/g, '').trim();
  const quoted = /^(["'])([\s\S]*)\1$/.exec(value);
  if (quoted !== null) return (quoted[2] ?? '').trim();
  // What dotenv leaves of `X="value"  `: the opening quote gone, the closing one kept.
  const leftover = /^([^"']*)["']$/.exec(value);
  return leftover === null ? value : (leftover[1] ?? '').trim();
}

function required(get: (variable: string) => string, variable: string, stop: Report): string | undefined {
  const value = get(variable);
  if (value === '') {
    stop(variable, 'is not set: copy .env.example to .env and fill it in (deployed: set it in the Twilio environment).');
    return undefined;
  }
  return value;
}

/** Digits of a number shown in a problem, which is logged: only the last four, like maskNumber, and none of a short one. */
function maskDigits(text: string): string {
  const digits = text.replace(/\D/g, '').length;
  return digits > 6 ? text.replace(/\d(?=(?:[^\d]*\d){4})/g, '•') : text.replace(/\d/g, '•');
}

/**
 * `Ann:+15551230001, Bob:+15551230002`, separated by commas, semicolons or new lines, spaces anywhere;
 * a bare number is named by its last four digits. An unreadable entry is named by its position and text and
 * left out; the others still work. Only a team with nobody readable in it stops the product.
 */
function readMembers(get: (variable: string) => string, twilioNumber: string | null, stop: Report, ignore: Report): Member[] {
  const raw = required(get, 'TEAM_MEMBERS', stop);
  if (raw === undefined) return [];
  const members: Member[] = [];
  const entries = raw.split(/[,;\n]/).map((e) => e.trim()).filter((e) => e !== '');
  entries.forEach((entry, index) => {
    const colon = entry.lastIndexOf(':');
    const position = `entry ${index + 1} ("${entry.slice(0, colon + 1)}${maskDigits(entry.slice(colon + 1))}")`;
    // "Ann +1 555…" (no colon) is read as a name followed by a number too.
    const spaced = colon < 0 ? /^(.*?[^\d\s+()-])\s+(\+?[\d\s().-]+)$/.exec(entry) : null;
    const name = (colon >= 0 ? entry.slice(0, colon) : spaced?.[1] ?? '').trim();
    const number = toE164(colon >= 0 ? entry.slice(colon + 1) : spaced?.[2] ?? entry);
    if (number === null) {
      ignore('TEAM_MEMBERS', `${position} is not Name:+E164 (e.g. Ann:+15555550100), so that member is not texted; fix or remove it.`);
      return;
    }
    if (members.some((m) => m.number === number)) {
      ignore('TEAM_MEMBERS', `${position} repeats a number already listed; list each member once.`);
      return;
    }
    if (number === twilioNumber) {
      ignore('TEAM_MEMBERS', `${position} is TWILIO_PHONE_NUMBER itself: the team is texted from that number, so it cannot be a member; remove it.`);
      return;
    }
    members.push({ name: name === '' ? `member ${number.slice(-4)}` : name.slice(0, 20), number });
  });
  if (members.length === 0) {
    stop('TEAM_MEMBERS', entries.length === 0
      ? 'lists nobody: give at least one Name:+E164 entry.'
      : 'has no entry that can be read, so nobody would be told of a call: give at least one Name:+E164 entry.');
  }
  return members;
}

export type BusinessHours = Pick<Config, 'openHours' | 'holidays' | 'timeZone' | 'unreadableHours'>;

/** The hours settings alone, for the doctor, which describes them even when the rest of the configuration is broken. */
export function readBusinessHours(env: Env): { hours: BusinessHours; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const hours = readHours((variable) => valueOf(env, variable), (variable, message) => { problems.push({ variable, message, stops: false }); });
  return { hours, problems };
}

/**
 * OPEN_HOURS, TIMEZONE and HOLIDAYS. Business hours are a team-wide setting: if any of the three cannot be
 * read, the hours are off and the phone stays open around the clock, because a typo must never send every
 * caller to voicemail. Each unreadable value is a problem that stops nothing, naming the part at fault.
 */
function readHours(get: (variable: string) => string, ignore: Report): BusinessHours {
  const unreadable: string[] = [];
  const off = 'so business hours are off and the phone stays open around the clock until it is fixed.';
  const zoneRaw = get('TIMEZONE');
  const zone = zoneRaw === '' ? { value: DEFAULT_TIME_ZONE } : readTimeZone(zoneRaw);
  const timeZone = 'value' in zone ? zone.value : undefined;
  if (timeZone === undefined) {
    unreadable.push('TIMEZONE');
    ignore('TIMEZONE', `"${zoneRaw.slice(0, 40)}" is not an IANA time zone name (e.g. America/Chicago, Europe/London), ${off} Other times are shown in ${DEFAULT_TIME_ZONE}.`);
  }
  const hoursRaw = get('OPEN_HOURS');
  const openHours = hoursRaw === '' ? undefined : parseOpenHours(hoursRaw);
  if (openHours?.ok === false) {
    unreadable.push('OPEN_HOURS');
    ignore('OPEN_HOURS', `cannot be read: ${openHours.error}, ${off} Write e.g. Mon-Fri 09:00-17:00, Sat 10:00-14:00.`);
  }
  const holidays = parseHolidays(get('HOLIDAYS'));
  if (!holidays.ok) {
    unreadable.push('HOLIDAYS');
    ignore('HOLIDAYS', `cannot be read: ${holidays.error}, ${off} Write comma-separated dates, e.g. 2026-12-25,2027-01-01.`);
  }
  if (unreadable.length > 0 || timeZone === undefined || !holidays.ok) {
    return { openHours: undefined, holidays: [], timeZone: timeZone ?? DEFAULT_TIME_ZONE, unreadableHours: unreadable };
  }
  return { openHours: openHours?.ok === true ? openHours.value : undefined, holidays: holidays.value, timeZone, unreadableHours: [] };
}

/** Readers for optional values: an unusable value is reported (not stopping anything) and its default used. */
function optionalReaders(get: (variable: string) => string, ignore: Report) {
  const custom = <T>(variable: string, fallback: T, parse: (raw: string) => { value: T } | { problem: string }): T => {
    const raw = get(variable);
    if (raw === '') return fallback;
    const parsed = parse(raw);
    if ('problem' in parsed) {
      ignore(variable, `${parsed.problem} Using the default (${fallback === '' || fallback === undefined ? 'unset' : String(fallback)}) until it is fixed.`);
      return fallback;
    }
    return parsed.value;
  };
  return {
    custom,
    integer: (variable: string, fallback: number, min: number, max: number, unit = 'seconds'): number => custom<number>(variable, fallback, (raw) => {
      const value = Number(raw);
      return Number.isInteger(value) && value >= min && value <= max
        ? { value }
        : { problem: `must be a whole number of ${unit} from ${min} to ${max}.` };
    }),
    boolean: (variable: string, fallback: boolean): boolean => custom<boolean>(variable, fallback, (raw) => {
      const word = raw.toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(word)) return { value: true };
      if (['false', 'no', '0', 'off'].includes(word)) return { value: false };
      return { problem: 'must be true or false.' };
    }),
    text: (variable: string, fallback: string, maxLength: number, tooLong: string): string =>
      custom<string>(variable, fallback, (raw) => (raw.length <= maxLength ? { value: raw } : { problem: tooLong })),
    /** A Twilio SID with its two-letter prefix; `fallback` when unset ('' for "not used"). */
    sid: (variable: string, prefix: string, what: string, fallback: string): string => custom<string>(variable, fallback, (raw) =>
      new RegExp(`^${prefix}[0-9a-f]{32}$`).test(raw)
        ? { value: raw }
        : { problem: `must be ${what} ("${prefix}" and 32 hex digits), or unset.` }),
  };
}

/**
 * Each list separated by commas, semicolons or spaces. A list with an unusable word falls back to its default.
 * Lists left at their default keep their words; a custom word that another command already uses is dropped.
 */
function readKeywords(get: (variable: string) => string, ignore: Report): Keywords {
  const keywords = { ...DEFAULT_KEYWORDS };
  const kinds = Object.keys(KEYWORD_VARIABLES) as (keyof Keywords)[];
  const custom = new Set<keyof Keywords>();
  for (const kind of kinds) {
    const variable = KEYWORD_VARIABLES[kind];
    const raw = get(variable);
    if (raw === '') continue;
    const words = raw.split(/[,;\s]+/).map((w) => w.toUpperCase()).filter((w) => w !== '');
    const fallback = `Using the default (${DEFAULT_KEYWORDS[kind].join(',')}) until it is fixed.`;
    const reserved = words.find((w) => TWILIO_RESERVED_WORDS.includes(w) && !(kind === 'accept' && w === 'YES'));
    if (words.length === 0) {
      ignore(variable, `is empty: give at least one word. ${fallback}`);
    } else if (words.some((w) => !/^[A-Z]{1,12}$/.test(w))) {
      ignore(variable, `must be a comma-separated list of words of letters only (A-Z, at most 12), e.g. Y,YES. ${fallback}`);
    } else if (reserved !== undefined) {
      ignore(variable, `must not contain ${reserved}: Twilio reserves it for opt-out, opt-in or help. ${fallback}`);
    } else {
      keywords[kind] = words;
      custom.add(kind);
    }
  }
  const owner = new Map<string, string>();
  for (const kind of kinds.filter((k) => !custom.has(k))) {
    for (const word of keywords[kind]) owner.set(word, KEYWORD_VARIABLES[kind]);
  }
  for (const kind of kinds.filter((k) => custom.has(k))) {
    const variable = KEYWORD_VARIABLES[kind];
    const kept: string[] = [];
    for (const word of keywords[kind]) {
      const other = owner.get(word);
      if (other !== undefined && other !== variable) {
        ignore(variable, `repeats ${word}, already in ${other}; a word can mean one command only, so ${word} is left out of ${variable}.`);
      } else {
        kept.push(word);
        owner.set(word, variable);
      }
    }
    if (kept.length === 0) {
      kept.push(...DEFAULT_KEYWORDS[kind].filter((w) => !owner.has(w)));
      for (const word of kept) owner.set(word, variable);
    }
    keywords[kind] = kept;
  }
  return keywords;
}

function readPrompts(get: (variable: string) => string, ignore: Report): Prompts {
  const prompts = { ...DEFAULT_PROMPTS };
  for (const key of Object.keys(PROMPT_VARIABLES) as (keyof Prompts)[]) {
    const variable = PROMPT_VARIABLES[key];
    const raw = get(variable);
    if (raw === '') continue;
    if (raw.length > MAX_PROMPT_LENGTH) {
      ignore(variable, `is ${raw.length} characters; keep prompts under ${MAX_PROMPT_LENGTH} so callers are not kept listening. Using the default until it is fixed.`);
      continue;
    }
    prompts[key] = raw;
  }
  return prompts;
}

export const DEFAULT_TIME_ZONE = 'UTC';

/** An IANA name, in the spelling Intl resolves it to; the runtime's time zone data handles daylight saving. */
function readTimeZone(raw: string): { value: string } | { problem: string } {
  try {
    return { value: new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone };
  } catch {
    return { problem: 'must be an IANA time zone name such as America/New_York or Europe/Berlin.' };
  }
}

/**
 * Configuration: every environment variable Pull Phone reads, checked in one place.
 * A problem names the variable and how to fix it; the functions log it and send callers
 * down the safe path (voicemail) instead of failing.
 */
import { toE164 } from './phone';
import { isTimeZone, parseHolidays, parseOpenHours, Window } from './schedule';

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
  open: string[];
  closed: string[];
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
  voicemailMaxSeconds: number;
  transcribeVoicemail: boolean;
  callerNameLookup: boolean;
  syncServiceSid: string;
  /** Business hours; undefined: open around the clock (also when any of the hours settings cannot be read). */
  openHours: Window[] | undefined;
  /** `YYYY-MM-DD` dates, closed all day. */
  holidays: string[];
  /** IANA name the hours and holidays are read in. */
  timeZone: string;
  /** Hours settings that could not be read, so the hours are off: shown to members who ask for STATUS. */
  unreadableHours: string[];
}

export interface ConfigProblem {
  variable: string;
  /** Says what is wrong and what to set instead; never contains the secret value itself. */
  message: string;
}

/** Warnings are values that could not be read and were replaced by a safe default: the product still works. */
export type ConfigResult = { ok: true; config: Config; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

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
  open: ['OPEN'],
  closed: ['CLOSED'],
};

const KEYWORD_VARIABLES: Record<keyof Keywords, string> = {
  accept: 'ACCEPT_KEYWORDS',
  voicemail: 'VOICEMAIL_KEYWORDS',
  status: 'STATUS_KEYWORDS',
  commands: 'COMMANDS_KEYWORDS',
  pause: 'PAUSE_KEYWORDS',
  resume: 'RESUME_KEYWORDS',
  open: 'OPEN_KEYWORDS',
  closed: 'CLOSED_KEYWORDS',
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
const DEFAULT_TIME_ZONE = 'UTC';
const MAX_PROMPT_LENGTH = 400;

export function readConfig(env: Env): ConfigResult {
  const problems: ConfigProblem[] = [];
  const problem = (variable: string, message: string): void => {
    problems.push({ variable, message });
  };
  const warnings: ConfigProblem[] = [];
  const warning = (variable: string, message: string): void => {
    warnings.push({ variable, message });
  };

  const accountSid = required(env, 'ACCOUNT_SID', problem);
  if (accountSid !== undefined && !/^AC[0-9a-f]{32}$/.test(accountSid)) {
    problem('ACCOUNT_SID', 'must be your Account SID: "AC" followed by 32 hex digits (Twilio Console, Account Info).');
  }
  const authToken = required(env, 'AUTH_TOKEN', problem);
  if (authToken !== undefined && !/^[0-9a-f]{32}$/.test(authToken)) {
    problem('AUTH_TOKEN', 'must be your Auth Token: 32 hex digits (Twilio Console, Account Info).');
  }

  const twilioNumberRaw = required(env, 'TWILIO_PHONE_NUMBER', problem);
  const twilioNumber = toE164(twilioNumberRaw);
  if (twilioNumberRaw !== undefined && twilioNumber === null) {
    problem('TWILIO_PHONE_NUMBER', 'must be your Twilio number in E.164 form, e.g. +15551230000.');
  }

  const members = readMembers(env, problem);
  if (twilioNumber !== null && members.some((m) => m.number === twilioNumber)) {
    problem('TEAM_MEMBERS', 'must not include TWILIO_PHONE_NUMBER: the team is texted from that number.');
  }

  const queueName = (env.QUEUE_NAME ?? '').trim() || DEFAULT_QUEUE_NAME;
  if (queueName.length > 64) problem('QUEUE_NAME', 'must be at most 64 characters (a Twilio Queue friendly name).');

  const keywords = readKeywords(env, problem);
  const prompts = readPrompts(env, problem);

  const maxWaitSeconds = readInteger(env, 'MAX_WAIT_SECONDS', 120, 30, 3600, problem);
  const ringSeconds = readInteger(env, 'RING_SECONDS', 20, 5, 60, problem);
  const voicemailMaxSeconds = readInteger(env, 'VOICEMAIL_MAX_SECONDS', 120, 10, 3600, problem);
  const transcribeVoicemail = readBoolean(env, 'TRANSCRIBE_VOICEMAIL', false, problem);
  const callerNameLookup = readBoolean(env, 'CALLER_NAME_LOOKUP', false, problem);
  const syncServiceSid = (env.SYNC_SERVICE_SID ?? '').trim() || DEFAULT_SYNC_SERVICE;
  if (syncServiceSid !== DEFAULT_SYNC_SERVICE && !/^IS[0-9a-f]{32}$/.test(syncServiceSid)) {
    problem('SYNC_SERVICE_SID', 'must be a Sync Service SID ("IS" and 32 hex digits), or unset to use the default service.');
  }
  const hours = readHours(env, warning);

  if (problems.length > 0 || accountSid === undefined || authToken === undefined || twilioNumber === null) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    config: {
      accountSid, authToken, twilioNumber, members, queueName, keywords, prompts,
      maxWaitSeconds, ringSeconds, voicemailMaxSeconds, transcribeVoicemail, callerNameLookup, syncServiceSid, ...hours,
    },
    warnings,
  };
}

type Report = (variable: string, message: string) => void;

function required(env: Env, variable: string, problem: Report): string | undefined {
  const value = (env[variable] ?? '').trim();
  if (value === '') {
    problem(variable, 'is not set: copy .env.example to .env and fill it in (deployed: set it in the Twilio environment).');
    return undefined;
  }
  return value;
}

/** `Ann:+15551230001, Bob:+15551230002` or bare numbers; a bare number is named by its last four digits. */
function readMembers(env: Env, problem: Report): Member[] {
  const raw = required(env, 'TEAM_MEMBERS', problem);
  if (raw === undefined) return [];
  const members: Member[] = [];
  let entryProblems = 0;
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const colon = entry.lastIndexOf(':');
    const name = colon >= 0 ? entry.slice(0, colon).trim() : '';
    const number = toE164(colon >= 0 ? entry.slice(colon + 1) : entry);
    if (number === null) {
      entryProblems += 1;
      problem('TEAM_MEMBERS', `entry ${members.length + entryProblems} is not Name:+E164 (e.g. Ann:+15555550100); fix or remove it.`);
      continue;
    }
    if (members.some((m) => m.number === number)) {
      entryProblems += 1;
      problem('TEAM_MEMBERS', `entry ${members.length + entryProblems} repeats a number already listed; list each member once.`);
      continue;
    }
    members.push({ name: name === '' ? `member ${number.slice(-4)}` : name.slice(0, 20), number });
  }
  if (members.length === 0 && entryProblems === 0) {
    problem('TEAM_MEMBERS', 'lists nobody: give at least one Name:+E164 entry.');
  }
  return members;
}

export type BusinessHours = Pick<Config, 'openHours' | 'holidays' | 'timeZone' | 'unreadableHours'>;

/** The hours settings alone, for the doctor, which describes them even when the rest of the configuration is broken. */
export function readBusinessHours(env: Env): { hours: BusinessHours; warnings: ConfigProblem[] } {
  const warnings: ConfigProblem[] = [];
  const hours = readHours(env, (variable, message) => { warnings.push({ variable, message }); });
  return { hours, warnings };
}

/**
 * OPEN_HOURS, TIMEZONE and HOLIDAYS. Business hours are a team-wide setting: if any of the three cannot be
 * read, the hours are off and the phone stays open around the clock, because a typo must never send every
 * caller to voicemail. Each unreadable value is a warning naming the part at fault.
 */
function readHours(env: Env, warning: Report): BusinessHours {
  const unreadable: string[] = [];
  const off = 'so business hours are off and the phone stays open around the clock until it is fixed.';
  const zoneRaw = (env.TIMEZONE ?? '').trim();
  const timeZone = zoneRaw === '' || isTimeZone(zoneRaw) ? zoneRaw || DEFAULT_TIME_ZONE : undefined;
  if (timeZone === undefined) {
    unreadable.push('TIMEZONE');
    warning('TIMEZONE', `"${zoneRaw.slice(0, 40)}" is not an IANA time zone name (e.g. America/Chicago, Europe/London), ${off}`);
  }
  const hoursRaw = (env.OPEN_HOURS ?? '').trim();
  const openHours = hoursRaw === '' ? undefined : parseOpenHours(hoursRaw);
  if (openHours?.ok === false) {
    unreadable.push('OPEN_HOURS');
    warning('OPEN_HOURS', `cannot be read: ${openHours.error}, ${off} Write e.g. Mon-Fri 09:00-17:00, Sat 10:00-14:00.`);
  }
  const holidays = parseHolidays(env.HOLIDAYS ?? '');
  if (!holidays.ok) {
    unreadable.push('HOLIDAYS');
    warning('HOLIDAYS', `cannot be read: ${holidays.error}, ${off} Write comma-separated dates, e.g. 2026-12-25,2027-01-01.`);
  }
  if (unreadable.length > 0 || timeZone === undefined || !holidays.ok) {
    return { openHours: undefined, holidays: [], timeZone: timeZone ?? DEFAULT_TIME_ZONE, unreadableHours: unreadable };
  }
  return { openHours: openHours?.ok === true ? openHours.value : undefined, holidays: holidays.value, timeZone, unreadableHours: [] };
}

function readKeywords(env: Env, problem: Report): Keywords {
  const keywords = { ...DEFAULT_KEYWORDS };
  const owner = new Map<string, string>();
  for (const kind of Object.keys(KEYWORD_VARIABLES) as (keyof Keywords)[]) {
    const variable = KEYWORD_VARIABLES[kind];
    const raw = env[variable];
    if (raw !== undefined && raw.trim() !== '') {
      const words = raw.split(',').map((w) => w.trim().toUpperCase()).filter((w) => w !== '');
      const bad = words.filter((w) => !/^[A-Z]{1,12}$/.test(w));
      if (bad.length > 0) {
        problem(variable, 'must be a comma-separated list of words of letters only (A-Z, at most 12), e.g. Y,YES.');
      }
      keywords[kind] = words.filter((w) => !bad.includes(w));
    }
    for (const word of keywords[kind]) {
      if (TWILIO_RESERVED_WORDS.includes(word) && !(kind === 'accept' && word === 'YES')) {
        problem(variable, `must not contain ${word}: Twilio reserves it for opt-out, opt-in or help.`);
      }
      const other = owner.get(word);
      if (other !== undefined && other !== variable) {
        problem(variable, `repeats ${word}, already in ${other}; a word can mean one command only.`);
      }
      owner.set(word, variable);
    }
    if (keywords[kind].length === 0) problem(variable, 'is empty: give at least one word.');
  }
  return keywords;
}

function readPrompts(env: Env, problem: Report): Prompts {
  const prompts = { ...DEFAULT_PROMPTS };
  for (const key of Object.keys(PROMPT_VARIABLES) as (keyof Prompts)[]) {
    const variable = PROMPT_VARIABLES[key];
    const raw = (env[variable] ?? '').trim();
    if (raw === '') continue;
    if (raw.length > MAX_PROMPT_LENGTH) {
      problem(variable, `is ${raw.length} characters; keep prompts under ${MAX_PROMPT_LENGTH} so callers are not kept listening.`);
      continue;
    }
    prompts[key] = raw;
  }
  return prompts;
}

function readInteger(env: Env, variable: string, fallback: number, min: number, max: number, problem: Report): number {
  const raw = (env[variable] ?? '').trim();
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problem(variable, `must be a whole number of seconds from ${min} to ${max} (default ${fallback}).`);
    return fallback;
  }
  return value;
}

function readBoolean(env: Env, variable: string, fallback: boolean, problem: Report): boolean {
  const raw = (env[variable] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(raw)) return true;
  if (['false', 'no', '0', 'off'].includes(raw)) return false;
  problem(variable, `must be true or false (default ${fallback}).`);
  return fallback;
}

/**
 * The pre-deploy check (`npm run doctor`): everything that would make a deployed Pull Phone
 * misbehave and can be seen from this machine. Pure: the file-system and git facts are gathered
 * by tools/doctor.ts and passed in, so every finding is tested on crafted input.
 * Findings never quote a secret or a member's number; each says what to change.
 */
import { Config, DEFAULT_KEYWORDS, Env, readBusinessHours, readConfig, REQUIRED_VARIABLES, valueOf } from './config';
import { maskForDisplay, toE164 } from './phone';
import { describeSchedule } from './schedule';
import { TRANSCRIBABLE } from './voicemail';
import { PUBLIC_FUNCTION_FILES } from './voicemail-page';

export type Level = 'error' | 'warning';

export interface Finding {
  level: Level;
  /** The variable or file the finding is about. */
  subject: string;
  message: string;
}

export interface DotenvFile {
  values: Record<string, string>;
  /** 1-based numbers of lines that are neither blank, a comment nor KEY=value: twilio-run skips them. */
  ignoredLines: number[];
}

export interface ProjectFacts {
  /** `.env` as twilio-run reads it; undefined when there is none. */
  dotenv: DotenvFile | undefined;
  /** Names of the sources in functions/ (e.g. incoming-call.protected.ts). */
  sources: string[];
  /** assets/hold-music.wav exists. */
  musicAsset: boolean;
  /** What `npm run build` left in dist/; undefined when there is no dist/. */
  build: { functions: string[]; musicAsset: boolean } | undefined;
  /** `git ls-files .env` lists it; undefined when git could not say (no git, not a repository). */
  envTracked: boolean | undefined;
  /** `git check-ignore .env` matches; undefined when git could not say. */
  envIgnored: boolean | undefined;
  /** package.json parsed; undefined when missing or not JSON. */
  packageJson: unknown;
  /** `.env.example`'s values (the placeholders a copied file starts with); undefined when there is none. */
  example?: Record<string, string> | undefined;
}

export const MUSIC_ASSET = 'hold-music.wav';

/** Without these the deployed functions answer every caller with the apology and voicemail. */
const REQUIRED = new Set(REQUIRED_VARIABLES);
const TRUE_WORDS = new Set(['true', 'yes', '1', 'on']);

/**
 * Parse `.env` exactly as twilio-run deploy does (its dotenv 6: KEY=value per line, one pair of
 * surrounding quotes removed, \n expanded inside double quotes, no `export`, no inline comments),
 * so what the doctor checks is what gets uploaded.
 */
export function parseDotenv(text: string): DotenvFile {
  const values: Record<string, string> = {};
  const ignoredLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/.exec(line);
    if (match === null) {
      if (line.trim() !== '' && !line.trim().startsWith('#')) ignoredLines.push(index + 1);
      return;
    }
    let value = match[2] ?? '';
    if (value.length > 0 && value.startsWith('"') && value.endsWith('"')) value = value.replace(/\\n/gm, '\n');
    values[match[1] ?? ''] = value.replace(/(^['"]|['"]$)/g, '').trim();
  });
  return { values, ignoredLines };
}

/** The environment the deployed functions will see: `.env` over the shell, as twilio-run start -f does. */
export function effectiveEnv(shell: Env, dotenv: DotenvFile | undefined): Env {
  return { ...shell, ...(dotenv?.values ?? {}) };
}

export function diagnose(shell: Env, facts: ProjectFacts): Finding[] {
  const findings: Finding[] = [];
  const add = (level: Level, subject: string, message: string): void => {
    findings.push({ level, subject, message });
  };
  const env = effectiveEnv(shell, facts.dotenv);

  const result = readConfig(env);
  // Every problem, also those that stop nothing at run time: an unreadable OPEN_HOURS, say, leaves the phone
  // open around the clock, which is not what was meant, so it is fixed before deploying.
  for (const p of result.problems) add('error', p.variable, p.message);

  checkPlaceholders(env, facts.example, new Set(result.problems.map((p) => p.variable)), add);
  checkNames(facts.dotenv, add);
  checkDotenv(shell, facts.dotenv, add);
  checkKeywords(env, add);
  checkTranscription(env, add);
  checkFiles(facts, add);
  checkPackage(facts.packageJson, add);
  return findings;
}

type Add = (level: Level, subject: string, message: string) => void;

function checkDotenv(shell: Env, dotenv: DotenvFile | undefined, add: Add): void {
  if (dotenv === undefined) {
    add('error', '.env', 'is missing: twilio-run deploy takes the credentials and every setting from .env only (variables in your shell are not uploaded). Copy .env.example to .env and fill it in.');
    return;
  }
  for (const line of dotenv.ignoredLines) {
    add('warning', '.env', `line ${line} is not KEY=value and is ignored by twilio-run deploy (no "export", no spaces in names); fix or delete it.`);
  }
  for (const [variable, value] of Object.entries(dotenv.values)) {
    // dotenv 6 strips a closing quote only at the very end of the line: `X="a b"  ` keeps `a b"`.
    if (/^["']|["']$/.test(value)) {
      add('warning', variable, 'in .env has a stray quote in its value, as twilio-run deploy reads it: remove the spaces after the closing quote, or the quotes.');
    }
  }
  for (const variable of configVariables()) {
    const inFile = (dotenv.values[variable] ?? '').trim() !== '';
    const inShell = (shell[variable] ?? '').trim() !== '';
    if (inShell && !inFile) {
      add(REQUIRED.has(variable) ? 'error' : 'warning', variable,
        'is set in your shell but not in .env: twilio-run deploy uploads only .env, so the deployed functions will not see it. Put it in .env.');
    }
  }
}

/** Every variable readConfig looks at, learned by watching it read, so this list never drifts from config.ts. */
function configVariables(): string[] {
  const seen = new Set<string>();
  const watcher = new Proxy<Env>({}, {
    get: (_target, key) => {
      // valueOf also looks for the name with a BOM glued to it; that is not another variable.
      if (typeof key === 'string' && !key.startsWith('\uFEFF')) seen.add(key);
      return undefined;
    },
  });
  readConfig(watcher);
  return [...seen];
}

/** Values still as `.env.example` has them: well-formed, so only a comparison with the example catches them. */
function checkPlaceholders(env: Env, example: Record<string, string> | undefined, flagged: ReadonlySet<string>, add: Add): void {
  if (example === undefined) return;
  // A placeholder that is malformed anyway (ACxxxx…) is already an error; say it once.
  for (const variable of ['ACCOUNT_SID', 'AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'].filter((v) => !flagged.has(v))) {
    const value = valueOf(env, variable);
    if (value !== '' && value === valueOf(example, variable)) {
      add('error', variable, 'is still the placeholder from .env.example: put your own value in .env (Console > Account Info; your number under Phone Numbers).');
    }
  }
  const placeholders = new Set(valueOf(example, 'TEAM_MEMBERS').split(/[,;\n]/).map((e) => toE164(e.slice(e.lastIndexOf(':') + 1))).filter((n) => n !== null));
  valueOf(env, 'TEAM_MEMBERS').split(/[,;\n]/).map((e) => e.trim()).filter((e) => e !== '').forEach((entry, i) => {
    const number = toE164(entry.slice(entry.lastIndexOf(':') + 1));
    if (number !== null && placeholders.has(number)) {
      add('error', 'TEAM_MEMBERS', `entry ${i + 1} (${maskForDisplay(number)}) is a placeholder number from .env.example: put the member's real mobile number.`);
    }
  });
}

/** How many single-character edits turn one name into the other. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** A name in .env that Pull Phone does not read but nearly matches one it does (TEAM_MEMBER, MAX_WAIT): a typo. */
function checkNames(dotenv: DotenvFile | undefined, add: Add): void {
  if (dotenv === undefined) return;
  const known = configVariables();
  for (const name of Object.keys(dotenv.values)) {
    const clean = name.replace(/^\uFEFF/, '');
    if (known.includes(clean)) continue;
    const upper = clean.toUpperCase();
    const near = known.find((k) => k === upper || distance(upper, k) <= 2 || (k.startsWith(upper) && upper.length >= 6) || (upper.startsWith(k) && k.length >= 6));
    if (near !== undefined) {
      add('warning', clean, `is not a Pull Phone setting and is ignored: did you mean ${near}? Rename it in .env.`);
    }
  }
}

function checkKeywords(env: Env, add: Add): void {
  const raw = env.ACCEPT_KEYWORDS ?? '';
  const accept = raw.trim() === '' ? DEFAULT_KEYWORDS.accept : raw.split(',').map((w) => w.trim().toUpperCase());
  if (accept.includes('YES')) {
    add('warning', 'ACCEPT_KEYWORDS',
      `includes YES${raw.trim() === '' ? ' (the default)' : ''}, which is also Twilio's opt-in word: a member who replies YES also gets Twilio's own re-subscribed confirmation text. Harmless; to avoid it set ACCEPT_KEYWORDS=${accept.filter((w) => w !== 'YES').join(',') || 'Y'}.`);
  }
}

function checkTranscription(env: Env, add: Add): void {
  if (!TRUE_WORDS.has((env.TRANSCRIBE_VOICEMAIL ?? '').trim().toLowerCase())) return;
  // A malformed value is readConfig's finding.
  const maxSeconds = Number((env.VOICEMAIL_MAX_SECONDS ?? '').trim() || '120');
  const longer = Number.isInteger(maxSeconds) && maxSeconds >= TRANSCRIBABLE.belowSeconds
    ? ` VOICEMAIL_MAX_SECONDS is ${maxSeconds}: messages of ${TRANSCRIBABLE.belowSeconds} s or more get no transcript on their page.`
    : '';
  add('warning', 'TRANSCRIBE_VOICEMAIL',
    `is on: Twilio's transcription understands US English only (other languages come out as nonsense), is billed per recording, and covers messages longer than ${TRANSCRIBABLE.aboveSeconds} s and shorter than ${TRANSCRIBABLE.belowSeconds} s.${longer} Set it to false if your callers do not speak English.`);
}

function checkFiles(facts: ProjectFacts, add: Add): void {
  if (!facts.musicAsset) {
    add('error', `assets/${MUSIC_ASSET}`, 'is missing, so waiting callers would hear silence: restore it (git checkout assets/hold-music.wav) or make it again with node scripts/make-hold-music.mjs.');
  }
  if (facts.build === undefined) {
    add('error', 'dist/', 'is missing: run npm run build (npm run deploy does), since twilio-run deploys dist/functions and dist/assets.');
  } else {
    if (facts.musicAsset && !facts.build.musicAsset) {
      add('error', `dist/assets/${MUSIC_ASSET}`, 'is missing from the build: run npm run build again.');
    }
    for (const source of facts.sources) {
      const built = source.replace(/\.ts$/, '.js');
      if (!facts.build.functions.includes(built)) add('error', `dist/functions/${built}`, `is missing (functions/${source} was not built): run npm run build and fix what it reports.`);
    }
    for (const file of facts.build.functions) {
      if (!/\.(protected|private)\.js$/.test(file) && !PUBLIC_FUNCTION_FILES.includes(file)) {
        add('error', `dist/functions/${file}`, 'would be public: anyone could call it without Twilio\'s signature. Name its source *.protected.ts.');
      }
    }
  }
  if (facts.envTracked === true) {
    add('error', '.env', 'is tracked by git, so your Auth Token is in the repository: run git rm --cached .env, commit, and rotate the Auth Token in the Twilio Console (it stays in the history).');
  } else if (facts.envIgnored === false && facts.dotenv !== undefined) {
    add('warning', '.env', 'is not ignored by git: add a line .env to .gitignore so the Auth Token is never committed.');
  }
}

function checkPackage(packageJson: unknown, add: Add): void {
  if (typeof packageJson !== 'object' || packageJson === null) {
    add('error', 'package.json', 'is missing or not valid JSON.');
    return;
  }
  const dependencies = (packageJson as { dependencies?: unknown }).dependencies;
  const deps: Record<string, unknown> = typeof dependencies === 'object' && dependencies !== null ? dependencies as Record<string, unknown> : {};
  const handler = deps['@twilio/runtime-handler'];
  if (typeof handler !== 'string') {
    add('error', 'package.json', 'has no @twilio/runtime-handler in "dependencies": add it at an exact version, e.g. "@twilio/runtime-handler": "2.0.3" (only dependencies are installed by Twilio).');
  } else if (!/^\d+\.\d+\.\d+$/.test(handler)) {
    add('error', 'package.json', `pins @twilio/runtime-handler as "${handler}": Twilio needs an exact version, e.g. "2.0.3".`);
  }
  if (typeof deps.twilio !== 'string') {
    add('error', 'package.json', 'has no twilio in "dependencies": the functions load it at run time and Twilio installs only dependencies. Move it from devDependencies.');
  }
}

/**
 * The business hours as the deployed functions will understand them, at `now`:
 * "Business hours: open now, until 17:00 America/Chicago; next holiday 2026-12-25".
 * A member's OPEN/CLOSED lives in Sync and is not seen from here.
 */
export function scheduleLine(env: Env, now: number): string {
  const { hours } = readBusinessHours(env);
  if (hours.unreadableHours.length > 0) {
    return `Business hours: off, open around the clock (${hours.unreadableHours.join(', ')} cannot be read: see below).`;
  }
  if (hours.openHours === undefined && hours.holidays.length === 0) return 'Business hours: none set (OPEN_HOURS), open around the clock.';
  return `Business hours: ${describeSchedule({ windows: hours.openHours, holidays: hours.holidays, timeZone: hours.timeZone }, now)}.`;
}

/** The doctor's report: one finding a paragraph, wrapped to the terminal, then a verdict. */
export function formatFindings(findings: readonly Finding[], width = 100): string[] {
  const errors = findings.filter((f) => f.level === 'error');
  const warnings = findings.filter((f) => f.level === 'warning');
  const lines = [...errors, ...warnings].flatMap((f) => wrap(`${f.level === 'error' ? 'ERROR  ' : 'WARNING'} ${f.subject} ${f.message}`, width, '        '));
  if (findings.length === 0) return ['All checks passed.'];
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push('');
  lines.push(errors.length > 0
    ? `${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}: fix the errors, then run npm run doctor again.`
    : `No errors; ${count(warnings.length, 'warning')} worth reading. Ready to deploy.`);
  return lines;
}

/** Break text at spaces so no line is wider than `width`; continuation lines start with `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  const lead = /^ */.exec(text)?.[0] ?? '';
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = line === lead ? `${lead}${word}` : `${line} ${word}`;
    if (candidate.length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}

function clipForDisplay(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}

/** The configuration as Pull Phone understood it: who is texted, what callers hear and when. Numbers masked. */
export function describeConfig(config: Config, width = 100): string[] {
  const seconds = (n: number): string => `${n} s`;
  const onOff = (on: boolean): string => (on ? 'on' : 'off');
  const rows: [string, string][] = [
    ['Number', maskForDisplay(config.twilioNumber)],
    [`Team (${config.members.length})`, config.members.map((m) => `${m.name} ${maskForDisplay(m.number)}`).join(', ')],
    ['Queue', config.queueName],
    ['Timings', `callers wait up to ${seconds(config.maxWaitSeconds)}, mobiles ring ${seconds(config.ringSeconds)}, voicemail up to ${seconds(config.voicemailMaxSeconds)}`],
    ['Ring-all', config.ringTeamAfterSeconds === undefined
      ? 'off (RING_TEAM_AFTER_SECONDS unset)'
      : `every available member's mobile rings once a caller has waited ${seconds(config.ringTeamAfterSeconds)} (checked each hold loop, so up to about 50 s later); first to press 1 takes the caller`],
    ['Options', `transcription ${onOff(config.transcribeVoicemail)}, caller-name lookup ${onOff(config.callerNameLookup)}, Sync service ${config.syncServiceSid}`],
    ['Team texts', config.messagingServiceSid === undefined ? 'from the number' : `through Messaging Service ${config.messagingServiceSid}`],
    ['Replies', `take ${config.keywords.accept.join('/')}, voicemail ${config.keywords.voicemail.join('/')}, list ${config.keywords.status.join('/')}, `
      + `help ${config.keywords.commands.join('/')}, pause ${config.keywords.pause.join('/')}, resume ${config.keywords.resume.join('/')}, `
      + `open ${config.keywords.open.join('/')}, close ${config.keywords.closed.join('/')}, answer a customer ${config.keywords.reply.join('/')}, `
      + `call back ${config.keywords.call.join('/')}`],
    ['Callbacks', `from the team number; missed-call text to callers ${config.missedCallText === '' ? 'off' : `"${clipForDisplay(config.missedCallText)}"`}`],
    ['Customers', `texts forwarded to the team, at most ${config.textForwardLimit} an hour from each; `
      + `auto-reply ${config.textAutoReply === '' ? 'off' : `"${clipForDisplay(config.textAutoReply)}"`}`],
  ];
  return rows.flatMap(([label, value]) => wrap(`  ${label.padEnd(11)} ${value}`, width, ' '.repeat(14)));
}

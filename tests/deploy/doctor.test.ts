/** npm run doctor: each finding on crafted configuration and project facts, and the report it prints. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { diagnose, Finding, formatFindings, parseDotenv, ProjectFacts, scheduleLine } from '../../src/doctor';
import { DoctorOptions, runDoctor } from '../../tools/doctor';
import { ANN, ENV, TWILIO_NUMBER } from '../support/harness';

/** A project ready to deploy; ACCEPT_KEYWORDS without YES so it has no warning either. */
const GOOD_ENV: Record<string, string> = { ...ENV, ACCEPT_KEYWORDS: 'Y,TAKE' };
function facts(change: Partial<ProjectFacts> = {}, dotenv: Record<string, string> = GOOD_ENV): ProjectFacts {
  return {
    dotenv: { values: dotenv, ignoredLines: [] },
    sources: ['incoming-call.protected.ts', 'sms-reply.protected.ts'],
    musicAsset: true,
    build: { functions: ['incoming-call.protected.js', 'sms-reply.protected.js'], musicAsset: true },
    envTracked: false,
    envIgnored: true,
    packageJson: { dependencies: { '@twilio/runtime-handler': '2.0.3', twilio: '6.2.0' }, devDependencies: { 'twilio-run': '5.0.1' } },
    ...change,
  };
}

/** The single finding a change causes (the rest of the project being fine). */
function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0] as Finding;
}

it('a project ready to deploy: no findings, and the report says all checks passed', () => {
  expect(diagnose({}, facts())).toEqual([]);
  expect(formatFindings([])).toEqual(['All checks passed.']);
});

describe('configuration (what readConfig checks), as deploy will upload it from .env', () => {
  it.each([
    ['a missing Account SID', { ACCOUNT_SID: '' }, 'ACCOUNT_SID', /is not set/],
    ['a malformed Account SID', { ACCOUNT_SID: 'AC123' }, 'ACCOUNT_SID', /"AC" followed by 32 hex digits/],
    ['a malformed Auth Token', { AUTH_TOKEN: 'not-the-token-format' }, 'AUTH_TOKEN', /32 hex digits/],
    ['a Twilio number not in E.164', { TWILIO_PHONE_NUMBER: '555-0000' }, 'TWILIO_PHONE_NUMBER', /E\.164/],
    ['a member number not in E.164', { TEAM_MEMBERS: `Ann:5551230001,Bob:${ANN.number}` }, 'TEAM_MEMBERS', /entry 1 \("Ann:••••••0001"\) is not Name:\+E164/],
    ['a member listed twice', { TEAM_MEMBERS: `Ann:${ANN.number},Annie:${ANN.number}` }, 'TEAM_MEMBERS', /repeats a number/],
    ['the Twilio number among the members', { TEAM_MEMBERS: `Ann:${ANN.number},Desk:${TWILIO_NUMBER}` }, 'TEAM_MEMBERS', /entry 2 \(.*\) is TWILIO_PHONE_NUMBER itself/],
    ['one word for two commands', { STATUS_KEYWORDS: 'STATUS,Y' }, 'STATUS_KEYWORDS', /repeats Y, already in ACCEPT_KEYWORDS/],
    ['a Twilio reserved word', { PAUSE_KEYWORDS: 'STOP' }, 'PAUSE_KEYWORDS', /Twilio reserves it/],
  ])('%s is an error naming the variable and the fix', (_what, change, variable, message) => {
    const finding = only(diagnose({}, facts({}, { ...GOOD_ENV, ...change })));
    expect(finding).toMatchObject({ level: 'error', subject: variable });
    expect(finding.message).toMatch(message);
  });

  it('never quotes the secret or a member\'s number back', () => {
    const secret = 'hunter2hunter2hunter2';
    const members = ['+16175550111', '+16175550122'];
    const findings = diagnose({}, facts({}, { ...GOOD_ENV, AUTH_TOKEN: secret, TEAM_MEMBERS: `A:${members[0] ?? ''},B:${members[0] ?? ''},C:${members[1] ?? ''},D:+44 20` }));
    const report = formatFindings(findings).join('\n');
    expect(report).toContain('AUTH_TOKEN');
    expect(report).toMatch(/TEAM_MEMBERS entry 2 \(.*\) repeats/);
    expect(report).toMatch(/TEAM_MEMBERS entry 4 \(.*\) is not/);
    for (const leaked of [secret, ...members, '+44 20', '+4420']) expect(report).not.toContain(leaked);
  });

  it('.env wins over the shell, because .env is what gets deployed', () => {
    expect(diagnose({ AUTH_TOKEN: 'shell-value' }, facts())).toEqual([]);
    expect(only(diagnose({ AUTH_TOKEN: 'f'.repeat(32) }, facts({}, { ...GOOD_ENV, AUTH_TOKEN: 'bad' }))).subject).toBe('AUTH_TOKEN');
  });

  it('no .env is an error, even when the shell has every variable', () => {
    const finding = only(diagnose(GOOD_ENV, facts({ dotenv: undefined })));
    expect(finding).toMatchObject({ level: 'error', subject: '.env' });
    expect(finding.message).toMatch(/Copy \.env\.example to \.env/);
  });

  it('a required variable only in the shell is an error; an optional one a warning', () => {
    const { TEAM_MEMBERS: members = '', ...rest } = GOOD_ENV;
    const required = only(diagnose({ TEAM_MEMBERS: members }, facts({}, rest)));
    expect(required).toMatchObject({ level: 'error', subject: 'TEAM_MEMBERS' });
    expect(required.message).toMatch(/set in your shell but not in \.env.*Put it in \.env/);
    expect(only(diagnose({ MAX_WAIT_SECONDS: '300' }, facts()))).toMatchObject({ level: 'warning', subject: 'MAX_WAIT_SECONDS' });
    // Shell variables Pull Phone does not read are none of its business.
    expect(diagnose({ HOME: '/root', PATH: '/usr/bin' }, facts())).toEqual([]);
  });

  it('a value left with a stray quote (spaces after the closing quote) is a warning naming the variable', () => {
    const dotenv = parseDotenv('GREETING="Welcome to Acme."   \nQUEUE_NAME="pull-phone"\n');
    expect(dotenv.values.GREETING).toBe('Welcome to Acme."');
    const finding = only(diagnose({}, facts({ dotenv: { values: { ...GOOD_ENV, ...dotenv.values }, ignoredLines: [] } })));
    expect(finding).toMatchObject({ level: 'warning', subject: 'GREETING' });
    expect(finding.message).toMatch(/stray quote.*remove the spaces after the closing quote/);
  });

  it('a line twilio-run would skip (export, a space in the name) is a warning with its line number, not its text', () => {
    const finding = only(diagnose({}, facts({ dotenv: { values: GOOD_ENV, ignoredLines: [3] } })));
    expect(finding).toMatchObject({ level: 'warning', subject: '.env' });
    expect(finding.message).toMatch(/^line 3 is not KEY=value/);
  });
});

describe('business hours', () => {
  const HOURS = { OPEN_HOURS: 'Mon-Fri 09:00-17:00', TIMEZONE: 'America/Chicago', HOLIDAYS: '2026-12-25' };
  /** Thursday 3 December 2026, 10:00 in Chicago. */
  const NOW = Date.parse('2026-12-03T16:00:00Z');

  it('describes the schedule as the functions will understand it', () => {
    expect(scheduleLine(HOURS, NOW)).toBe('Business hours: open now, until 17:00 America/Chicago; next holiday 2026-12-25.');
    expect(scheduleLine(HOURS, Date.parse('2026-12-04T23:30:00Z'))).toBe('Business hours: closed now, until Mon 09:00 America/Chicago; next holiday 2026-12-25.');
    expect(scheduleLine({}, NOW)).toBe('Business hours: none set (OPEN_HOURS), open around the clock.');
  });

  it('an unreadable hours setting is an error naming the part, and the line says the phone would stay open', () => {
    const finding = only(diagnose({}, facts({}, { ...GOOD_ENV, ...HOURS, OPEN_HOURS: 'Mon-Fri 09:00-17:00, Sat 10:00-14:99' })));
    expect(finding).toMatchObject({ level: 'error', subject: 'OPEN_HOURS' });
    expect(finding.message).toContain('"Sat 10:00-14:99": end of "10:00-14:99": minute 99 is out of range');
    expect(scheduleLine({ ...HOURS, TIMEZONE: 'Chicago' }, NOW)).toBe('Business hours: off, open around the clock (TIMEZONE cannot be read: see below).');
  });

  it('is reported even when the rest of the configuration is broken', () => {
    const findings = diagnose({}, facts({}, { ...GOOD_ENV, TWILIO_PHONE_NUMBER: '', HOLIDAYS: '2026-02-30' }));
    expect(findings.map((f) => f.subject).sort()).toEqual(['HOLIDAYS', 'TWILIO_PHONE_NUMBER']);
  });
});

describe('advice', () => {
  it('YES as an accept word (the default, or chosen) is a warning suggesting the list without it', () => {
    const defaults = { ...GOOD_ENV, ACCEPT_KEYWORDS: '' };
    const byDefault = only(diagnose({}, facts({}, defaults)));
    expect(byDefault).toMatchObject({ level: 'warning', subject: 'ACCEPT_KEYWORDS' });
    expect(byDefault.message).toMatch(/\(the default\).*opt-in.*set ACCEPT_KEYWORDS=Y,TAKE\./);
    expect(only(diagnose({}, facts({}, { ...GOOD_ENV, ACCEPT_KEYWORDS: 'yes, ok' }))).message).toMatch(/set ACCEPT_KEYWORDS=OK\./);
  });

  it('voicemail transcription: a note that it is US English only, and about messages it will not cover', () => {
    const note = only(diagnose({}, facts({}, { ...GOOD_ENV, TRANSCRIBE_VOICEMAIL: 'true' })));
    expect(note).toMatchObject({ level: 'warning', subject: 'TRANSCRIBE_VOICEMAIL' });
    expect(note.message).toMatch(/US English only/);
    // Twilio transcribes recordings shorter than 120 s only, so the default maximum (120) already leaves one out.
    expect(note.message).toMatch(/VOICEMAIL_MAX_SECONDS is 120: messages of 120 s or more get no transcript on their page/);
    expect(only(diagnose({}, facts({}, { ...GOOD_ENV, TRANSCRIBE_VOICEMAIL: 'yes', VOICEMAIL_MAX_SECONDS: '119' }))).message)
      .not.toMatch(/VOICEMAIL_MAX_SECONDS/);
    expect(only(diagnose({}, facts({}, { ...GOOD_ENV, TRANSCRIBE_VOICEMAIL: 'yes', VOICEMAIL_MAX_SECONDS: '300' }))).message)
      .toMatch(/VOICEMAIL_MAX_SECONDS is 300: messages of 120 s or more get no transcript on their page/);
    expect(diagnose({}, facts({}, { ...GOOD_ENV, TRANSCRIBE_VOICEMAIL: 'false' }))).toEqual([]);
  });
});

describe('files', () => {
  it.each<[string, Partial<ProjectFacts>, string, RegExp]>([
    ['no hold music', { musicAsset: false, build: { functions: ['incoming-call.protected.js', 'sms-reply.protected.js'], musicAsset: false } }, 'assets/hold-music.wav', /silence.*make-hold-music/],
    ['no build', { build: undefined }, 'dist/', /run npm run build/],
    ['hold music missing from the build', { build: { functions: ['incoming-call.protected.js', 'sms-reply.protected.js'], musicAsset: false } }, 'dist/assets/hold-music.wav', /npm run build/],
    ['a function not built', { build: { functions: ['incoming-call.protected.js'], musicAsset: true } }, 'dist/functions/sms-reply.protected.js', /functions\/sms-reply\.protected\.ts was not built/],
    ['a public function', { sources: ['incoming-call.protected.ts', 'sms-reply.ts'], build: { functions: ['incoming-call.protected.js', 'sms-reply.js'], musicAsset: true } }, 'dist/functions/sms-reply.js', /public.*\*\.protected\.ts/],
    ['.env tracked by git', { envTracked: true }, '.env', /git rm --cached \.env.*rotate the Auth Token/],
  ])('%s is an error saying what to do', (_what, change, subject, message) => {
    const finding = only(diagnose({}, facts(change)));
    expect(finding).toMatchObject({ level: 'error', subject });
    expect(finding.message).toMatch(message);
  });

  it('the voicemail page and its audio are public on purpose (they check their own token): no finding', () => {
    const sources = ['incoming-call.protected.ts', 'vm.ts', 'vm-audio.ts'];
    expect(diagnose({}, facts({ sources, build: { functions: ['incoming-call.protected.js', 'vm.js', 'vm-audio.js'], musicAsset: true } }))).toEqual([]);
  });

  it('.env not ignored by git is a warning; when git cannot tell, nothing is said', () => {
    expect(only(diagnose({}, facts({ envIgnored: false })))).toMatchObject({ level: 'warning', subject: '.env', message: expect.stringMatching(/\.gitignore/) as unknown });
    expect(diagnose({}, facts({ envTracked: undefined, envIgnored: undefined }))).toEqual([]);
  });
});

describe('package.json', () => {
  it.each<[string, unknown, RegExp]>([
    ['no runtime handler', { dependencies: { twilio: '6.2.0' } }, /no @twilio\/runtime-handler in "dependencies".*exact version/],
    ['the runtime handler only in devDependencies', { dependencies: { twilio: '6.2.0' }, devDependencies: { '@twilio/runtime-handler': '2.0.3' } }, /no @twilio\/runtime-handler in "dependencies"/],
    ['a range for the runtime handler', { dependencies: { twilio: '6.2.0', '@twilio/runtime-handler': '^2.0.3' } }, /pins @twilio\/runtime-handler as "\^2\.0\.3": Twilio needs an exact version/],
    ['twilio only in devDependencies', { dependencies: { '@twilio/runtime-handler': '2.0.3' }, devDependencies: { twilio: '6.2.0' } }, /no twilio in "dependencies".*Move it/],
    ['no package.json', undefined, /missing or not valid JSON/],
  ])('%s is an error', (_what, packageJson, message) => {
    const finding = only(diagnose({}, facts({ packageJson })));
    expect(finding).toMatchObject({ level: 'error', subject: 'package.json' });
    expect(finding.message).toMatch(message);
  });

  it('this repository\'s own package.json passes', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real file, as the doctor reads it
    const own = require('../../package.json') as unknown;
    expect(diagnose({}, facts({ packageJson: own }))).toEqual([]);
  });
});

describe('the report', () => {
  it('lists errors before warnings, then counts them and says what to do next', () => {
    const lines = formatFindings([
      { level: 'warning', subject: 'ACCEPT_KEYWORDS', message: 'w.' },
      { level: 'error', subject: 'AUTH_TOKEN', message: 'e1.' },
      { level: 'error', subject: '.env', message: 'e2.' },
    ]);
    expect(lines).toEqual([
      'ERROR   AUTH_TOKEN e1.',
      'ERROR   .env e2.',
      'WARNING ACCEPT_KEYWORDS w.',
      '',
      '2 errors, 1 warning: fix the errors, then run npm run doctor again.',
    ]);
  });

  it('warnings alone do not block a deploy', () => {
    expect(formatFindings([{ level: 'warning', subject: 'X', message: 'w.' }]).at(-1)).toBe('No errors; 1 warning worth reading. Ready to deploy.');
  });
});

describe('reading .env', () => {
  const SAMPLE = [
    '# Pull Phone',
    'ACCOUNT_SID=AC0123',
    '  AUTH_TOKEN = "abc"  ',
    "GREETING='Hello, caller'",
    'MAX_WAIT_PROMPT="one\\ntwo"',
    'export TEAM_MEMBERS=Ann:+15551230001',
    'QUEUE_NAME=pull # not a comment for twilio-run',
    'EMPTY=',
    'CRLF=value\r',
    'not a pair',
    '',
  ].join('\n');

  it('reads values exactly as twilio-run deploy does (its dotenv)', () => {
    const twilioRun = dirname(require.resolve('twilio-run/package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the parser twilio-run itself uses, for comparison
    const dotenv = require(require.resolve('dotenv', { paths: [twilioRun] })) as { parse: (text: string) => Record<string, string> };
    expect(parseDotenv(SAMPLE).values).toEqual(dotenv.parse(SAMPLE));
    // Quirk kept on purpose: spaces after a closing quote leave that quote in the value, as deploy would upload it.
    expect(parseDotenv(SAMPLE).values).toMatchObject({ AUTH_TOKEN: 'abc"', MAX_WAIT_PROMPT: 'one\ntwo', QUEUE_NAME: 'pull # not a comment for twilio-run', CRLF: 'value' });
  });

  it('notes the lines it skips, and ignores comments and blank lines', () => {
    expect(parseDotenv(SAMPLE).ignoredLines).toEqual([6, 10]);
  });
});

describe('npm run doctor on a project folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pull-phone-doctor-'));
    const write = (file: string, text: string): void => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    write('package.json', JSON.stringify(facts().packageJson));
    write('.env', Object.entries(GOOD_ENV).map(([k, v]) => `${k}=${v}`).join('\n'));
    write('.gitignore', '.env\n');
    write('functions/incoming-call.protected.ts', '');
    write('assets/hold-music.wav', 'RIFF');
    write('dist/functions/incoming-call.protected.js', '');
    write('dist/assets/hold-music.wav', 'RIFF');
    const init = spawnSync('git', ['init', '-q'], { cwd: root });
    expect(init.status).toBe(0);
  });
  afterEach(() => { rmSync(root, { recursive: true, force: true }); });

  async function doctor(options: DoctorOptions = {}): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const code = await runDoctor(root, {}, (line) => { out.push(line); }, { now: Date.parse('2026-12-03T16:00:00Z'), ...options });
    return { code, out };
  }

  it('prints the business hours read from .env', async () => {
    writeFileSync(join(root, '.env'), Object.entries({ ...GOOD_ENV, OPEN_HOURS: 'Mon-Fri 09:00-17:00', TIMEZONE: 'America/Chicago', HOLIDAYS: '2026-12-25' })
      .map(([k, v]) => `${k}=${v}`).join('\n'));
    const { code, out } = await doctor();
    expect(out).toContain('Business hours: open now, until 17:00 America/Chicago; next holiday 2026-12-25.');
    expect(code).toBe(0);
  });

  it('passes a ready project', async () => {
    const { code, out } = await doctor();
    expect(out.at(-1)).toBe('All checks passed.');
    expect(code).toBe(0);
  });

  it('finds a .env that git tracks, and fails', async () => {
    expect(spawnSync('git', ['add', '-f', '.env'], { cwd: root }).status).toBe(0);
    const { code, out } = await doctor();
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^ERROR {3}\.env is tracked by git/)]));
    expect(code).toBe(1);
  });

  it('finds a .env that git does not ignore', async () => {
    rmSync(join(root, '.gitignore'));
    const { code, out } = await doctor();
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^WARNING \.env is not ignored by git/)]));
    expect(code).toBe(0);
  });
});

describe('a doctor that shows (issue 13, item 2)', () => {
  let root: string;
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const CAROL = '+16175550133';
  const DAN = '+16175550144';
  const OWN_NUMBER = '+16175550100';
  const OWN_ENV = { ...GOOD_ENV, TWILIO_PHONE_NUMBER: OWN_NUMBER, TEAM_MEMBERS: `Carol:${CAROL};Dan:${DAN}` };
  const dotenv = (values: Record<string, string>): string => Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n');
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pull-phone-doctor-'));
    write('package.json', JSON.stringify(facts().packageJson));
    write('.gitignore', '.env\n');
    write('functions/incoming-call.protected.ts', '');
    write('assets/hold-music.wav', 'RIFF');
    write('dist/functions/incoming-call.protected.js', '');
    write('dist/assets/hold-music.wav', 'RIFF');
    // The project's real .env.example, so the placeholders the doctor knows are the ones users copy.
    write('.env.example', readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8'));
    spawnSync('git', ['init', '-q'], { cwd: root });
  });
  afterEach(() => { rmSync(root, { recursive: true, force: true }); });

  async function doctor(options: DoctorOptions = {}): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const code = await runDoctor(root, {}, (line) => { out.push(line); }, options);
    return { code, out };
  }

  it('shows the team written with semicolons as it was understood, numbers masked, and passes', async () => {
    write('.env', dotenv(OWN_ENV));
    const { code, out } = await doctor();
    const text = out.join('\n');
    expect(text).toContain('Configuration as understood:');
    expect(text).toMatch(/Team \(2\)\s+Carol \+1•••••0133, Dan \+1•••••0144/);
    expect(text).toMatch(/Number\s+\+1•••••0100/);
    expect(text).toMatch(/Queue\s+pull-phone/);
    expect(text).toMatch(/callers wait up to 120 s, mobiles ring 20 s/);
    expect(text).toMatch(/transcription off, caller-name lookup off/);
    for (const number of [CAROL, DAN, OWN_NUMBER]) expect(text).not.toContain(number);
    expect(out.at(-1)).toBe('All checks passed.');
    expect(code).toBe(0);
  });

  it('flags the placeholders copied from .env.example', async () => {
    const example = parseDotenv(readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8')).values;
    write('.env', dotenv({ ...GOOD_ENV, TWILIO_PHONE_NUMBER: example.TWILIO_PHONE_NUMBER ?? '', TEAM_MEMBERS: `${example.TEAM_MEMBERS ?? ''},Carol:${CAROL}` }));
    const { code, out } = await doctor();
    const text = out.join('\n');
    expect(text).toMatch(/ERROR {3}TWILIO_PHONE_NUMBER is still the placeholder from \.env\.example/);
    expect(text).toMatch(/ERROR {3}TEAM_MEMBERS entry 1 \(\+1•••••0001\) is a placeholder number from \.env\.example/);
    expect(text).toMatch(/ERROR {3}TEAM_MEMBERS entry 2 \(\+1•••••0002\) is a placeholder number/);
    expect(text).not.toMatch(/entry 3 .*placeholder/);
    expect(code).toBe(1);
  });

  it('points out a variable name close to a real one (TEAM_MEMBER), and what is then missing', async () => {
    const { TEAM_MEMBERS: team, ...rest } = OWN_ENV;
    write('.env', dotenv({ ...rest, TEAM_MEMBER: team, MAX_WAIT: '300', UNRELATED_TOOL_SETTING: 'x' }));
    const { code, out } = await doctor();
    const text = out.join('\n');
    expect(text).toMatch(/WARNING TEAM_MEMBER is not a Pull Phone setting and is ignored: did you mean TEAM_MEMBERS\?/);
    expect(text).toMatch(/WARNING MAX_WAIT is not a Pull Phone setting and is ignored: did you mean MAX_WAIT_SECONDS\?/);
    expect(text).not.toMatch(/UNRELATED_TOOL_SETTING/);
    expect(text).toMatch(/ERROR {3}TEAM_MEMBERS is not set/);
    expect(code).toBe(1);
  });

  it('flags duplicates, numbers that are not E.164 and the Twilio number among the members, by entry, masked', async () => {
    write('.env', dotenv({ ...OWN_ENV, TEAM_MEMBERS: `Carol:${CAROL}; Carol again:${CAROL}; Dan:617-555-0144; Desk:${OWN_NUMBER}` }));
    const { code, out } = await doctor();
    const text = out.join('\n');
    expect(text).toMatch(/TEAM_MEMBERS entry 2 \("Carol again:\+•+0133"\) repeats a number/);
    expect(text).toMatch(/TEAM_MEMBERS entry 3 \("Dan:[•-]+0144"\) is not Name:\+E164/);
    expect(text).toMatch(/TEAM_MEMBERS entry 4 \("Desk:\+•+0100"\) is TWILIO_PHONE_NUMBER itself/);
    expect(code).toBe(1);
  });

  it('a .env saved with a BOM, CRLF line ends, quotes and trailing spaces works as meant', async () => {
    const lines = Object.entries(OWN_ENV).map(([k, v]) => (k === 'TEAM_MEMBERS' ? `${k}="${v}"   ` : k === 'AUTH_TOKEN' ? `${k}='${v}'` : `${k}=${v}  `));
    write('.env', `\uFEFF${lines.join('\r\n')}\r\n`);
    const { out } = await doctor();
    const text = out.join('\n');
    expect(text).toMatch(/Team \(2\)\s+Carol \+1•••••0133, Dan \+1•••••0144/);
    expect(text).not.toMatch(/ERROR/);
  });

  it('fits a terminal: no line wider than the width asked for (80 or 100 columns)', async () => {
    write('.env', dotenv({ ...OWN_ENV, AUTH_TOKEN: 'nope', TEAM_MEMBERS: `Carol:${CAROL};x:1;y:2`, MAX_WAIT_SECONDS: 'abc', TEAM_MEMBER: 'oops' }));
    for (const width of [80, 100]) {
      const { out } = await doctor({ width });
      expect(out.length).toBeGreaterThan(8);
      expect(out.filter((line) => Array.from(line).length > width)).toEqual([]);
    }
  });
});

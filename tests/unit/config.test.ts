import { Config, ConfigProblem, DEFAULT_PROMPTS, Env, readConfig, TWILIO_RESERVED_WORDS } from '../../src/config';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'fedcba9876543210'.repeat(2);
const TWILIO_NUMBER = '+15551230000';

function env(overrides: Env = {}): Env {
  return {
    ACCOUNT_SID,
    AUTH_TOKEN,
    TWILIO_PHONE_NUMBER: TWILIO_NUMBER,
    TEAM_MEMBERS: 'Ann:+15551230001,Bob:+15551230002',
    ...overrides,
  };
}

function configOf(e: Env): Config {
  const result = readConfig(e);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** Every problem found, whether it stops the product or only costs its own setting. */
function problemsOf(e: Env): ConfigProblem[] {
  const { problems } = readConfig(e);
  if (problems.length === 0) throw new Error('expected configuration problems, got none');
  return problems;
}

/** The problems reported for one variable; the others must be clean for the test to mean anything. */
function onlyProblemsFor(variable: string, e: Env): ConfigProblem[] {
  const problems = problemsOf(e);
  expect(problems.map((p) => p.variable)).toEqual(problems.map(() => variable));
  return problems;
}

describe('readConfig with a complete, valid environment', () => {
  it('accepts it and keeps the account, number and team', () => {
    const config = configOf(env());
    expect(config.accountSid).toBe(ACCOUNT_SID);
    expect(config.authToken).toBe(AUTH_TOKEN);
    expect(config.twilioNumber).toBe(TWILIO_NUMBER);
    expect(config.members).toEqual([
      { name: 'Ann', number: '+15551230001' },
      { name: 'Bob', number: '+15551230002' },
    ]);
  });

  it('normalises member numbers typed with spaces, dashes, parentheses or a 00 prefix', () => {
    const config = configOf(env({ TEAM_MEMBERS: ' Ann : +1 (555) 123-0001 , Bob:0015551230002 ,' }));
    expect(config.members).toEqual([
      { name: 'Ann', number: '+15551230001' },
      { name: 'Bob', number: '+15551230002' },
    ]);
  });

  it('names a member listed by bare number after its last four digits', () => {
    const config = configOf(env({ TEAM_MEMBERS: 'Ann:+15551230001,+15551239876' }));
    expect(config.members[1]).toEqual({ name: 'member 9876', number: '+15551239876' });
  });

  it('keeps member names short enough for a text', () => {
    const config = configOf(env({ TEAM_MEMBERS: 'Alexandrina Montgomery-Featherstonehaugh:+15551230001' }));
    expect(config.members[0]?.name.length).toBeLessThanOrEqual(20);
    expect(config.members[0]?.name.startsWith('Alexandrina')).toBe(true);
  });

  it('uses the documented defaults for everything optional', () => {
    const config = configOf(env());
    expect(config.queueName).toBe('pull-phone');
    expect(config.keywords.accept).toEqual(expect.arrayContaining(['Y', 'YES']));
    expect(config.keywords.voicemail).toEqual(expect.arrayContaining(['N', 'NO']));
    expect(config.keywords.status).toContain('STATUS');
    expect(config.keywords.commands).toContain('COMMANDS');
    expect(config.keywords.pause).toEqual(['OFF']);
    expect(config.keywords.resume).toEqual(['ON']);
    expect(config.prompts).toEqual(DEFAULT_PROMPTS);
    expect(config.maxWaitSeconds).toBe(120);
    expect(config.ringSeconds).toBe(20);
    expect(config.voicemailMaxSeconds).toBe(120);
    expect(config.transcribeVoicemail).toBe(false);
    expect(config.callerNameLookup).toBe(false);
    expect(config.syncServiceSid).toBe('default');
  });

  it('treats blank optional variables as unset', () => {
    const config = configOf(env({ QUEUE_NAME: '  ', MAX_WAIT_SECONDS: '', ACCEPT_KEYWORDS: ' ', GREETING: '', TRANSCRIBE_VOICEMAIL: '' }));
    expect(config.queueName).toBe('pull-phone');
    expect(config.maxWaitSeconds).toBe(120);
    expect(config.keywords.accept).toContain('Y');
    expect(config.prompts.greeting).toBe(DEFAULT_PROMPTS.greeting);
    expect(config.transcribeVoicemail).toBe(false);
  });

  it('takes every optional setting when given', () => {
    const syncSid = `IS${'a'.repeat(32)}`;
    const config = configOf(env({
      QUEUE_NAME: 'front-desk',
      ACCEPT_KEYWORDS: 'ok, Take ,yep',
      VOICEMAIL_KEYWORDS: 'later',
      STATUS_KEYWORDS: 'who',
      COMMANDS_KEYWORDS: 'menu',
      PAUSE_KEYWORDS: 'mute',
      RESUME_KEYWORDS: 'unmute',
      REPLY_KEYWORDS: 'ans',
      TEXT_FORWARD_LIMIT: '3',
      TEXT_AUTO_REPLY: ' "Thanks, we will text you back soon." ',
      OPEN_KEYWORDS: 'here',
      CLOSED_KEYWORDS: 'away,shut',
      CALL_KEYWORDS: 'dial,ring',
      MISSED_CALL_TEXT: 'Sorry we missed you. We will call you back.',
      GREETING: 'Hello from the front desk.',
      MAX_WAIT_SECONDS: '300',
      RING_SECONDS: '30',
      VOICEMAIL_MAX_SECONDS: '60',
      TRANSCRIBE_VOICEMAIL: 'true',
      CALLER_NAME_LOOKUP: 'yes',
      SYNC_SERVICE_SID: syncSid,
    }));
    expect(config.queueName).toBe('front-desk');
    expect(config.keywords).toEqual({
      accept: ['OK', 'TAKE', 'YEP'],
      voicemail: ['LATER'],
      status: ['WHO'],
      commands: ['MENU'],
      pause: ['MUTE'],
      resume: ['UNMUTE'],
      reply: ['ANS'],
      open: ['HERE'],
      closed: ['AWAY', 'SHUT'],
      call: ['DIAL', 'RING'],
    });
    expect(config.missedCallText).toBe('Sorry we missed you. We will call you back.');
    expect(config.textForwardLimit).toBe(3);
    expect(config.textAutoReply).toBe('Thanks, we will text you back soon.');
    expect(config.prompts.greeting).toBe('Hello from the front desk.');
    expect(config.prompts.holdOptions).toBe(DEFAULT_PROMPTS.holdOptions);
    expect(config.maxWaitSeconds).toBe(300);
    expect(config.ringSeconds).toBe(30);
    expect(config.voicemailMaxSeconds).toBe(60);
    expect(config.transcribeVoicemail).toBe(true);
    expect(config.callerNameLookup).toBe(true);
    expect(config.syncServiceSid).toBe(syncSid);
  });
});

describe('readConfig reporting problems', () => {
  it.each(['ACCOUNT_SID', 'AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'TEAM_MEMBERS'])('reports %s missing, and how to set it', (variable) => {
    for (const value of [undefined, '', '   ']) {
      const [problem, ...rest] = onlyProblemsFor(variable, env({ [variable]: value }));
      expect(rest).toEqual([]);
      expect(problem?.message).toMatch(/not set/);
      expect(problem?.message).toMatch(/\.env/);
    }
  });

  it('reports every missing variable at once for an empty environment', () => {
    const variables = problemsOf({}).map((p) => p.variable);
    expect(variables).toEqual(expect.arrayContaining(['ACCOUNT_SID', 'AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'TEAM_MEMBERS']));
  });

  it.each([
    ['ACCOUNT_SID', 'AC0123', /Account SID.*"AC" followed by 32 hex digits/],
    ['ACCOUNT_SID', `AC${'0123456789ABCDEF'.repeat(2)}`, /Account SID/],
    ['ACCOUNT_SID', `SK${'0123456789abcdef'.repeat(2)}`, /Account SID/],
    ['AUTH_TOKEN', 's3cr3t-token-that-is-not-hex!!!!', /Auth Token: 32 hex digits/],
    ['AUTH_TOKEN', `${AUTH_TOKEN}0`, /Auth Token/],
    ['TWILIO_PHONE_NUMBER', '555-1230', /E\.164.*\+15551230000/],
    ['TWILIO_PHONE_NUMBER', 'my twilio number', /E\.164/],
    ['SYNC_SERVICE_SID', 'ISnot-a-sid', /Sync Service SID.*unset/],
    ['QUEUE_NAME', 'q'.repeat(65), /at most 64/],
    ['GREETING', 'Welcome. '.repeat(50), /under 400/],
  ])('reports a malformed %s (%s) with a fix, without repeating the value', (variable, value, fix) => {
    const problems = onlyProblemsFor(variable, env({ [variable]: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(fix);
    expect(JSON.stringify(problems)).not.toContain(value);
  });

  it('never puts the account SID or auth token into any problem', () => {
    const problems = problemsOf(env({ TEAM_MEMBERS: `x:${AUTH_TOKEN}`, TWILIO_PHONE_NUMBER: ACCOUNT_SID, QUEUE_NAME: AUTH_TOKEN.repeat(3) }));
    expect(problems.length).toBeGreaterThan(0);
    const text = JSON.stringify(problems);
    expect(text).not.toContain(AUTH_TOKEN);
    expect(text).not.toContain(ACCOUNT_SID);
    expect(text).not.toContain(ACCOUNT_SID.slice(2));
  });

  describe('TEAM_MEMBERS', () => {
    it('points at the malformed entry by position', () => {
      const [problem, ...rest] = onlyProblemsFor('TEAM_MEMBERS', env({ TEAM_MEMBERS: 'Ann:+15551230001,Bob:555-0102,Cy:+15551230003' }));
      expect(rest).toEqual([]);
      expect(problem?.message).toMatch(/entry 2 /);
      expect(problem?.message).toMatch(/Name:\+E164/);
    });

    it.each(['Ann', 'Ann:', 'Ann:+1555', 'Ann:+15551230001x', 'Ann;+15551230001'])('rejects the entry "%s"', (entry) => {
      onlyProblemsFor('TEAM_MEMBERS', env({ TEAM_MEMBERS: `Bob:+15551230002,${entry}` }));
    });

    it('rejects a number listed twice, however it is written', () => {
      const [problem, ...rest] = onlyProblemsFor('TEAM_MEMBERS', env({ TEAM_MEMBERS: 'Ann:+15551230001,Bob:+1 555 123 0002,Ann2:001 (555) 123-0001' }));
      expect(rest).toEqual([]);
      expect(problem?.message).toMatch(/entry 3 \("Ann2:•+ \(•+\) •+-0001"\) repeats/);
    });

    it('rejects the Twilio number itself as a member', () => {
      const [problem, ...rest] = onlyProblemsFor('TEAM_MEMBERS', env({ TEAM_MEMBERS: 'Ann:+15551230001,Desk:+1 555 123 0000' }));
      expect(rest).toEqual([]);
      expect(problem?.message).toMatch(/TWILIO_PHONE_NUMBER/);
    });

    it('rejects a list with nobody in it', () => {
      const [problem] = onlyProblemsFor('TEAM_MEMBERS', env({ TEAM_MEMBERS: ' , ,' }));
      expect(problem?.message).toMatch(/at least one/);
    });
  });

  describe('keywords', () => {
    it('rejects a word that already means another command, naming both variables', () => {
      const problems = onlyProblemsFor('VOICEMAIL_KEYWORDS', env({ VOICEMAIL_KEYWORDS: 'N,y' }));
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toMatch(/Y/);
      expect(problems[0]?.message).toMatch(/ACCEPT_KEYWORDS/);
    });

    it('rejects a custom word colliding with another list left at its default', () => {
      const problems = problemsOf(env({ STATUS_KEYWORDS: 'STATUS,ON' }));
      const mentions = problems.map((p) => `${p.variable} ${p.message}`).join('\n');
      expect(mentions).toMatch(/STATUS_KEYWORDS/);
      expect(mentions).toMatch(/RESUME_KEYWORDS/);
      expect(mentions).toMatch(/\bON\b/);
    });

    it.each(['Y1', 'TAKE_IT', 'A'.repeat(13), 'Ñ', 'Y-ES'])('rejects the word "%s" (letters only, at most 12)', (word) => {
      const [problem] = onlyProblemsFor('ACCEPT_KEYWORDS', env({ ACCEPT_KEYWORDS: `Y,${word}` }));
      expect(problem?.message).toMatch(/letters only/);
    });

    it('accepts a twelve-letter word', () => {
      expect(configOf(env({ ACCEPT_KEYWORDS: 'ABCDEFGHIJKL' })).keywords.accept).toEqual(['ABCDEFGHIJKL']);
    });

    it('rejects a list with no usable word', () => {
      const problems = onlyProblemsFor('PAUSE_KEYWORDS', env({ PAUSE_KEYWORDS: ' , ' }));
      expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/empty/)]);
    });

    const reservedExceptYes = TWILIO_RESERVED_WORDS.filter((w) => w !== 'YES');
    it('knows the words Twilio acts on itself', () => {
      expect(reservedExceptYes).toEqual(expect.arrayContaining(['STOP', 'HELP', 'INFO', 'START', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']));
    });

    const variables = ['ACCEPT_KEYWORDS', 'VOICEMAIL_KEYWORDS', 'STATUS_KEYWORDS', 'COMMANDS_KEYWORDS', 'PAUSE_KEYWORDS', 'RESUME_KEYWORDS'];
    it.each(variables.flatMap((variable) => reservedExceptYes.map((word) => [variable, word] as const)))(
      'rejects %s containing the reserved word %s',
      (variable, word) => {
        const problems = onlyProblemsFor(variable, env({ [variable]: `ZZZ,${word.toLowerCase()}` }));
        expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(`must not contain ${word}`)]);
      },
    );

    it('allows YES as an accept keyword only', () => {
      expect(configOf(env({ ACCEPT_KEYWORDS: 'yes,y' })).keywords.accept).toEqual(['YES', 'Y']);
      for (const variable of variables.filter((v) => v !== 'ACCEPT_KEYWORDS')) {
        const problems = problemsOf(env({ ACCEPT_KEYWORDS: 'Y', [variable]: 'YES' }));
        expect(problems).toEqual([{ variable, message: expect.stringContaining('must not contain YES') as unknown, stops: false }]);
      }
    });
  });

  describe('numbers of seconds', () => {
    it.each([
      ['MAX_WAIT_SECONDS', 30, 3600],
      ['RING_SECONDS', 5, 60],
      ['VOICEMAIL_MAX_SECONDS', 10, 3600],
    ])('%s accepts whole numbers from %d to %d only', (variable, min, max) => {
      const key = { MAX_WAIT_SECONDS: 'maxWaitSeconds', RING_SECONDS: 'ringSeconds', VOICEMAIL_MAX_SECONDS: 'voicemailMaxSeconds' }[variable] as
        'maxWaitSeconds' | 'ringSeconds' | 'voicemailMaxSeconds';
      expect(configOf(env({ [variable]: String(min) }))[key]).toBe(min);
      expect(configOf(env({ [variable]: ` ${max} ` }))[key]).toBe(max);
      for (const bad of [String(min - 1), String(max + 1), `${min}.5`, 'abc', '-60', `${min}s`]) {
        const problems = onlyProblemsFor(variable, env({ [variable]: bad }));
        expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(`from ${min} to ${max}`)]);
      }
    });
  });

  describe('switches', () => {
    it.each(['TRANSCRIBE_VOICEMAIL', 'CALLER_NAME_LOOKUP'])('%s reads true/false, yes/no, 1/0, on/off in any case', (variable) => {
      const key = variable === 'TRANSCRIBE_VOICEMAIL' ? 'transcribeVoicemail' : 'callerNameLookup';
      for (const yes of ['true', 'TRUE', 'yes', '1', 'On']) expect(configOf(env({ [variable]: yes }))[key]).toBe(true);
      for (const no of ['false', 'False', 'no', '0', 'off']) expect(configOf(env({ [variable]: no }))[key]).toBe(false);
      const problems = onlyProblemsFor(variable, env({ [variable]: 'maybe' }));
      expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/true or false/)]);
    });
  });
});

describe('business hours settings', () => {
  /** Unreadable hours stop nothing: the configuration stays usable and the problems say what is wrong. */
  function read(e: Env): { config: Config; warnings: ConfigProblem[] } {
    const result = readConfig(env(e));
    if (!result.ok) throw new Error(`expected a usable config, got ${JSON.stringify(result.problems)}`);
    expect(result.problems.every((p) => !p.stops)).toBe(true);
    return { config: result.config, warnings: result.problems };
  }

  it('unset: open around the clock in UTC, no holidays, the default closed prompt, no warnings', () => {
    const { config, warnings } = read({});
    expect(config.openHours).toBeUndefined();
    expect(config.holidays).toEqual([]);
    expect(config.timeZone).toBe('UTC');
    expect(config.prompts.closed).toBe(DEFAULT_PROMPTS.closed);
    expect(warnings).toEqual([]);
  });

  it('reads OPEN_HOURS, TIMEZONE, HOLIDAYS and CLOSED_PROMPT', () => {
    const { config, warnings } = read({
      OPEN_HOURS: 'Mon-Fri 09:00-17:00, Sat 10:00-14:00', TIMEZONE: 'America/Chicago', HOLIDAYS: '2026-12-25,2026-01-01',
      CLOSED_PROMPT: 'We are closed.',
    });
    expect(config.openHours).toHaveLength(6);
    expect(config.timeZone).toBe('America/Chicago');
    expect(config.holidays).toEqual(['2026-01-01', '2026-12-25']);
    expect(config.prompts.closed).toBe('We are closed.');
    expect(config.unreadableHours).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['OPEN_HOURS', { OPEN_HOURS: 'Mon-Fri 09:00-17:60' }, 'minute 60 is out of range'],
    ['OPEN_HOURS', { OPEN_HOURS: 'Mo-Fr 09:00-17:00' }, 'unknown day "Mo"'],
    ['TIMEZONE', { TIMEZONE: 'Central Time' }, '"Central Time" is not an IANA time zone name'],
    ['HOLIDAYS', { HOLIDAYS: '2026-12-25, Christmas' }, '"Christmas" is not a date written YYYY-MM-DD'],
  ])('an unreadable %s is a warning naming the part, and every hours setting is dropped: the phone stays open', (variable, bad, says) => {
    const { config, warnings } = read({ OPEN_HOURS: 'Mon-Fri 09:00-17:00', TIMEZONE: 'Europe/London', HOLIDAYS: '2026-12-25', ...bad });
    expect(warnings.map((w) => w.variable)).toEqual([variable]);
    expect(warnings[0]?.message).toContain(says);
    expect(warnings[0]?.message).toContain('the phone stays open');
    expect(config.openHours).toBeUndefined();
    expect(config.holidays).toEqual([]);
    expect(config.unreadableHours).toEqual([variable]);
  });

  it('drops an OPEN or CLOSED keyword that another command already uses, and says so', () => {
    const { config, warnings } = read({ CLOSED_KEYWORDS: 'OFF' });
    expect(warnings.map((w) => w.variable)).toEqual(['CLOSED_KEYWORDS']);
    expect(config.keywords.pause).toEqual(['OFF']);
    expect(config.keywords.closed).not.toContain('OFF');
  });
});

describe('configuration that forgives (issue 13, item 1)', () => {
  it('reads TEAM_MEMBERS separated by commas, semicolons or new lines, with spaces anywhere', () => {
    const expected = [
      { name: 'Ann', number: '+15551230001' },
      { name: 'Bob', number: '+15551230002' },
      { name: 'Cy Lee', number: '+15551230003' },
    ];
    for (const team of [
      'Ann:+15551230001;Bob:+15551230002;Cy Lee:+15551230003',
      ' Ann : +1 555 123 0001 ;\n Bob:+15551230002 ,\r\nCy Lee:+15551230003 ;',
      'Ann:+15551230001\nBob:+15551230002\nCy Lee:+15551230003\n',
      'Ann +15551230001; Bob +15551230002; Cy Lee +15551230003',
    ]) {
      const result = readConfig(env({ TEAM_MEMBERS: team }));
      expect(result).toMatchObject({ ok: true, problems: [] });
      expect(result.ok && result.config.members).toEqual(expected);
    }
  });

  it('names an unreadable entry by position and text (digits masked), leaves it out and keeps the rest working', () => {
    const result = readConfig(env({ TEAM_MEMBERS: 'Ann:+15551230001; Bob 555-0102-99; Cy:+15551230003' }));
    expect(result.ok).toBe(true);
    expect(result.ok && result.config.members.map((m) => m.name)).toEqual(['Ann', 'Cy']);
    expect(result.problems).toEqual([{ variable: 'TEAM_MEMBERS', stops: false, message: expect.stringMatching(/^entry 2 \("Bob •••-••02-99"\) is not Name:\+E164/) as unknown }]);
  });

  it('stops only when no member at all can be read', () => {
    const result = readConfig(env({ TEAM_MEMBERS: 'Ann; Bob' }));
    expect(result.ok).toBe(false);
    expect(result.problems.filter((p) => p.stops)).toEqual([{ variable: 'TEAM_MEMBERS', stops: true, message: expect.stringMatching(/no entry that can be read/) as unknown }]);
  });

  it.each([
    ['MAX_WAIT_SECONDS', 'abc', 'maxWaitSeconds', 120],
    ['RING_SECONDS', '5000', 'ringSeconds', 20],
    ['TRANSCRIBE_VOICEMAIL', 'maybe', 'transcribeVoicemail', false],
    ['SYNC_SERVICE_SID', 'my-service', 'syncServiceSid', 'default'],
    ['QUEUE_NAME', 'q'.repeat(65), 'queueName', 'pull-phone'],
    ['TEXT_FORWARD_LIMIT', '0', 'textForwardLimit', 5],
    ['TEXT_FORWARD_LIMIT', 'lots', 'textForwardLimit', 5],
    ['TEXT_AUTO_REPLY', 'x'.repeat(321), 'textAutoReply', ''],
  ] as const)('an invalid optional %s=%s is reported with its default and disables nothing else', (variable, value, key, fallback) => {
    const result = readConfig(env({ [variable]: value, RING_SECONDS: variable === 'RING_SECONDS' ? value : '30' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config[key]).toBe(fallback);
    expect(result.config.members).toHaveLength(2);
    expect(variable === 'RING_SECONDS' || result.config.ringSeconds === 30).toBe(true);
    expect(result.problems).toEqual([{ variable, stops: false, message: expect.stringMatching(/Using the default/) as unknown }]);
  });

  it('an invalid keyword list falls back to its default, and a colliding custom word is dropped, not the command', () => {
    const result = readConfig(env({ ACCEPT_KEYWORDS: 'Y;STOP', STATUS_KEYWORDS: 'who ON' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.keywords.accept).toEqual(['Y', 'YES', 'TAKE']);
    expect(result.config.keywords.status).toEqual(['WHO']);
    expect(result.config.keywords.resume).toEqual(['ON']);
    expect(result.problems.map((p) => p.variable)).toEqual(['ACCEPT_KEYWORDS', 'STATUS_KEYWORDS']);
  });

  it('reads values from a .env with a BOM, CRLF line ends, quotes and trailing spaces as the person meant them', () => {
    const result = readConfig({
      '\uFEFFACCOUNT_SID': `${ACCOUNT_SID}\r`,
      AUTH_TOKEN: `"${AUTH_TOKEN}"  `,
      TWILIO_PHONE_NUMBER: ` '${TWILIO_NUMBER}'\r`,
      TEAM_MEMBERS: '"Ann:+15551230001; Bob:+15551230002"   ',
      MAX_WAIT_SECONDS: '"300"\r',
      // What dotenv 6 (twilio-run's) makes of RING_SECONDS="30"  : the opening quote gone, the closing one kept.
      RING_SECONDS: '30"',
    });
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.ok && [result.config.accountSid, result.config.authToken, result.config.twilioNumber, result.config.maxWaitSeconds, result.config.ringSeconds])
      .toEqual([ACCOUNT_SID, AUTH_TOKEN, TWILIO_NUMBER, 300, 30]);
  });
});

describe('voicemail links and the team time zone', () => {
  it('defaults: links keyed from the auth token, working 30 days; times shown in UTC', () => {
    const config = configOf(env());
    expect(config.linkSecret).toBeUndefined();
    expect(config.voicemailLinkDays).toBe(30);
    expect(config.timeZone).toBe('UTC');
  });

  it('takes LINK_SECRET, VOICEMAIL_LINK_DAYS from 1 to 365 and an IANA TIMEZONE', () => {
    const config = configOf(env({ LINK_SECRET: 'a secret of enough length', VOICEMAIL_LINK_DAYS: '365', TIMEZONE: 'Europe/Berlin' }));
    expect(config).toMatchObject({ linkSecret: 'a secret of enough length', voicemailLinkDays: 365, timeZone: 'Europe/Berlin' });
    expect(configOf(env({ VOICEMAIL_LINK_DAYS: '1' })).voicemailLinkDays).toBe(1);
  });

  it.each([
    ['VOICEMAIL_LINK_DAYS', '0', /whole number of days from 1 to 365/],
    ['VOICEMAIL_LINK_DAYS', '366', /days from 1 to 365/],
    ['VOICEMAIL_LINK_DAYS', '7.5', /days/],
    ['TIMEZONE', 'Mars/Olympus_Mons', /IANA time zone name/],
    ['TIMEZONE', 'CET+25', /IANA/],
    ['LINK_SECRET', 'short', /at least 16 characters/],
  ])('reports a bad %s (%s) with how to fix it', (variable, value, fix) => {
    const [problem] = onlyProblemsFor(variable, env({ [variable]: value }));
    expect(problem?.message).toMatch(fix);
    // A secret is never repeated back (problems are logged).
    if (variable === 'LINK_SECRET') expect(problem?.message).not.toContain(value);
  });
});

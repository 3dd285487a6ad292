/** What setup decides to change on the number, and how it reads its arguments and the last deploy. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseSetupArgs } from '../../tools/setup';
import { deployedDomain, deployedService, normaliseDomain, NumberSettings, planWiring, SMS_PATH, STATUS_PATH, updateOf, VOICE_FALLBACK_PATH, VOICE_PATH } from '../../src/wiring';

const DOMAIN = 'pull-phone-1234-dev.twil.io';
const WIRED: NumberSettings = {
  voiceUrl: `https://${DOMAIN}/incoming-call`, voiceMethod: 'POST',
  voiceFallbackUrl: `https://${DOMAIN}/voice-fallback.xml`, voiceFallbackMethod: 'GET',
  smsUrl: `https://${DOMAIN}/sms-reply`, smsMethod: 'POST',
  statusCallback: `https://${DOMAIN}/call-status`, statusCallbackMethod: 'POST',
  voiceCallerIdLookup: false, voiceReceiveMode: 'voice', voiceApplicationSid: '', smsApplicationSid: '', trunkSid: null,
  capabilities: { voice: true, sms: true },
};

describe('planWiring', () => {
  it('a freshly bought number (nothing set): voice URL, voice fallback (GET), SMS URL and status callback; unset methods already mean POST', () => {
    for (const fresh of [
      { voiceUrl: '', voiceMethod: null, smsUrl: null, smsMethod: '', statusCallback: '', statusCallbackMethod: null },
      { voiceUrl: '', voiceMethod: null, smsUrl: null, smsMethod: '', statusCallback: null, statusCallbackMethod: '' },
      {},
    ] satisfies NumberSettings[]) {
      const plan = planWiring(fresh, { domain: DOMAIN, callerNameLookup: false });
      expect(updateOf(plan.changes)).toEqual({
        voiceUrl: `https://${DOMAIN}/incoming-call`, smsUrl: `https://${DOMAIN}/sms-reply`, statusCallback: `https://${DOMAIN}/call-status`,
        voiceFallbackUrl: `https://${DOMAIN}/voice-fallback.xml`, voiceFallbackMethod: 'GET',
      });
      expect(plan.changes.map((c) => c.label)).toEqual([
        'voice URL (A call comes in)', 'voice fallback URL (Primary handler fails)', 'SMS URL (A message comes in)', 'call status callback (call ended)',
      ]);
      expect(plan.changes.map((c) => c.from)).toEqual(['(not set)', '(not set)', '(not set)', '(not set)']);
      expect(plan.blockers).toEqual([]);
    }
  });

  it('every URL setup points the number at is a function this project deploys', () => {
    // A typo in a path would send Twilio's requests to a 404 the number's owner never sees.
    for (const path of [VOICE_PATH, SMS_PATH, STATUS_PATH]) {
      expect(existsSync(join(__dirname, '../../functions', `${path.slice(1)}.protected.ts`))).toBe(true);
    }
    // The fallback is a static asset: the build copies assets/ (all but .md) into dist/assets, which is deployed.
    expect(existsSync(join(__dirname, '../../assets', VOICE_FALLBACK_PATH.slice(1)))).toBe(true);
    const urls = planWiring({}, { domain: DOMAIN, callerNameLookup: false }).changes.map((c) => c.to.replace(/ \(GET\)$/, ''));
    expect(urls).toEqual([VOICE_PATH, VOICE_FALLBACK_PATH, SMS_PATH, STATUS_PATH].map((path) => `https://${DOMAIN}${path}`));
  });

  it('a wired number needs nothing, with or without caller-name lookup asked for when it is on', () => {
    expect(planWiring(WIRED, { domain: DOMAIN, callerNameLookup: false })).toEqual({ changes: [], blockers: [] });
    for (const on of [true, 'true']) {
      expect(planWiring({ ...WIRED, voiceCallerIdLookup: on }, { domain: DOMAIN, callerNameLookup: true }).changes).toEqual([]);
    }
  });

  it('an unset status callback method counts as POST, like the other methods', () => {
    for (const statusCallbackMethod of [undefined, null, '', ' ']) {
      expect(planWiring({ ...WIRED, statusCallbackMethod }, { domain: DOMAIN, callerNameLookup: false })).toEqual({ changes: [], blockers: [] });
    }
  });

  it('a voice fallback already set to our asset but fetched with POST is changed to GET, as one setting', () => {
    const plan = planWiring({ ...WIRED, voiceFallbackMethod: null }, { domain: DOMAIN, callerNameLookup: false });
    expect(plan.changes).toEqual([{
      label: 'voice fallback URL (Primary handler fails)', from: `https://${DOMAIN}/voice-fallback.xml (POST)`, to: `https://${DOMAIN}/voice-fallback.xml (GET)`,
      update: { voiceFallbackUrl: `https://${DOMAIN}/voice-fallback.xml`, voiceFallbackMethod: 'GET' },
    }]);
  });

  it('a lowercase method counts as that method', () => {
    expect(planWiring({ ...WIRED, voiceMethod: 'post', smsMethod: 'get' }, { domain: DOMAIN, callerNameLookup: false }).changes.map((c) => c.update))
      .toEqual([{ smsMethod: 'POST' }]);
    expect(planWiring({ ...WIRED, statusCallbackMethod: 'post' }, { domain: DOMAIN, callerNameLookup: false }).changes).toEqual([]);
    expect(planWiring({ ...WIRED, statusCallbackMethod: 'get' }, { domain: DOMAIN, callerNameLookup: false }).changes)
      .toEqual([{ label: 'call status callback method', from: 'GET', to: 'POST', update: { statusCallbackMethod: 'POST' } }]);
  });

  it('a different domain (a new service, or stage vs dev) moves all three URLs', () => {
    const plan = planWiring(WIRED, { domain: 'pull-phone-1234.twil.io', callerNameLookup: false });
    expect(updateOf(plan.changes)).toEqual({
      voiceUrl: 'https://pull-phone-1234.twil.io/incoming-call', smsUrl: 'https://pull-phone-1234.twil.io/sms-reply', statusCallback: 'https://pull-phone-1234.twil.io/call-status',
      voiceFallbackUrl: 'https://pull-phone-1234.twil.io/voice-fallback.xml', voiceFallbackMethod: 'GET',
    });
  });

  it('a status callback pointing elsewhere is replaced, and the summary shows what it was', () => {
    // Without it, a caller who hangs up outside the queue (greeting, voicemail prompt) is never reported as missed.
    const plan = planWiring({ ...WIRED, statusCallback: 'https://example.com/call-log' }, { domain: DOMAIN, callerNameLookup: false });
    expect(plan.changes).toEqual([{
      label: 'call status callback (call ended)', from: 'https://example.com/call-log', to: `https://${DOMAIN}/call-status`,
      update: { statusCallback: `https://${DOMAIN}/call-status` },
    }]);
  });

  it('a number receiving faxes is switched to voice', () => {
    expect(updateOf(planWiring({ ...WIRED, voiceReceiveMode: 'fax' }, { domain: DOMAIN, callerNameLookup: false }).changes)).toEqual({ voiceReceiveMode: 'voice' });
  });

  it('names what overrides the URLs and what the number cannot do, without changing it', () => {
    const trunk = planWiring({ ...WIRED, trunkSid: `TK${'1'.repeat(32)}`, voiceApplicationSid: `AP${'1'.repeat(32)}` }, { domain: DOMAIN, callerNameLookup: false });
    expect(trunk.blockers).toEqual([expect.stringMatching(/^calls go to SIP trunk TK1+/)]);
    const apps = planWiring({ ...WIRED, voiceApplicationSid: `AP${'1'.repeat(32)}`, smsApplicationSid: `AP${'2'.repeat(32)}` }, { domain: DOMAIN, callerNameLookup: false });
    expect(apps.blockers).toEqual([expect.stringMatching(/^calls go to TwiML App AP1+/), expect.stringMatching(/^texts go to TwiML App AP2+/)]);
    const noSms = planWiring({ ...WIRED, capabilities: { voice: true, sms: false } }, { domain: DOMAIN, callerNameLookup: false });
    expect(noSms.blockers).toEqual([expect.stringMatching(/cannot send or receive SMS/)]);
    const noVoice = planWiring({ ...WIRED, capabilities: { voice: false, sms: true } }, { domain: DOMAIN, callerNameLookup: false });
    expect(noVoice.blockers).toEqual([expect.stringMatching(/cannot take voice calls/)]);
    for (const plan of [trunk, apps, noSms, noVoice]) expect(plan.changes).toEqual([]);
  });
});

describe('normaliseDomain', () => {
  it.each([
    [DOMAIN, DOMAIN],
    [` ${DOMAIN.toUpperCase()} `, DOMAIN],
    [`https://${DOMAIN}`, DOMAIN],
    [`https://${DOMAIN}/incoming-call`, DOMAIN],
    [`${DOMAIN}/`, DOMAIN],
  ])('%j is %s', (raw, domain) => {
    expect(normaliseDomain(raw)).toEqual({ ok: true, domain });
  });

  it.each([['localhost:3000'], ['127.0.0.1'], [''], ['pull phone'], ['http://']])('%j is refused with an example of what to pass', (raw) => {
    const result = normaliseDomain(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain('--domain pull-phone-1234-dev.twil.io');
  });
});

describe('the last deploy (.twiliodeployinfo)', () => {
  const AC = `AC${'1'.repeat(32)}`;
  const service = { serviceSid: `ZS${'5'.repeat(32)}`, latestBuild: `ZB${'6'.repeat(32)}` };

  it('finds this account\'s service, under the current and the older key', () => {
    expect(deployedService(JSON.stringify({ [`${AC}:us1`]: service }), AC)).toEqual(service);
    expect(deployedService(JSON.stringify({ [AC]: service }), AC)).toEqual(service);
  });

  it('ignores other accounts and anything malformed', () => {
    expect(deployedService(JSON.stringify({ [`AC${'2'.repeat(32)}:us1`]: service }), AC)).toBeUndefined();
    expect(deployedService(JSON.stringify({ [`${AC}:us1`]: { serviceSid: 'pull-phone' } }), AC)).toBeUndefined();
    expect(deployedService('{not json', AC)).toBeUndefined();
    expect(deployedService('null', AC)).toBeUndefined();
  });

  it('the domain is the environment running the latest build, or the only environment', () => {
    const envs = [{ domainName: 'a-dev.twil.io', buildSid: 'ZB1' }, { domainName: 'a.twil.io', buildSid: 'ZB2' }];
    expect(deployedDomain(envs, 'ZB2')).toBe('a.twil.io');
    expect(deployedDomain(envs, 'ZB3')).toBeUndefined();
    expect(deployedDomain([{ domainName: 'a-dev.twil.io', buildSid: null }], 'ZB3')).toBe('a-dev.twil.io');
    expect(deployedDomain([], 'ZB3')).toBeUndefined();
  });
});

describe('setup arguments', () => {
  it('takes --domain, a bare domain, and --caller-name-lookup', () => {
    expect(parseSetupArgs(['--domain', DOMAIN], {})).toEqual({ domain: DOMAIN, callerNameLookup: false });
    expect(parseSetupArgs([DOMAIN, '--caller-name-lookup'], {})).toEqual({ domain: DOMAIN, callerNameLookup: true });
    expect(parseSetupArgs([], {})).toEqual({ domain: undefined, callerNameLookup: false });
  });

  it('understands what npm passes when the -- was forgotten', () => {
    // `npm run setup --domain x --caller-name-lookup`: npm keeps the flags as config and passes x on.
    expect(parseSetupArgs([DOMAIN], { npm_config_domain: 'true', npm_config_caller_name_lookup: 'true' })).toEqual({ domain: DOMAIN, callerNameLookup: true });
    // `npm run setup --domain=x`
    expect(parseSetupArgs([], { npm_config_domain: DOMAIN })).toEqual({ domain: DOMAIN, callerNameLookup: false });
  });

  it('an unknown option prints usage and fails; --help prints usage and succeeds', () => {
    expect(parseSetupArgs(['--domian', DOMAIN], {})).toEqual({ usage: expect.stringContaining('Usage: npm run setup') as unknown, exitCode: 1 });
    expect(parseSetupArgs(['--help'], {})).toEqual({ usage: expect.stringContaining('--caller-name-lookup') as unknown, exitCode: 0 });
  });
});

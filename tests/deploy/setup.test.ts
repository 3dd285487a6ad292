/** npm run setup against the stand-in: wiring the Twilio number to the deployed functions, idempotently. */
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { routeTwilioTo } from '../../sim/twilio-loopback.cjs';
import { TwilioStandIn } from '../../sim/standin';
import { runSetup, SetupOptions } from '../../tools/setup';
import { ACCOUNT_SID, AUTH_TOKEN, ENV, startTwilio, TWILIO_NUMBER } from '../support/harness';

const PN = `PN${'1'.repeat(32)}`;
const OTHER_PN = `PN${'2'.repeat(32)}`;
const DOMAIN = 'pull-phone-1234-dev.twil.io';
const SERVICE = `ZS${'5'.repeat(32)}`;
const BUILD = `ZB${'6'.repeat(32)}`;

let twilio: TwilioStandIn;
let front: Server;
/** Environments of the Serverless service, which the stand-in does not serve: this test's front server does. */
let environments: { domain_name: string; build_sid: string | null }[];

beforeAll(async () => {
  twilio = await startTwilio();
  front = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith(`/serverless.twilio.com/v1/Services/${SERVICE}/Environments`)) {
      const list = environments.map((e, i) => ({ sid: `ZE${String(i).padStart(32, '0')}`, service_sid: SERVICE, unique_name: `env-${String(i)}`, ...e }));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ environments: list, meta: { key: 'environments', page: 0, page_size: 50, next_page_url: null, previous_page_url: null } }));
      return;
    }
    const upstream = request(`${twilio.url}${path}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  routeTwilioTo(`http://127.0.0.1:${String((front.address() as AddressInfo).port)}`);
});
afterAll(async () => {
  front.closeAllConnections();
  await new Promise<void>((resolve) => front.close(() => { resolve(); }));
  await twilio.stop();
});

function seedNumbers(extra: Record<string, string> = {}): void {
  twilio.numbers.clear();
  twilio.numbers.set(PN, {
    sid: PN, phone_number: TWILIO_NUMBER, friendly_name: '(555) 000-0000',
    voice_url: 'https://demo.twilio.com/welcome/voice/', voice_method: 'POST',
    sms_url: 'https://demo.twilio.com/welcome/sms/reply', sms_method: 'POST',
    voice_caller_id_lookup: 'false', status_callback: '', ...extra,
  });
  twilio.numbers.set(OTHER_PN, { sid: OTHER_PN, phone_number: '+15550009999', voice_url: 'https://example.com/other', sms_url: '', voice_caller_id_lookup: 'false' });
}

beforeEach(() => {
  seedNumbers();
  environments = [];
  twilio.faults = undefined;
  twilio.resetLog();
});

async function setup(options: SetupOptions, env: Record<string, string> = ENV): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runSetup(options, env, (line) => { out.push(line); });
  return { code, out };
}

const posts = (): Record<string, string>[] => twilio.requests.filter((r) => r.method === 'POST').map((r) => r.params);

describe('npm run setup and a Messaging Service holding the number (A2P)', () => {
  const MG = `MG${'3'.repeat(32)}`;
  afterEach(() => { twilio.messagingServices.clear(); });

  it('warns, with the command that fixes it, when the service takes the number\'s incoming texts; exit 1', async () => {
    twilio.messagingServices.set(MG, { sid: MG, friendlyName: 'A2P campaign', useInboundWebhookOnNumber: false, inboundRequestUrl: null, numbers: [TWILIO_NUMBER] });
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/Still to do/);
    expect(text).toContain(`Messaging Service ${MG} ("A2P campaign") holds the number and takes its incoming texts`);
    expect(text).toContain(`twilio api:messaging:v1:services:update --sid ${MG} --use-inbound-webhook-on-number true`);
  });

  it('says nothing when the service defers to the number\'s webhook, or does not hold the number', async () => {
    twilio.messagingServices.set(MG, { sid: MG, friendlyName: 'A2P campaign', useInboundWebhookOnNumber: true, inboundRequestUrl: null, numbers: [TWILIO_NUMBER] });
    twilio.messagingServices.set(`MG${'4'.repeat(32)}`, { sid: `MG${'4'.repeat(32)}`, friendlyName: 'other', useInboundWebhookOnNumber: false, inboundRequestUrl: null, numbers: ['+15550009999'] });
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(0);
    expect(out.join('\n')).not.toMatch(/Messaging Service/);
  });
});

describe('npm run setup', () => {
  it('first run points calls, texts and the end-of-call callback at the deployed functions and says what it changed', async () => {
    // The seeded number has no status_callback_method, as a number that never had one: unset means POST, so it is not sent.
    expect(twilio.numbers.get(PN)).not.toHaveProperty('status_callback_method');
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(0);
    expect(posts()).toEqual([{
      VoiceUrl: `https://${DOMAIN}/incoming-call`, SmsUrl: `https://${DOMAIN}/sms-reply`, StatusCallback: `https://${DOMAIN}/call-status`,
      VoiceFallbackUrl: `https://${DOMAIN}/voice-fallback.xml`, VoiceFallbackMethod: 'GET',
    }]);
    expect(twilio.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers/${PN}.json`]);
    expect(twilio.numbers.get(PN)).toMatchObject({
      voice_url: `https://${DOMAIN}/incoming-call`, sms_url: `https://${DOMAIN}/sms-reply`, status_callback: `https://${DOMAIN}/call-status`,
    });
    expect(twilio.numbers.get(OTHER_PN)?.voice_url).toBe('https://example.com/other');
    expect(twilio.numbers.get(OTHER_PN)).not.toHaveProperty('status_callback');
    expect(out).toEqual([
      `Wiring ${TWILIO_NUMBER} (${PN}) to ${DOMAIN}:`,
      `  voice URL (A call comes in): https://demo.twilio.com/welcome/voice/ -> https://${DOMAIN}/incoming-call`,
      `  voice fallback URL (Primary handler fails): (not set) -> https://${DOMAIN}/voice-fallback.xml (GET)`,
      `  SMS URL (A message comes in): https://demo.twilio.com/welcome/sms/reply -> https://${DOMAIN}/sms-reply`,
      `  call status callback (call ended): (not set) -> https://${DOMAIN}/call-status`,
      '  changed 4 settings.',
      `Done: calls and texts to ${TWILIO_NUMBER} go to Pull Phone. Call it to try.`,
    ]);
  });

  it('second run changes nothing and sends no update', async () => {
    await setup({ domain: DOMAIN, callerNameLookup: true });
    twilio.resetLog();
    const { code, out } = await setup({ domain: DOMAIN, callerNameLookup: true });
    expect(code).toBe(0);
    expect(posts()).toEqual([]);
    expect(out).toEqual([
      `Wiring ${TWILIO_NUMBER} (${PN}) to ${DOMAIN}:`,
      '  nothing to change.',
      `Done: calls and texts to ${TWILIO_NUMBER} go to Pull Phone. Call it to try.`,
    ]);
  });

  it('a number already wired by hand, status callback method shown as POST by Twilio: nothing to change', async () => {
    seedNumbers({
      voice_url: `https://${DOMAIN}/incoming-call`, sms_url: `https://${DOMAIN}/sms-reply`,
      status_callback: `https://${DOMAIN}/call-status`, status_callback_method: 'POST',
      voice_fallback_url: `https://${DOMAIN}/voice-fallback.xml`, voice_fallback_method: 'GET',
    });
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(0);
    expect(posts()).toEqual([]);
    expect(out).toContain('  nothing to change.');
  });

  it('turns on caller-name lookup only when asked, and then only that', async () => {
    await setup({ domain: DOMAIN });
    expect(twilio.numbers.get(PN)?.voice_caller_id_lookup).toBe('false');
    twilio.resetLog();
    const { out } = await setup({ domain: DOMAIN, callerNameLookup: true });
    expect(posts()).toEqual([{ VoiceCallerIdLookup: 'true' }]);
    expect(out).toContain('  caller name lookup (CNAM, billed per call): off -> on');
  });

  it('asking for caller-name lookup is not needed to keep it: a run without the flag leaves it on', async () => {
    seedNumbers({ voice_caller_id_lookup: 'true' });
    await setup({ domain: DOMAIN });
    expect(posts().some((p) => 'VoiceCallerIdLookup' in p)).toBe(false);
    expect(twilio.numbers.get(PN)?.voice_caller_id_lookup).toBe('true');
  });

  it('sets POST where the number used GET (Twilio would otherwise send caller details in the URL)', async () => {
    seedNumbers({ voice_method: 'GET', sms_method: 'GET', status_callback_method: 'GET' });
    const { out } = await setup({ domain: DOMAIN });
    expect(posts()[0]).toMatchObject({ VoiceMethod: 'POST', SmsMethod: 'POST', StatusCallbackMethod: 'POST' });
    expect(twilio.numbers.get(PN)).toMatchObject({ voice_method: 'POST', sms_method: 'POST', status_callback_method: 'POST' });
    expect(out).toContain('  call status callback method: GET -> POST');
  });

  it('replaces a status callback that pointed elsewhere, showing the old URL', async () => {
    seedNumbers({ status_callback: 'https://example.com/call-log' });
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(0);
    expect(posts()[0]?.StatusCallback).toBe(`https://${DOMAIN}/call-status`);
    expect(out).toContain(`  call status callback (call ended): https://example.com/call-log -> https://${DOMAIN}/call-status`);
  });

  it('accepts a pasted function URL as the domain', async () => {
    const { code } = await setup({ domain: `https://${DOMAIN}/incoming-call` });
    expect(code).toBe(0);
    expect(posts()[0]?.VoiceUrl).toBe(`https://${DOMAIN}/incoming-call`);
  });

  it('refuses a domain Twilio cannot reach, before asking Twilio anything', async () => {
    const { code, out } = await setup({ domain: 'localhost:3000' });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/not a public domain.*--domain pull-phone-1234-dev\.twil\.io/);
    expect(twilio.requests).toEqual([]);
  });

  it('a number the account does not have: a clear error and nothing changed', async () => {
    twilio.numbers.delete(PN);
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain(`TWILIO_PHONE_NUMBER ${TWILIO_NUMBER} is not a phone number of account ${ACCOUNT_SID}`);
    expect(posts()).toEqual([]);
  });

  it('an invalid configuration: lists every problem and asks Twilio nothing', async () => {
    const { code, out } = await setup({ domain: DOMAIN }, { ...ENV, AUTH_TOKEN: 'secret-ish', TEAM_MEMBERS: 'Ann:555' });
    expect(code).toBe(1);
    expect(out[0]).toMatch(/valid configuration first/);
    expect(out.filter((l) => l.startsWith('  AUTH_TOKEN '))).toHaveLength(1);
    expect(out.filter((l) => l.startsWith('  TEAM_MEMBERS '))).toHaveLength(2);
    expect(out.join('\n')).not.toContain('secret-ish');
    expect(twilio.requests).toEqual([]);
  });

  it('credentials Twilio refuses: says so without printing the token', async () => {
    const wrong = 'b'.repeat(32);
    const { code, out } = await setup({ domain: DOMAIN }, { ...ENV, AUTH_TOKEN: wrong });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/Twilio refused ACCOUNT_SID .*\(HTTP 401 code 20003\).*Account Info/);
    expect(out.join('\n')).not.toContain(wrong);
    expect(out.join('\n')).not.toContain(AUTH_TOKEN);
  });

  it('a failed update is reported as failed, not as done', async () => {
    twilio.faults = (r) => (r.method === 'POST' ? { status: 500 } : undefined);
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/Twilio answered HTTP 500 code 20500/);
    expect(out.join('\n')).not.toMatch(/Done/);
  });

  it('a TwiML App on the number would keep calls away: the URLs are set but setup says what is left to do', async () => {
    seedNumbers({ voice_application_sid: `AP${'3'.repeat(32)}` });
    const { code, out } = await setup({ domain: DOMAIN });
    expect(code).toBe(1);
    expect(posts()).toHaveLength(1);
    expect(out.join('\n')).toMatch(/Still to do[\s\S]*TwiML App AP3+.*"Configure with" to Webhook/);
  });
});

describe('npm run setup without --domain', () => {
  const deployInfo = JSON.stringify({ [`${ACCOUNT_SID}:us1`]: { serviceSid: SERVICE, latestBuild: BUILD } });

  it('uses the domain of the environment running the last deploy\'s build', async () => {
    environments = [
      { domain_name: 'pull-phone-1234-stage.twil.io', build_sid: `ZB${'7'.repeat(32)}` },
      { domain_name: DOMAIN, build_sid: BUILD },
    ];
    const { code, out } = await setup({ deployInfo });
    expect(code).toBe(0);
    expect(out[0]).toBe(`Domain of your last deploy (service ${SERVICE}): ${DOMAIN}`);
    expect(posts()[0]?.VoiceUrl).toBe(`https://${DOMAIN}/incoming-call`);
  });

  it('several environments, none running that build: lists the domains to choose from and changes nothing', async () => {
    environments = [{ domain_name: 'a-dev.twil.io', build_sid: null }, { domain_name: 'a.twil.io', build_sid: null }];
    const { code, out } = await setup({ deployInfo });
    expect(code).toBe(1);
    expect(out).toEqual(expect.arrayContaining(['  --domain a-dev.twil.io', '  --domain a.twil.io']));
    expect(posts()).toEqual([]);
  });

  it('no deploy info (or another account\'s): explains what to pass', async () => {
    for (const info of [undefined, JSON.stringify({ [`AC${'9'.repeat(32)}:us1`]: { serviceSid: SERVICE, latestBuild: BUILD } })]) {
      const { code, out } = await setup({ deployInfo: info });
      expect(code).toBe(1);
      expect(out).toContain('  npm run setup -- --domain pull-phone-1234-dev.twil.io');
    }
    expect(twilio.requests).toEqual([]);
  });
});

/**
 * npm run doctor with credentials checks the live account (issue 13, item 2), here the stand-in: the number,
 * its webhooks against this deployment, a Messaging Service taking its texts, the voice fallback, the Sync
 * service and MESSAGING_SERVICE_SID; each finding says what to run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TwilioStandIn } from '../../sim/standin';
import { runDoctor } from '../../tools/doctor';
import { ENV, startTwilio, TWILIO_NUMBER } from '../support/harness';

const DOMAIN = 'pull-phone-1234-dev.twil.io';
const PN = `PN${'1'.repeat(32)}`;
const MG = `MG${'3'.repeat(32)}`;
const BASE = { ...ENV, ACCEPT_KEYWORDS: 'Y,TAKE' };
const WIRED = {
  sid: PN, phone_number: TWILIO_NUMBER,
  voice_url: `https://${DOMAIN}/incoming-call`, voice_method: 'POST', sms_url: `https://${DOMAIN}/sms-reply`, sms_method: 'POST',
  status_callback: `https://${DOMAIN}/call-status`, status_callback_method: 'POST',
  voice_fallback_url: `https://${DOMAIN}/voice-fallback.xml`, voice_fallback_method: 'GET',
};

let twilio: TwilioStandIn;
let root: string;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pull-phone-doctor-live-'));
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('package.json', JSON.stringify({ dependencies: { '@twilio/runtime-handler': '2.0.3', twilio: '6.3.1' } }));
  write('.gitignore', '.env\n');
  write('functions/incoming-call.protected.ts', '');
  write('assets/hold-music.wav', 'RIFF');
  write('dist/functions/incoming-call.protected.js', '');
  write('dist/assets/hold-music.wav', 'RIFF');
  spawnSync('git', ['init', '-q'], { cwd: root });
  twilio.numbers.clear();
  twilio.numbers.set(PN, { ...WIRED });
  twilio.messagingServices.clear();
  twilio.syncServices.clear();
  twilio.syncServices.add('default');
  twilio.resetLog();
});
afterEach(() => { rmSync(root, { recursive: true, force: true }); });

async function doctor(env: Record<string, string> = BASE, domain: string | null = DOMAIN): Promise<{ code: number; text: string }> {
  writeFileSync(join(root, '.env'), Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n'));
  const out: string[] = [];
  const code = await runDoctor(root, {}, (line) => { out.push(line); }, { live: true, domain: domain ?? undefined, width: 1000 });
  // Findings are wrapped to the terminal (at most 120 columns); joined back here to match whole sentences.
  return { code, text: out.join('\n').replace(/\n {8,}/g, ' ') };
}

it('a wired number, no Messaging Service in the way, Sync answering: all checks pass', async () => {
  const { code, text } = await doctor();
  expect(text).toContain('Twilio account: checking');
  expect(text).toMatch(/All checks passed\.$/);
  expect(code).toBe(0);
  // Read-only: the doctor changes nothing in the account.
  expect(twilio.requests.filter((r) => r.method !== 'GET')).toEqual([]);
});

it('webhooks pointing elsewhere are errors that say to run setup with this domain; a missing fallback a warning', async () => {
  twilio.numbers.set(PN, { sid: PN, phone_number: TWILIO_NUMBER, voice_url: 'https://demo.twilio.com/welcome/voice/', sms_url: '' });
  const { code, text } = await doctor();
  expect(text).toContain(`ERROR   Twilio number voice URL (A call comes in) is https://demo.twilio.com/welcome/voice/, not https://${DOMAIN}/incoming-call: run npm run setup -- --domain ${DOMAIN}.`);
  expect(text).toMatch(/ERROR {3}Twilio number SMS URL \(A message comes in\) is \(not set\)/);
  expect(text).toMatch(/ERROR {3}Twilio number call status callback/);
  expect(text).toMatch(/WARNING Twilio number voice fallback URL \(Primary handler fails\) is \(not set\), not https:\/\/.*\/voice-fallback\.xml \(GET\): run npm run setup/);
  expect(code).toBe(1);
});

it('a number the account does not have is an error', async () => {
  twilio.numbers.clear();
  const { code, text } = await doctor();
  expect(text).toMatch(/ERROR {3}TWILIO_PHONE_NUMBER \+1•••••0000 is not a number of this account/);
  expect(code).toBe(1);
});

it('a Messaging Service that holds the number and takes its texts is an error with the command that fixes it', async () => {
  twilio.messagingServices.set(MG, { sid: MG, friendlyName: 'A2P', useInboundWebhookOnNumber: false, inboundRequestUrl: 'https://example.com/inbound', numbers: [TWILIO_NUMBER] });
  const { code, text } = await doctor();
  expect(text).toContain(`ERROR   Messaging Service ${MG} ("A2P") holds the number and takes its incoming texts (they go to https://example.com/inbound)`);
  expect(text).toContain(`--sid ${MG} --use-inbound-webhook-on-number true`);
  expect(code).toBe(1);
});

it('a Sync service that cannot be read, and MESSAGING_SERVICE_SID naming no service or one without senders, are errors', async () => {
  const missingSync = `IS${'9'.repeat(32)}`;
  let result = await doctor({ ...BASE, SYNC_SERVICE_SID: missingSync, MESSAGING_SERVICE_SID: MG });
  expect(result.text).toMatch(new RegExp(`ERROR {3}SYNC_SERVICE_SID the Sync service "${missingSync}" could not be read \\(HTTP 404 code 20404`));
  expect(result.text).toMatch(/ERROR {3}MESSAGING_SERVICE_SID names no Messaging Service of this account/);
  expect(result.code).toBe(1);
  twilio.messagingServices.set(MG, { sid: MG, friendlyName: 'Pool', useInboundWebhookOnNumber: true, inboundRequestUrl: null, numbers: [] });
  result = await doctor({ ...BASE, MESSAGING_SERVICE_SID: MG });
  expect(result.text).toMatch(/ERROR {3}MESSAGING_SERVICE_SID service "Pool" has no sender numbers/);
  expect(result.text).toMatch(/Team texts\s+through Messaging Service MG3+/);
});

it('credentials Twilio refuses: one error saying so, without the token', async () => {
  const wrong = 'b'.repeat(32);
  const { code, text } = await doctor({ ...BASE, AUTH_TOKEN: wrong });
  expect(text).toMatch(/ERROR {3}Twilio account refused ACCOUNT_SID and AUTH_TOKEN \(HTTP 401 code 20003/);
  expect(text).not.toContain(wrong);
  expect(code).toBe(1);
});

it('without a known domain the webhooks are not judged, and the doctor says how to give it', async () => {
  const { text } = await doctor(BASE, null);
  expect(text).toMatch(/WARNING webhooks not checked: the deployment's domain is unknown\. Deploy first \(npm run deploy\), or pass it: npm run doctor -- --domain <domain>\./);
});

/**
 * The documentation shows what the tools really print (issue 13, item 7): docs/DEPLOY.md's doctor sample is
 * the output of npm run doctor for the .env it shows (a team written with semicolons), before the first deploy,
 * against a stand-in account that has the number. The README shows how to call a local function by hand.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TwilioStandIn } from '../../sim/standin';
import { runDoctor } from '../../tools/doctor';
import { ENV, startTwilio } from '../support/harness';

const repo = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(repo, file), 'utf8');

/** The fenced block of `language` that follows `after` in `text`. */
function blockAfter(text: string, after: string, language: string): string {
  const from = text.indexOf(after);
  expect(from).toBeGreaterThanOrEqual(0);
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(text.slice(from));
  if (match === null) throw new Error(`no ${language} block after ${after}`);
  return match[1] ?? '';
}

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });

it('docs/DEPLOY.md: the doctor sample is what npm run doctor prints for the .env shown', async () => {
  const deploy = read('docs/DEPLOY.md');
  const shown: Record<string, string> = Object.fromEntries(blockAfter(deploy, '<!-- doctor-sample', 'ini').split('\n')
    .map((line) => /^(\w+)=(.*?)\s*(#.*)?$/.exec(line)).filter((m) => m !== null).map((m) => [m[1] ?? '', m[2] ?? '']));
  // The credentials are elided in the document; the stand-in's stand for them.
  const env: Record<string, string> = { ...shown, ACCOUNT_SID: ENV.ACCOUNT_SID ?? '', AUTH_TOKEN: ENV.AUTH_TOKEN ?? '' };
  expect(env.TEAM_MEMBERS).toMatch(/;/);
  const root = mkdtempSync(join(tmpdir(), 'pull-phone-docs-'));
  try {
    const write = (file: string, text: string): void => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    write('.env', Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n'));
    write('.env.example', read('.env.example'));
    write('.gitignore', '.env\n');
    write('package.json', read('package.json'));
    for (const source of ['functions/incoming-call.protected.ts', 'assets/hold-music.wav', 'dist/functions/incoming-call.protected.js', 'dist/assets/hold-music.wav']) write(source, 'x');
    spawnSync('git', ['init', '-q'], { cwd: root });
    twilio.numbers.clear();
    twilio.numbers.set(`PN${'1'.repeat(32)}`, { sid: `PN${'1'.repeat(32)}`, phone_number: env.TWILIO_PHONE_NUMBER ?? '' });
    const out: string[] = [];
    const code = await runDoctor(root, {}, (line) => { out.push(line); }, { live: true, width: 100 });
    expect(out.join('\n')).toBe(blockAfter(deploy, 'Before the first deploy it prints:', 'text'));
    expect(code).toBe(0);

    // The errors sample: Bob's number typed without the country code, and a near-miss name.
    write('.env', Object.entries({ ...env, TEAM_MEMBERS: 'Ann:+16175550101; Bob:617-555-0102', TEAM_MEMBER: 'Cy:+16175550103' }).map(([k, v]) => `${k}=${v}`).join('\n'));
    const errors: string[] = [];
    expect(await runDoctor(root, {}, (line) => { errors.push(line); }, { live: true, width: 100 })).toBe(1);
    for (const line of blockAfter(deploy, 'exit with status 1; for example:', 'text').split('\n')) expect(errors).toContain(line);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

it('README: calling a local function by hand, with + in numbers URL-encoded, against npm start', () => {
  const readme = read('README.md');
  const example = blockAfter(readme, 'by hand', 'sh');
  expect(example).toMatch(/curl .*http:\/\/localhost:3000\/sms-reply/s);
  expect(example).toMatch(/--data-urlencode 'From=\+1\d{10}'/);
  // Every value goes through --data-urlencode: a bare + in a form body is a space.
  expect(example).not.toMatch(/(^|\s)(-d|--data) /);
  expect(readme).toMatch(/npm start/);
});

it('README and .env.example: ACCOUNT_SID and AUTH_TOKEN are not uploaded by deploy; the runtime supplies them', () => {
  for (const file of ['README.md', '.env.example']) {
    const text = read(file);
    // The old wording, which said every value (credentials included) is uploaded.
    expect({ file, claimsUpload: /\(`npm run deploy` uploads `\.env`\)|uploads these values\.$/m.test(text) }).toEqual({ file, claimsUpload: false });
    expect({ file, says: /not upload(ed)?[^.]*\n?[^.]*(runtime|Twilio supplies)/i.test(text) }).toEqual({ file, says: true });
  }
});

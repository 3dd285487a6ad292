// End to end: a voicemail is left, each member gets a one-segment notice with their own link, the link opens
// the page from the real functions under twilio-run, and the audio route streams the very bytes Twilio
// (the stand-in) serves for that recording. Then every kind of miss gets the same 404, and deleting works.
import { join } from 'node:path';
import { contractDir, loadContract, SPEC_FILES } from '../../sim/contract';
import { MemberPhone } from '../../sim/phones';
import { Prng } from '../../sim/prng';
import { reportsAbout } from '../../sim/reports';
import { startFunctionsServer } from '../../sim/functions-server';
import { Scene, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_TWILIO_NUMBER, trace, World } from '../../sim/scenario';
import { SimCall } from '../../sim/voice';
import { isSingleSegment } from '../../src/sms-text';
import { ANN, BOB } from '../support/harness';

const JANE = { from: '+16175550101', city: 'Boston', state: 'MA', country: 'US' };
const WORDS = 'Hi, this is Jane about the invoice. Please call me back.';

let world: World;
beforeAll(async () => {
  world = await World.start({
    root: join(__dirname, '..', '..'), members: [ANN, BOB], env: { TRANSCRIBE_VOICEMAIL: 'true', TIMEZONE: 'America/New_York' },
  });
});
afterAll(async () => {
  await world.stop();
});

/** Bob sends Jane to voicemail; she speaks 14 s and hangs up. */
async function voicemailLeft(): Promise<{ scene: Scene; call: SimCall }> {
  const scene = world.scene();
  scene.member('Bob').repliesToNewCalls('N', 10);
  const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 14, end: 'hangup', words: WORDS } });
  await scene.sim.run();
  if (scene.sim.violations.length > 0 || call.outcome !== 'voicemail') throw new Error(`no voicemail:\n${trace(scene.sim.events)}`);
  return { scene, call };
}

function linkIn(member: MemberPhone): string {
  const notices = reportsAbout(member, JANE.from).filter((r) => r.kind === 'voicemail');
  expect(notices).toHaveLength(1);
  const body = notices[0]?.body ?? '';
  expect(isSingleSegment(body)).toBe(true);
  const links = body.match(/https?:\/\/\S+/g) ?? [];
  expect(links).toHaveLength(1);
  return links[0] ?? '';
}

async function get(url: string, form?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(10_000),
    ...(form === undefined ? {} : { method: 'POST', body: new URLSearchParams(form) }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

it('each member gets one one-segment notice with their own link; it opens the page, and the audio is the recording', async () => {
  const { scene, call } = await voicemailLeft();
  const annLink = linkIn(scene.member('Ann'));
  const bobLink = linkIn(scene.member('Bob'));
  expect(annLink).toMatch(new RegExp(`^${world.server.url}/vm\\?t=[A-Za-z0-9_-]{32}$`));
  expect(bobLink).not.toBe(annLink);
  expect(reportsAbout(scene.member('Ann'), JANE.from)[0]?.body).toBe(`Voicemail 14s from +16175550101, CALL ${call.reference}: ${annLink}`);

  const page = await get(annLink);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.text).toContain('<a href="tel:+16175550101">+16175550101</a>');
  expect(page.text).toContain('Boston MA US');
  expect(page.text).toContain(`<p id="transcript">${WORDS}</p>`);
  expect(page.text).toMatch(/<dt>Message<\/dt><dd>14s<\/dd>/);
  // Bob sent her to voicemail after 10 s; then the prompt and the beep, then she spoke.
  const waited = Number(/<dt>Waited<\/dt><dd>(\d+)s<\/dd>/.exec(page.text)?.[1]);
  expect(waited).toBeGreaterThanOrEqual(10);
  expect(waited).toBeLessThan(30);
  // When she called, in the team's zone: the simulation's calls start on 2026-01-05 at 09:00 UTC.
  expect(page.text).toContain('<dt>Called</dt><dd>Mon, Jan 5, 2026, 4:00 AM EST</dd>');
  expect(page.text).toMatch(/E[SD]T<\/dd>/);
  // The page never holds a Twilio URL: the player asks our own audio route.
  expect(page.text).not.toMatch(/twilio\.com|RE[0-9a-f]{32}/);
  const audioPath = /<audio[^>]* src="([^"]+)"/.exec(page.text)?.[1] ?? '';
  expect(audioPath).toMatch(/^\/vm-audio\?t=[A-Za-z0-9_-]{32}$/);

  const audio = await get(`${world.server.url}${audioPath}`);
  expect(audio.status).toBe(200);
  expect(audio.headers.get('content-type')).toBe('audio/mpeg');
  const served = world.twilio.recordingMedia(call.recording?.sid ?? '', 'mp3')?.bytes;
  expect(served?.length).toBeGreaterThan(10_000);
  expect(audio.bytes.equals(served ?? Buffer.alloc(0))).toBe(true);
  expect(audio.headers.get('cache-control')).toBe('private, no-store');

  // Bob's page shows that Ann has opened it, and then that he has too.
  const bobs = await get(bobLink);
  expect(/<ul id="opened">(.*?)<\/ul>/.exec(bobs.text)?.[1]).toMatch(/^<li>Ann, .*<\/li><li>Bob, .*<\/li>$/);
});

it('both public routes answer hostile requests with safe headers and one identical 404 for every kind of miss', async () => {
  const { scene } = await voicemailLeft();
  const link = linkIn(scene.member('Ann'));
  const token = new URL(link).searchParams.get('t') ?? '';
  const altered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
  const base = world.server.url;
  const misses = [
    `${base}/vm`, `${base}/vm?t=`, `${base}/vm?t=${altered}`, `${base}/vm?t=${token}x`, `${base}/vm?t=<script>alert(1)</script>`,
    `${base}/vm?t=x&t=${token}`, `${base}/vm-audio`, `${base}/vm-audio?t=${altered}`, `${base}/vm?t=${'A'.repeat(10_000)}`,
  ];
  const answers = await Promise.all(misses.map((url) => get(url)));
  for (const [i, answer] of answers.entries()) {
    expect({ url: misses[i]?.slice(0, 80), status: answer.status, body: answer.text }).toEqual({ url: misses[i]?.slice(0, 80), status: 404, body: 'Not found\n' });
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
  }

  const page = await get(link);
  expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; media-src 'self'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/);
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('private, no-store');
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
});

it('a member deletes the voicemail after confirming: the recording is deleted in Twilio and every link 404s', async () => {
  const { scene, call } = await voicemailLeft();
  const annLink = linkIn(scene.member('Ann'));
  const bobLink = linkIn(scene.member('Bob'));
  const token = new URL(bobLink).searchParams.get('t') ?? '';

  const confirm = await get(`${world.server.url}/vm`, { t: token, do: 'confirm-delete' });
  expect(confirm.text).toContain('Delete this voicemail?');
  expect(world.twilio.recordings.get(call.recording?.sid ?? '')?.status).toBe('completed');

  const deleted = await get(`${world.server.url}/vm`, { t: token, do: 'delete' });
  expect(deleted.status).toBe(200);
  expect(deleted.text).toContain('Voicemail deleted');
  expect(world.twilio.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/Recordings/'))).toHaveLength(1);
  expect(world.twilio.recordings.get(call.recording?.sid ?? '')?.status).toBe('deleted');

  for (const url of [annLink, bobLink, annLink.replace('/vm?', '/vm-audio?')]) {
    const answer = await get(url);
    expect({ url, status: answer.status, body: answer.text }).toEqual({ url, status: 404, body: 'Not found\n' });
  }
});

it('a member removed from TEAM_MEMBERS: their links stop working, the others keep theirs', async () => {
  const { scene } = await voicemailLeft();
  const annPath = linkIn(scene.member('Ann')).replace(world.server.url, '');
  const bobPath = linkIn(scene.member('Bob')).replace(world.server.url, '');
  // The same account (the same stand-in, Sync and all) after Bob was taken off the team and the service redeployed.
  const without = await startFunctionsServer({
    root: join(__dirname, '..', '..'), twilioUrl: world.twilio.url,
    env: { ACCOUNT_SID: TEST_ACCOUNT_SID, AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_PHONE_NUMBER: TEST_TWILIO_NUMBER, TEAM_MEMBERS: `${ANN.name}:${ANN.number}` },
  });
  try {
    expect((await get(`${without.url}${annPath}`)).status).toBe(200);
    for (const path of [bobPath, bobPath.replace('/vm?', '/vm-audio?')]) {
      const answer = await get(`${without.url}${path}`);
      expect({ path, status: answer.status, body: answer.text }).toEqual({ path, status: 404, body: 'Not found\n' });
    }
  } finally {
    await without.stop();
  }
}, 40_000);

it('markup in what the caller controls (caller ID name, place, words) is shown as text, never run', async () => {
  const scene = world.scene();
  scene.member('Bob').repliesToNewCalls('N', 10);
  const name = '<img src=x onerror="alert(1)">Eve';
  const words = '</p><script>alert("x")</script> & call me';
  const caller = { from: '+16175550199', city: '<b>Boston</b>', state: 'MA', country: 'US', callerName: name };
  const call = scene.sim.call({ ...caller, voicemail: { speakSeconds: 12, end: 'hangup', words } });
  await scene.sim.run();
  expect(call.outcome).toBe('voicemail');
  const link = linkInFrom(scene.member('Ann'), caller.from);
  const page = await get(link);
  expect(page.status).toBe(200);
  expect(page.text).not.toMatch(/<img|<script|<b>/);
  expect(page.text).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;Eve');
  expect(page.text).toContain('&#60;b&#62;Boston&#60;/b&#62;');
  expect(page.text).toContain('<p id="transcript">&#60;/p&#62;&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; call me</p>');
});

function linkInFrom(member: MemberPhone, from: string): string {
  const body = reportsAbout(member, from).find((r) => r.kind === 'voicemail')?.body ?? '';
  return /https?:\/\/\S+/.exec(body)?.[0] ?? '';
}

it('300 seeded hostile requests to both routes: each is the page, the audio or the one 404, never an error or an echo', async () => {
  const { scene } = await voicemailLeft();
  const token = new URL(linkIn(scene.member('Ann'))).searchParams.get('t') ?? '';
  const rng = new Prng(20261203);
  const alphabet = Array.from('ABCXYZabcxyz019-_+/=%<>"\'&;:?#\u0000\u00e9\u{1f600} ');
  const junk = (length: number): string => Array.from({ length }, () => rng.pick(alphabet)).join('');
  const tokens = [
    () => junk(rng.integer(0, 64)),
    () => `${token.slice(0, rng.integer(0, 31))}${junk(1)}${token.slice(rng.integer(1, 32))}`,
    () => token.split('').reverse().join(''),
    () => token,
  ];
  const requests = Array.from({ length: 300 }, () => {
    const t = rng.pick(tokens)();
    const path = rng.chance(0.5) ? '/vm' : '/vm-audio';
    const extra = rng.chance(0.3) ? `&do=${encodeURIComponent(junk(rng.integer(0, 12)))}` : '';
    return { t, url: `${world.server.url}${path}?t=${encodeURIComponent(t)}${extra}`, audio: path === '/vm-audio' };
  });
  const problems: string[] = [];
  // In batches, as a crowd of browsers would, without swamping the local server.
  for (let i = 0; i < requests.length; i += 25) {
    const batch = requests.slice(i, i + 25);
    const answers = await Promise.all(batch.map((r) => get(r.url)));
    answers.forEach((answer, j) => {
      const r = batch[j];
      if (r === undefined) return;
      const valid = r.t === token;
      const expected = valid ? 200 : 404;
      if (answer.status !== expected) problems.push(`${r.url}: ${answer.status}`);
      if (!valid && answer.text !== 'Not found\n') problems.push(`${r.url}: body ${JSON.stringify(answer.text.slice(0, 80))}`);
      if (valid && r.audio && answer.headers.get('content-type') !== 'audio/mpeg') problems.push(`${r.url}: ${answer.headers.get('content-type') ?? ''}`);
    });
  }
  expect(problems).toEqual([]);
}, 60_000);

const contract = loadContract();
if (contract === undefined) {
  console.warn(`Voicemail page contract check skipped: Twilio's OpenAPI descriptions are absent (${contractDir()}: ${SPEC_FILES.join(', ')})`);
}
(contract === undefined ? it.skip : it)('every REST request of the voicemail flow and its page is one Twilio\'s OpenAPI description accepts', async () => {
  const scene = world.scene();
  // A recording's media file is described in Twilio's docs, not in the OpenAPI description (JSON resources only).
  const media = /\/Recordings\/RE\w+\.(mp3|wav)$/;
  world.twilio.validator = (request) => (request.method === 'GET' && media.test(request.path) ? undefined : contract?.validate(request));
  scene.member('Bob').repliesToNewCalls('N', 10);
  scene.sim.call({ ...JANE, voicemail: { speakSeconds: 14, end: 'hangup', words: WORDS } });
  await scene.sim.run();
  const link = linkIn(scene.member('Ann'));
  const token = new URL(link).searchParams.get('t') ?? '';
  expect((await get(link)).status).toBe(200);
  expect((await get(link.replace('/vm?', '/vm-audio?'))).status).toBe(200);
  expect((await get(`${world.server.url}/vm`, { t: token, do: 'delete' })).text).toContain('Voicemail deleted');
  const refused = world.twilio.requests.filter((r) => r.status === 422).map((r) => `${r.method} ${r.path}`);
  expect(refused).toEqual([]);
  const seen = new Set(world.twilio.requests.map((r) => `${r.method} ${r.host}`));
  expect([...seen].sort()).toEqual(['DELETE api.twilio.com', 'DELETE sync.twilio.com', 'GET api.twilio.com', 'GET sync.twilio.com', 'POST api.twilio.com', 'POST sync.twilio.com']);
});

it('the functions log no full phone number of a caller or member while serving all of the above', () => {
  const output = world.server.output();
  // The log is really captured: the steps of these calls are in it.
  expect(output).toMatch(/\[pull-phone voicemail-saved\] voicemail from caller \d{4} reported/);
  expect(output).toMatch(/\[pull-phone vm\] voicemail from caller \d{4} deleted by Bob/);
  for (const number of [JANE.from, '+16175550199', ANN.number, BOB.number]) expect(output).not.toContain(number.slice(2));
});

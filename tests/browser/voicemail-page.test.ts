// A real browser opens a member's voicemail link from the local twilio-run server: Debian's chromium, driven by
// playwright-core (which never downloads a browser of its own). The server runs with the project's own
// .twilioserverlessrc start settings, as `npm start` does, so this shows what a browser really receives locally.
// No skipping: without chromium this test fails and says how to install it (.ci/run installs it).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { reportsAbout } from '../../sim/reports';
import { trace, World } from '../../sim/scenario';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Git-ignored; the screenshot is for a person to look at. */
const OUTPUT = join(ROOT, 'test-output');
const JANE = { from: '+16175550101', city: 'Boston', state: 'MA', country: 'US' };
const WORDS = 'Hi, this is Jane about the invoice. Please call me back.';

// Undefined when beforeAll failed (no chromium): afterAll then has nothing to stop.
let world: World | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does it) or set CHROMIUM_PATH.`);
  }
  [world, browser] = await Promise.all([
    World.start({
      root: ROOT, members: [{ name: 'Ann', number: '+15551230001' }, { name: 'Bob', number: '+15551230002' }],
      env: { TRANSCRIBE_VOICEMAIL: 'true', TIMEZONE: 'Europe/Berlin' }, forkProcessFromProjectSettings: true,
    }),
    // --no-sandbox: CI containers run as root, where chromium's sandbox cannot start.
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([browser?.close(), world?.stop()]);
});

it('a member opens the link on a phone-sized screen: the page shows the caller and transcript, and the audio loads and plays', async () => {
  if (world === undefined || browser === undefined) throw new Error('the server or the browser did not start');
  const scene = world.scene();
  scene.member('Bob').repliesToNewCalls('N', 10);
  const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 14, end: 'hangup', words: WORDS } });
  await scene.sim.run();
  if (call.outcome !== 'voicemail') throw new Error(`no voicemail:\n${trace(scene.sim.events)}`);
  const notice = reportsAbout(scene.member('Ann'), JANE.from)[0]?.body ?? '';
  const link = /http:\/\/\S+/.exec(notice)?.[0] ?? '';
  expect(link).not.toBe('');

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => { problems.push(error.message); });
  const audioAnswers: { status: number; type: string | undefined }[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/vm-audio')) audioAnswers.push({ status: response.status(), type: response.headers()['content-type'] });
  });
  try {
    const response = await page.goto(link, { waitUntil: 'load', timeout: 15_000 });
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Voicemail');
    await expect(page.locator('#transcript').textContent()).resolves.toBe(WORDS);
    await expect(page.locator('a[href^="tel:"]').getAttribute('href')).resolves.toBe('tel:+16175550101');
    await expect(page.locator('#opened').textContent()).resolves.toMatch(/^Ann, .* GMT\+1$/);
    await expect(page.locator('dl').textContent()).resolves.toMatch(/^FromBoston MA USCalledMon, Jan 5, 2026, 10:00 AM GMT\+1Waited\d+sMessage14s$/);

    // The browser decodes what /vm-audio sends: real audio of the message's length, not a JSON dump of a Buffer.
    const loaded = await page.locator('audio#message').evaluate(async (element) => {
      // Runs in the page; the project's TypeScript has no DOM types, so the element is described here.
      const audio = element as unknown as {
        readyState: number; duration: number; currentTime: number; muted: boolean; error: { code: number; message: string } | null;
        play: () => Promise<void>; addEventListener: (type: string, listener: () => void, options: { once: boolean }) => void;
      };
      if (audio.readyState < 1) {
        await new Promise<void>((resolve, reject) => {
          audio.addEventListener('loadedmetadata', () => { resolve(); }, { once: true });
          audio.addEventListener('error', () => { reject(new Error(`media error ${audio.error?.code ?? '?'}: ${audio.error?.message ?? ''}`)); }, { once: true });
        });
      }
      audio.muted = true;
      await audio.play();
      await new Promise((resolve) => setTimeout(resolve, 600));
      return { duration: audio.duration, error: audio.error?.code ?? null, playedTo: audio.currentTime };
    });
    expect(loaded.error).toBeNull();
    expect(loaded.duration).toBeGreaterThan(13);
    expect(loaded.duration).toBeLessThan(15.5);
    expect(loaded.playedTo).toBeGreaterThan(0);
    expect(audioAnswers.length).toBeGreaterThan(0);
    expect(audioAnswers.every((a) => a.status === 200 && a.type === 'audio/mpeg')).toBe(true);
    // Nothing blocked by the Content-Security-Policy, no script errors.
    expect(problems).toEqual([]);

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'voicemail-page-phone.png'), fullPage: true });
  } finally {
    await context.close();
  }
}, 60_000);

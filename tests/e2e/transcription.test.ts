// End to end with TRANSCRIBE_VOICEMAIL=true: the team's one voicemail text goes out when the recording is
// ready, without waiting for the transcription; what the caller said shows on the voicemail page,
// whichever of Twilio's two callbacks (recording status, transcription) arrives first.
import { join } from 'node:path';
import { reportsAbout } from '../../sim/reports';
import { trace, World } from '../../sim/scenario';
import { Simulator } from '../../sim/voice';

const ANN = { name: 'Ann', number: '+15551230001' };
const BOB = { name: 'Bob', number: '+15551230002' };
const JANE = { from: '+16175550101', city: 'Boston', state: 'MA', country: 'US' };
const WORDS = 'Hi, this is Jane about the invoice. Please call me back.';

let world: World;
beforeAll(async () => {
  world = await World.start({ root: join(__dirname, '..', '..'), members: [ANN, BOB], env: { TRANSCRIBE_VOICEMAIL: 'true' } });
});
afterAll(async () => {
  await world.stop();
});

function expectValidTwiml(sim: Simulator): void {
  if (sim.violations.length > 0) throw new Error(`Twilio would have failed these answers:\n${JSON.stringify(sim.violations, null, 1)}\n${trace(sim.events)}`);
}

async function transcriptOnPage(link: string): Promise<string | undefined> {
  const html = await (await fetch(link, { signal: AbortSignal.timeout(10_000) })).text();
  return /<p id="transcript"[^>]*>(.*?)<\/p>/.exec(html)?.[1];
}

it.each([
  ['the recording callback comes first', 1, 20],
  ['the transcription comes first', 20, 1],
])('one voicemail text per member, and the transcription on the page, when %s', async (_order, recordingDelay, transcriptionDelay) => {
  const scene = world.scene({ recordingCallbackDelay: () => recordingDelay, transcriptionCallbackDelay: () => transcriptionDelay });
  scene.member('Bob').repliesToNewCalls('N', 10);
  const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 14, end: 'hangup', words: WORDS } });
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(call.outcome).toBe('voicemail');
  for (const member of scene.members) {
    const reports = reportsAbout(member, JANE.from);
    expect(reports).toEqual([{ kind: 'voicemail', body: expect.stringMatching(/^Voicemail 14s from \+16175550101, CALL \d{4}: http:\/\/localhost:\d+\/vm\?t=[\w-]{32}$/) as unknown }]);
    expect(await transcriptOnPage(reports[0]?.body.split(': ')[1] ?? '')).toBe(WORDS);
  }
});

it('a message too short to transcribe is reported once, and its page says there is no transcript', async () => {
  const scene = world.scene();
  const call = scene.sim.call({ ...JANE, keys: [{ afterSeconds: 15, digits: '1' }], voicemail: { speakSeconds: 1, end: 'key', words: 'Hi' } });
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(call.outcome).toBe('voicemail');
  for (const member of scene.members) {
    const reports = reportsAbout(member, JANE.from);
    expect(reports).toEqual([{ kind: 'voicemail', body: expect.stringMatching(/^Voicemail 1s from \+16175550101, CALL \d{4}: http:\/\/localhost:\d+\/vm\?t=[\w-]{32}$/) as unknown }]);
    expect(await transcriptOnPage(reports[0]?.body.split(': ')[1] ?? '')).toMatch(/^No transcript/);
  }
});

// End to end with TRANSCRIBE_VOICEMAIL=true: the team's one voicemail text goes out when the recording is saved,
// and what the caller said follows as one transcript text, whichever of Twilio's two callbacks arrives first.
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

it.each([
  ['the recording callback comes first', 1, 20],
  ['the transcription comes first', 20, 1],
])('one voicemail text and one transcript text per member when %s', async (_order, recordingDelay, transcriptionDelay) => {
  const scene = world.scene({ recordingCallbackDelay: () => recordingDelay, transcriptionCallbackDelay: () => transcriptionDelay });
  scene.member('Bob').repliesToNewCalls('N', 10);
  const call = scene.sim.call({ ...JANE, voicemail: { speakSeconds: 14, end: 'hangup', words: WORDS } });
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(call.outcome).toBe('voicemail');
  for (const member of scene.members) {
    expect(reportsAbout(member, JANE.from)).toEqual([{ kind: 'voicemail', body: `Voicemail 14s from +16175550101: ${call.recording?.url ?? ''}` }]);
    expect(member.bodies().filter((b) => b.startsWith('Transcript'))).toEqual([`Transcript, voicemail from +16175550101 (${call.reference}): "${WORDS}"`]);
  }
});

it('a message too short to transcribe is reported once, without a transcription', async () => {
  const scene = world.scene();
  const call = scene.sim.call({ ...JANE, keys: [{ afterSeconds: 15, digits: '1' }], voicemail: { speakSeconds: 1, end: 'key', words: 'Hi' } });
  await scene.sim.run();

  expectValidTwiml(scene.sim);
  expect(call.outcome).toBe('voicemail');
  for (const member of scene.members) {
    expect(reportsAbout(member, JANE.from)).toEqual([{ kind: 'voicemail', body: `Voicemail 1s from +16175550101: ${call.recording?.url ?? ''}` }]);
  }
});

import { voicemailRecordOf } from '../../src/voicemail';

const CALLER = { callSid: `CA${'1'.repeat(32)}`, reference: '4821', name: 'Jane', number: '+16175550101', place: 'Boston MA US' };
const RECORDING = { recordingSid: `RE${'2'.repeat(32)}`, seconds: 30 };
const CALL_STARTED = new Date('2026-01-05T14:00:00.000Z');
const NOW = Date.parse('2026-01-05T14:03:00.000Z');

it("keeps who called, when, how long they waited (call start to recording start, both Twilio's clock) and the length", () => {
  expect(voicemailRecordOf(CALLER, { ...RECORDING, startTime: 'Mon, 05 Jan 2026 14:02:05 +0000' }, CALL_STARTED, NOW)).toEqual({
    callSid: CALLER.callSid, recordingSid: RECORDING.recordingSid, reference: '4821', name: 'Jane', number: '+16175550101', place: 'Boston MA US',
    calledAt: '2026-01-05T14:00:00.000Z', recordedAt: '2026-01-05T14:02:05.000Z', waitedSeconds: 125, seconds: 30, opened: [],
  });
});

it('without RecordingStartTime the message is taken to have ended just now', () => {
  expect(voicemailRecordOf(CALLER, { ...RECORDING, startTime: undefined }, CALL_STARTED, NOW)).toMatchObject({ recordedAt: '2026-01-05T14:02:30.000Z', waitedSeconds: 150 });
});

it('shows no wait when the call start is unknown or the times disagree', () => {
  const unknown = voicemailRecordOf(CALLER, { ...RECORDING, startTime: undefined }, undefined, NOW);
  expect(unknown).not.toHaveProperty('waitedSeconds');
  expect(unknown).not.toHaveProperty('calledAt');
  expect(voicemailRecordOf(CALLER, { ...RECORDING, startTime: 'Mon, 05 Jan 2026 13:59:00 +0000' }, CALL_STARTED, NOW)).not.toHaveProperty('waitedSeconds');
});

it('a withheld caller has no name or number on the page', () => {
  const record = voicemailRecordOf({ callSid: CALLER.callSid, reference: '4821', place: '' }, { ...RECORDING, startTime: undefined }, CALL_STARTED, NOW);
  expect(record).not.toHaveProperty('name');
  expect(record).not.toHaveProperty('number');
});

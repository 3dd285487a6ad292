/** Voicemail: /voicemail records, /voicemail-done settles the outcome, /voicemail-saved texts the team once. */
import { handler as voicemail } from '../../functions/voicemail.protected';
import { handler as voicemailDone } from '../../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../../functions/voicemail-saved.protected';
import { MAPS } from '../../src/store';
import { TwilioStandIn } from '../../sim/standin';
import { arrive } from '../support/calls';
import { ANN, BOB, ENV, invoke, startTwilio, url } from '../support/harness';
import { find, spoken, verbNames, withCallBack } from '../support/twiml';

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => { twilio.resetLog(); });

const RECORDING = `https://api.twilio.com/2010-04-01/Accounts/${ENV.ACCOUNT_SID ?? ''}/Recordings/RE${'7'.repeat(32)}`;

describe('/voicemail', () => {
  it('asks for a message and records it with a maximum length, an action and a status callback', async () => {
    const { twiml } = await invoke(voicemail, { CallSid: `CA${'1'.repeat(32)}` });
    expect(verbNames(twiml)).toEqual(['Say', 'Record', 'Redirect']);
    expect(spoken(twiml)).toMatch(/after the tone/);
    // Nothing recorded: Twilio skips the action and continues here, so the missed call is still reported.
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail-done'));
    expect(find(twiml, 'Record').attrs).toMatchObject({
      action: url('/voicemail-done'), maxLength: '120', playBeep: 'true', recordingStatusCallback: url('/voicemail-saved'),
    });
    expect(find(twiml, 'Record').attrs.transcribe).toBeUndefined();
  });

  it('asks Twilio for a transcription only when configured', async () => {
    const { twiml } = await invoke(voicemail, {}, { ...ENV, TRANSCRIBE_VOICEMAIL: 'true', VOICEMAIL_MAX_SECONDS: '60' });
    expect(find(twiml, 'Record').attrs).toMatchObject({ transcribe: 'true', transcribeCallback: url('/voicemail-saved'), maxLength: '60' });
  });

  it('still records when the configuration is broken: the message is kept in Twilio', async () => {
    const { twiml } = await invoke(voicemail, {}, { ...ENV, AUTH_TOKEN: '' });
    expect(verbNames(twiml)).toEqual(['Say', 'Record', 'Redirect']);
  });
});

describe('/voicemail-done and /voicemail-saved', () => {
  it('a recorded message: the caller is thanked, and every member gets one text with who, how long and the link', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const done = await invoke(voicemailDone, { CallSid: jane.callSid, From: jane.from, RecordingUrl: RECORDING, RecordingDuration: '42', Digits: 'hangup' });
    expect(verbNames(done.twiml)).toEqual(['Say', 'Hangup']);
    expect(spoken(done.twiml)).toMatch(/Thank you/);
    expect(twilio.messages).toHaveLength(0);

    const saved = { CallSid: jane.callSid, RecordingUrl: RECORDING, RecordingStatus: 'completed', RecordingDuration: '42', RecordingSid: `RE${'7'.repeat(32)}` };
    await invoke(voicemailSaved, saved);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
    const link = new RegExp(`^Voicemail 42s from JANE \\+16175550101, CALL \\d{4}: ${url('/vm').replace(/[.?]/g, '\\$&')}\\?t=[\\w-]{32}$`);
    for (const message of twilio.messages) expect(message.body).toMatch(link);
    // Each member their own link: a forwarded one can be traced to who forwarded it.
    expect(twilio.messages[0]?.body).not.toBe(twilio.messages[1]?.body);
    expect(twilio.messages.every((m) => !m.body.includes('api.twilio.com'))).toBe(true);

    twilio.resetLog();
    await invoke(voicemailSaved, saved); // repeated callback
    expect(twilio.messages).toHaveLength(0);
  });

  it('with transcription on, the text goes out on the recording callback; the transcription is kept for the page, not texted', async () => {
    const env = { ...ENV, TRANSCRIBE_VOICEMAIL: 'true' };
    const jane = await arrive(twilio, '+16175550101', {}, env);
    twilio.resetLog();
    await invoke(voicemailDone, { CallSid: jane.callSid, RecordingUrl: RECORDING, RecordingDuration: '30' }, env);
    await invoke(voicemailSaved, { CallSid: jane.callSid, RecordingUrl: RECORDING, RecordingStatus: 'completed', RecordingDuration: '30' }, env);
    expect(twilio.messages).toHaveLength(2);
    await invoke(voicemailSaved, { CallSid: jane.callSid, RecordingUrl: RECORDING, TranscriptionStatus: 'completed', TranscriptionText: 'Hi, please call me about the invoice.' }, env);
    expect(twilio.messages).toHaveLength(2);
    const transcripts = [...(twilio.syncItems(MAPS.voicemails)?.values() ?? [])].filter((i) => i.key.endsWith('-transcript'));
    expect(transcripts.map((i) => i.data)).toEqual([{ text: 'Hi, please call me about the invoice.' }]);
  });

  it('a failed transcription sends nothing and keeps nothing', async () => {
    const env = { ...ENV, TRANSCRIBE_VOICEMAIL: 'true' };
    const jane = await arrive(twilio, '+16175550101', {}, env);
    twilio.resetLog();
    const kept = twilio.syncItems(MAPS.voicemails)?.size ?? 0;
    await invoke(voicemailSaved, { CallSid: jane.callSid, RecordingUrl: RECORDING, TranscriptionStatus: 'failed' }, env);
    expect(twilio.messages).toHaveLength(0);
    expect(twilio.syncItems(MAPS.voicemails)?.size ?? 0).toBe(kept);
  });

  it('nothing recorded (Twilio continues to the Redirect without recording params): one missed-call text', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const { twiml } = await invoke(voicemailDone, { CallSid: jane.callSid, From: jane.from, CallStatus: 'in-progress' });
    expect(spoken(twiml)).toMatch(/did not get a message/);
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: JANE. Call back +16175550101'), withCallBack('Missed call: JANE. Call back +16175550101')]);
  });

  it('no message at all (silence or an immediate hang-up) is reported once as a missed call', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const { twiml } = await invoke(voicemailDone, { CallSid: jane.callSid, From: jane.from, RecordingDuration: '0', Digits: 'hangup' });
    expect(verbNames(twiml)).toEqual(['Say', 'Hangup']);
    expect(twilio.messages).toHaveLength(2);
    expect(twilio.messages[0]?.body).toEqual(withCallBack('Missed call: JANE. Call back +16175550101'));
    expect(twilio.syncItems(MAPS.outcomes)?.get(jane.callSid)?.data).toMatchObject({ outcome: 'missed' });
  });

  it('a recording Twilio failed to save is still reported once, with the number to call back', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    const failed = { CallSid: jane.callSid, RecordingUrl: RECORDING, RecordingStatus: 'failed', RecordingDuration: '0' };
    await invoke(voicemailSaved, failed);
    await invoke(voicemailSaved, failed);
    expect(twilio.messages.map((m) => m.body)).toEqual([
      withCallBack('Twilio could not save a voicemail from JANE. Call back +16175550101'), withCallBack('Twilio could not save a voicemail from JANE. Call back +16175550101'),
    ]);
  });

  it('asks Twilio for absent recordings too', async () => {
    const { twiml } = await invoke(voicemail, {});
    expect(find(twiml, 'Record').attrs.recordingStatusCallbackEvent?.split(' ').sort()).toEqual(['absent', 'completed']);
  });

  it('the Record action said 1 s, then Twilio reports the recording absent: one missed-call text, no link to nothing', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    await invoke(voicemailDone, { CallSid: jane.callSid, RecordingUrl: RECORDING, RecordingDuration: '1' });
    expect(twilio.messages).toHaveLength(0);
    const absent = { CallSid: jane.callSid, RecordingSid: `RE${'7'.repeat(32)}`, RecordingStatus: 'absent', RecordingDuration: '0' };
    await invoke(voicemailSaved, absent);
    await invoke(voicemailSaved, absent);
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: JANE. Call back +16175550101'), withCallBack('Missed call: JANE. Call back +16175550101')]);
  });

  it('an absent recording before the Record action: one missed-call text, and the action adds nothing', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    await invoke(voicemailSaved, { CallSid: jane.callSid, RecordingStatus: 'absent' });
    await invoke(voicemailDone, { CallSid: jane.callSid, RecordingUrl: RECORDING, RecordingDuration: '1' });
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: JANE. Call back +16175550101'), withCallBack('Missed call: JANE. Call back +16175550101')]);
  });

  // The recording status callback carries no From: the number comes from the caller's record, and only when that
  // cannot be read from the Call resource (one REST round, on that rare path alone).
  it('an absent recording reads the number from the caller\'s record, and asks Twilio for the call only when the record cannot be read', async () => {
    const callFetches = (): number => twilio.requests.filter((r) => r.method === 'GET' && /\/Calls\/CA\w+\.json$/.test(r.path)).length;
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.resetLog();
    await invoke(voicemailSaved, { CallSid: jane.callSid, RecordingStatus: 'absent' });
    expect(callFetches()).toBe(0);
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: JANE. Call back +16175550101'), withCallBack('Missed call: JANE. Call back +16175550101')]);

    const john = await arrive(twilio, '+16175550102');
    twilio.resetLog();
    twilio.callStatus.set(john.callSid, 'completed');
    twilio.callParties = (sid) => (sid === john.callSid ? { from: john.from, to: ENV.TWILIO_PHONE_NUMBER ?? '' } : undefined);
    twilio.faults = (r) => (r.method === 'GET' && r.path.includes(`/Maps/${MAPS.calls}/Items/`) ? { status: 503 } : undefined);
    try {
      await invoke(voicemailSaved, { CallSid: john.callSid, RecordingStatus: 'absent' });
    } finally {
      twilio.faults = undefined;
      twilio.callParties = undefined;
    }
    expect(callFetches()).toBe(1);
    expect(twilio.messages.map((m) => m.body)).toEqual([withCallBack('Missed call: +16175550102. Call back +16175550102'), withCallBack('Missed call: +16175550102. Call back +16175550102')]);
  });

  it('ignores callbacks that are not a recording from Twilio', async () => {
    await invoke(voicemailSaved, { CallSid: `CA${'2'.repeat(32)}`, RecordingUrl: 'javascript:alert(1)', RecordingStatus: 'completed' });
    await invoke(voicemailSaved, { RecordingUrl: RECORDING, RecordingStatus: 'completed' });
    expect(twilio.messages).toHaveLength(0);
  });
});

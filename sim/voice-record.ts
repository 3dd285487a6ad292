/**
 * The simulator's <Record>: the beep, what the caller says, the Recording resource, the Record action, and the
 * recording-status and transcription callbacks. V3 (a silent recording) and V4 (transcription timing) live here.
 */
import { VoicemailBehaviour } from './phones';
import { LATE_TRANSCRIPTION_SECONDS } from './variants';
import { API_VERSION, Control, SimCall, Simulator } from './voice';
import { callEndsDuringVerb } from './voice-status';

const BEEP_SECONDS = 0.5;
/** Twilio's built-in transcription handles recordings of 2 to 120 seconds. */
const TRANSCRIBABLE_SECONDS = { min: 2, max: 120 };
import { Verb } from './twiml';

export async function record(sim: Simulator, call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
  const leg = call.leg;
  const maxLength = verb.attrs.maxLength === undefined ? 3600 : Number(verb.attrs.maxLength);
  const timeout = verb.attrs.timeout === undefined ? 5 : Number(verb.attrs.timeout);
  const finishOnKey = verb.attrs.finishOnKey ?? '1234567890*#';
  if (verb.attrs.playBeep !== 'false') {
    sim.emit(call, 'caller', 'heard', '(beep)');
    const beep = await leg.wait(BEEP_SECONDS, false);
    if (beep.kind === 'interrupt') return { kind: 'gone', interrupt: beep.interrupt };
  }
  const behaviour: VoicemailBehaviour = call.script.voicemail ?? { speakSeconds: 8, end: 'silence' };
  const started = sim.now();
  const speak = Math.min(behaviour.speakSeconds, maxLength);
  // Twilio creates the Recording resource as recording starts (its statuses include 'in-progress', Recording
  // resource docs); the number's status callback may look for it.
  const recordingSid = sim.sid('RE');
  sim.twilio.recordings.set(recordingSid, { sid: recordingSid, callSid: call.callSid, status: 'in-progress', duration: -1 });
  sim.emit(call, 'caller', 'record', speak > 0 ? `speaks for ${speak} s` : 'says nothing');
  let digits: string | undefined;
  const spoken = await leg.wait(speak, false);
  let seconds = spoken.kind === 'interrupt' ? (sim.now() - started) / 1000 : speak;
  if (spoken.kind !== 'interrupt' && speak < maxLength) {
    if (behaviour.end === 'hangup') {
      sim.callerHangsUp(call);
    } else if (behaviour.end === 'key' && finishOnKey.includes('#')) {
      sim.emit(call, 'caller', 'pressed', '#');
      digits = '#';
    } else {
      // Silence: Twilio stops after `timeout` quiet seconds; trim-silence drops them from the recording.
      await leg.wait(timeout, false);
    }
  }
  seconds = Math.round(seconds);
  if (leg.hungUp()) digits = 'hangup';
  const recordingUrl = `https://api.twilio.com/${API_VERSION}/Accounts/${sim.options.accountSid}/Recordings/${recordingSid}`;
  const stored = sim.twilio.recordings.get(recordingSid);
  const words = behaviour.words ?? 'Hello, please call me back.';
  /** What the Record action is told: for a silent caller this depends on the reading of V3. */
  let reported = seconds;
  if (seconds <= 0) {
    sim.emit(call, 'caller', 'record', `nothing recorded (V3 ${sim.variants.silentRecording})`);
    switch (sim.variants.silentRecording) {
      case 'skipped':
        // V3 'skipped', the legacy Record docs: "If no audio is recorded, Twilio does not request the action URL":
        // on to the next verb. The empty recording is left 'absent'.
        if (stored !== undefined) stored.status = 'absent';
        scheduleRecordingCallbacks(sim, call, verb, recordingSid, recordingUrl, 0, words, 'absent');
        return leg.hungUp() ? { kind: 'gone', interrupt: { kind: 'hangup' } } : 'continue';
      case 'absent':
        // V3 'absent', accounts that drop silent recordings (errors 16101/16102): the action still comes, with the
        // duration taken before silence is trimmed (1 s), and the recording is then 'absent'.
        if (stored !== undefined) stored.status = 'absent';
        reported = 1;
        scheduleRecordingCallbacks(sim, call, verb, recordingSid, recordingUrl, 0, words, 'absent');
        break;
      case 'saved-empty':
        // V3 'saved-empty', the Record docs' default: silent recordings are saved, here as a 0 s recording.
        if (stored !== undefined) Object.assign(stored, { status: 'completed', duration: 0 });
        call.recording = { sid: recordingSid, url: recordingUrl, seconds: 0, words: '' };
        scheduleRecordingCallbacks(sim, call, verb, recordingSid, recordingUrl, 0, words, 'completed');
        break;
    }
  } else {
    if (stored !== undefined) Object.assign(stored, { status: 'completed', duration: seconds });
    call.recording = { sid: recordingSid, url: recordingUrl, seconds, words };
    sim.emit(call, 'caller', 'record', `recorded ${seconds} s`);
    scheduleRecordingCallbacks(sim, call, verb, recordingSid, recordingUrl, seconds, words, 'completed');
  }

  const action = verb.attrs.action ?? docUrl;
  const method = verb.attrs.method ?? 'POST';
  const params = {
    ...sim.callParams(call, leg.hungUp() ? 'completed' : 'in-progress'),
    RecordingUrl: recordingUrl, RecordingSid: recordingSid, RecordingDuration: String(reported), ...(digits === undefined ? {} : { Digits: digits }),
  };
  if (leg.hungUp()) {
    // Digits=hangup: the call is over, so what the action returns cannot run.
    await callEndsDuringVerb(sim, call);
    await sim.fetch(call, action, method, params, 'ignored');
    return { kind: 'gone', interrupt: { kind: 'hangup' } };
  }
  return { kind: 'goto', url: action, method, params };
}

/**
 * The recording status callback (for the events the <Record> asked for: 'completed' by default, 'absent' only when
 * listed) and, for a saved recording with transcribe="true", the transcription callback as V4 reads it.
 */
export function scheduleRecordingCallbacks(
  sim: Simulator, call: SimCall, verb: Verb, recordingSid: string, recordingUrl: string, seconds: number, words: string, status: 'completed' | 'absent',
): void {
  const statusUrl = verb.attrs.recordingStatusCallback;
  const events = verb.attrs.recordingStatusCallbackEvent?.split(/[\s,]+/) ?? ['completed'];
  if (statusUrl !== undefined && events.includes(status)) {
    const delay = sim.options.recordingCallbackDelay?.(call) ?? 1.5;
    sim.clock.schedule(delay * 1000, () => {
      sim.spawn(sim.fetch(call, statusUrl, verb.attrs.recordingStatusCallbackMethod ?? 'POST', {
        AccountSid: sim.options.accountSid, CallSid: call.callSid, RecordingSid: recordingSid,
        ...(status === 'completed' ? { RecordingUrl: recordingUrl } : { ErrorCode: '16102' }),
        RecordingStatus: status, RecordingDuration: String(seconds), RecordingChannels: '1', RecordingSource: 'RecordVerb',
        // When recording began: the callback comes `delay` after the end of a `seconds`-long recording.
        RecordingStartTime: new Date(sim.clock.now() - (delay + seconds) * 1000).toUTCString(),
      }, 'ignored'));
    });
  }
  const transcribeUrl = verb.attrs.transcribeCallback;
  // No transcription of a recording Twilio did not keep (transcription docs).
  if (verb.attrs.transcribe !== 'true' || transcribeUrl === undefined || status !== 'completed' || seconds <= 0) return;
  const reading = sim.variants.transcription;
  // V4 'never': Twilio promises no transcription callback at all.
  if (reading === 'never') return;
  const delay = reading === 'late'
    // V4 'late': no latency is promised; here a minute or more after the recording.
    ? sim.derived('transcription', call.callSid).seconds(LATE_TRANSCRIPTION_SECONDS.min, LATE_TRANSCRIPTION_SECONDS.max)
    : sim.options.transcriptionCallbackDelay?.(call) ?? 5 + seconds / 2;
  const transcribable = seconds >= TRANSCRIBABLE_SECONDS.min && seconds <= TRANSCRIBABLE_SECONDS.max;
  sim.clock.schedule(delay * 1000, () => {
    sim.spawn(sim.fetch(call, transcribeUrl, 'POST', {
      ...sim.callParams(call, 'completed'),
      TranscriptionSid: sim.sid('TR'), TranscriptionText: transcribable ? words : '', TranscriptionStatus: transcribable ? 'completed' : 'failed',
      TranscriptionUrl: `https://api.twilio.com/${API_VERSION}/Accounts/${sim.options.accountSid}/Transcriptions/TR`,
      RecordingSid: recordingSid, RecordingUrl: recordingUrl,
    }, 'ignored'));
  });
}

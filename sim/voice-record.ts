/**
 * The simulator's <Record>: the beep, what the caller says, the Recording resource, the Record action, and the
 * recording-status and transcription callbacks. V3 (a silent recording) and V4 (transcription timing) live here.
 */
import { VoicemailBehaviour } from './phones';
import { API_VERSION, Control, SimCall, Simulator } from './voice';

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
  // Twilio creates the Recording resource as recording starts; the number's status callback may look for it.
  const recordingSid = sim.sid('RE');
  if (speak > 0) sim.twilio.recordings.set(recordingSid, { sid: recordingSid, callSid: call.callSid, status: 'in-progress', duration: -1 });
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
  if (seconds <= 0) {
    // "If no audio is recorded, Twilio does not request the action URL" (Record docs): on to the next verb.
    sim.emit(call, 'caller', 'record', 'nothing recorded');
    // Twilio keeps an empty recording as status 'absent'.
    const empty = sim.twilio.recordings.get(recordingSid);
    if (empty !== undefined) empty.status = 'absent';
    return leg.hungUp() ? { kind: 'gone', interrupt: { kind: 'hangup' } } : 'continue';
  }
  const stored = sim.twilio.recordings.get(recordingSid);
  if (stored !== undefined) Object.assign(stored, { status: 'completed', duration: seconds });
  const recordingUrl = `https://api.twilio.com/${API_VERSION}/Accounts/${sim.options.accountSid}/Recordings/${recordingSid}`;
  const words = behaviour.words ?? 'Hello, please call me back.';
  call.recording = { sid: recordingSid, url: recordingUrl, seconds, words };
  sim.emit(call, 'caller', 'record', `recorded ${seconds} s`);
  scheduleRecordingCallbacks(sim, call, verb, recordingSid, recordingUrl, seconds, words);

  const action = verb.attrs.action ?? docUrl;
  const method = verb.attrs.method ?? 'POST';
  const params = {
    ...sim.callParams(call, leg.hungUp() ? 'completed' : 'in-progress'),
    RecordingUrl: recordingUrl, RecordingSid: recordingSid, RecordingDuration: String(seconds), ...(digits === undefined ? {} : { Digits: digits }),
  };
  if (leg.hungUp()) {
    // Digits=hangup: the call is over, so what the action returns cannot run.
    await sim.fetch(call, action, method, params, 'ignored');
    return { kind: 'gone', interrupt: { kind: 'hangup' } };
  }
  return { kind: 'goto', url: action, method, params };
}

export function scheduleRecordingCallbacks(sim: Simulator, call: SimCall, verb: Verb, recordingSid: string, recordingUrl: string, seconds: number, words: string): void {
  const statusUrl = verb.attrs.recordingStatusCallback;
  if (statusUrl !== undefined) {
    const delay = sim.options.recordingCallbackDelay?.(call) ?? 1.5;
    sim.clock.schedule(delay * 1000, () => {
      sim.spawn(sim.fetch(call, statusUrl, verb.attrs.recordingStatusCallbackMethod ?? 'POST', {
        AccountSid: sim.options.accountSid, CallSid: call.callSid, RecordingSid: recordingSid, RecordingUrl: recordingUrl,
        RecordingStatus: 'completed', RecordingDuration: String(seconds), RecordingChannels: '1', RecordingSource: 'RecordVerb',
        RecordingStartTime: new Date(sim.clock.now()).toUTCString(),
      }, 'ignored'));
    });
  }
  const transcribeUrl = verb.attrs.transcribeCallback;
  if (verb.attrs.transcribe === 'true' && transcribeUrl !== undefined) {
    const delay = sim.options.transcriptionCallbackDelay?.(call) ?? 5 + seconds / 2;
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
}

/** The voicemail a caller leaves: Twilio records and keeps it; the team gets one text when it is ready. */
import type { Caller } from './caller';
import { Step, voiceResponse, VoiceResponse } from './step';
import type { VoicemailRecord } from './store';
import type { TwilioClient } from './twilio-api';

export interface VoicemailSettings {
  prompt: string;
  maxSeconds: number;
  transcribe: boolean;
}

/** Twilio's built-in transcription needs a recording longer than 2 and shorter than 120 seconds (error 13617). */
export const TRANSCRIBABLE = { aboveSeconds: 2, belowSeconds: 120 } as const;

export function recordVoicemail(url: Step['url'], settings: VoicemailSettings): VoiceResponse {
  const response = voiceResponse();
  response.say(settings.prompt);
  response.record({
    action: url('/voicemail-done'),
    method: 'POST',
    maxLength: settings.maxSeconds,
    timeout: 5,
    playBeep: true,
    trim: 'trim-silence',
    finishOnKey: '#',
    recordingStatusCallback: url('/voicemail-saved'),
    recordingStatusCallbackMethod: 'POST',
    ...(settings.transcribe ? { transcribe: true, transcribeCallback: url('/voicemail-saved') } : {}),
  });
  // Twilio skips the action when it recorded nothing and goes on here: /voicemail-done then reports a missed call.
  response.redirect({ method: 'POST' }, url('/voicemail-done'));
  return response;
}

/**
 * Whether Twilio holds a recording of this call (it creates one as recording starts). An empty one
 * ('absent') is no voicemail; a failed one is still reported by /voicemail-saved. One request.
 */
export async function hasRecording(client: TwilioClient, callSid: string): Promise<boolean> {
  const page = await client.calls(callSid).recordings.page({ pageSize: 20 });
  return page.instances.some((recording) => recording.status !== 'absent');
}

const DAY_SECONDS = 86_400;

/**
 * What the voicemail's page shows, from the caller's record and the recording callback. When they called is the
 * Call resource's start time, when the message started is RecordingStartTime (else now minus its length): both
 * Twilio's clock. The wait between them is shown only when both are known and it is plausible.
 */
export function voicemailRecordOf(
  caller: Caller, recording: { recordingSid: string; seconds: number; startTime: string | undefined }, callStarted: Date | undefined, now: number,
): VoicemailRecord {
  const started = Date.parse(recording.startTime ?? '');
  const recordedAt = Number.isNaN(started) ? now - recording.seconds * 1000 : started;
  const arrivedAt = callStarted?.getTime() ?? Number.NaN;
  const waited = (recordedAt - arrivedAt) / 1000;
  return {
    callSid: caller.callSid, recordingSid: recording.recordingSid, reference: caller.reference, place: caller.place, seconds: recording.seconds,
    ...(caller.name === undefined ? {} : { name: caller.name }), ...(caller.number === undefined ? {} : { number: caller.number }),
    ...(Number.isNaN(arrivedAt) ? {} : { calledAt: new Date(arrivedAt).toISOString() }),
    recordedAt: new Date(recordedAt).toISOString(),
    ...(waited >= 0 && waited < DAY_SECONDS ? { waitedSeconds: Math.round(waited) } : {}),
    opened: [],
  };
}

/**
 * A voicemail's audio, fetched from Twilio with the account's credentials, so it plays whether or not the
 * account enforces HTTP auth on media URLs (support.twilio.com 15827821586843) and no Twilio URL reaches
 * a browser. The media file is the recording's URL plus an extension (twilio.com/docs/voice/api/recording,
 * "Fetch a Recording media file"): .mp3 is a quarter of the size of .wav, but an encrypted recording has
 * no .mp3 (error 16109), so .wav is the second try.
 *
 * Plain fetch, not the twilio client: its request layer decodes every body as text, which breaks bytes.
 */
import { Config } from './config';

export type RecordingMedia = { kind: 'audio'; contentType: string; bytes: Buffer } | { kind: 'gone' };

/** Well inside a Function's 10 s, with room to answer. */
const FETCH_MS = 7000;
/** A 1-hour voicemail (VOICEMAIL_MAX_SECONDS' maximum) is about 14 MB as mp3; anything bigger is refused. */
const MAX_BYTES = 20 * 1024 * 1024;

export async function fetchRecordingMedia(config: Config, recordingSid: string): Promise<RecordingMedia> {
  const base = `https://api.twilio.com/2010-04-01/Accounts/${config.accountSid}/Recordings/${recordingSid}`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  const signal = AbortSignal.timeout(FETCH_MS);
  for (const [extension, fallbackType] of [['.mp3', 'audio/mpeg'], ['.wav', 'audio/wav']] as const) {
    const response = await fetch(`${base}${extension}`, { headers: { Authorization: authorization }, signal, redirect: 'follow' });
    if (response.status === 404) {
      await response.body?.cancel();
      return { kind: 'gone' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      if (extension === '.mp3') continue;
      throw Object.assign(new Error('recording media'), { status: response.status });
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_BYTES) {
      await response.body?.cancel();
      throw Object.assign(new Error('recording media too large'), { status: 413 });
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_BYTES) throw Object.assign(new Error('recording media too large'), { status: 413 });
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    // Only an audio type is passed on: the browser must never be handed something it could render as a page.
    return { kind: 'audio', contentType: /^audio\/[a-z0-9.+-]+$/i.test(type) ? type : fallbackType, bytes };
  }
  throw Object.assign(new Error('recording media'), { status: 502 });
}

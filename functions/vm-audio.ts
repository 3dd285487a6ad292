/**
 * /vm-audio — a voicemail's audio for the page's player (public, behind the same token check as /vm).
 * Fetched from Twilio with the account's credentials and passed on as bytes: the browser never sees a Twilio URL.
 */
import { definePublicRoute } from '../src/public-route';
import { fetchRecordingMedia } from '../src/recording-media';
import { audioAnswer, notFound } from '../src/voicemail-page';

export const handler = definePublicRoute('vm-audio', async (route) => {
  const voicemail = await route.store.voicemail(route.link.voicemailId);
  if (voicemail === undefined) return notFound();
  const media = await fetchRecordingMedia(route.config, voicemail.record.recordingSid);
  return media.kind === 'gone' ? notFound() : audioAnswer(media.bytes, media.contentType);
});

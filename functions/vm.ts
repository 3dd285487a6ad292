/**
 * /vm — the voicemail page a member opens from their notice (public: a browser opens it, so no Twilio signature).
 * The token opens one voicemail for one member, or the request gets the same 404 as every other miss.
 * Shows who called and the audio; notes that this member opened it; deletes it after a confirm step.
 * Named short because its URL is in every notice, which must fit one SMS segment.
 */
import { startCallbackFromPage } from '../src/callback-step';
import { logInfo } from '../src/log';
import { STEP_DEADLINE_MS } from '../src/step';
import { definePublicRoute } from '../src/public-route';
import { failureOf } from '../src/twilio-api';
import { callBackPage, confirmDeletePage, deletedPage, notFound, voicemailPage } from '../src/voicemail-page';
import { param } from '../src/webhook';

export const handler = definePublicRoute('vm', async (route, event) => {
  const { store, link } = route;
  const voicemail = await store.voicemail(link.voicemailId);
  if (voicemail === undefined) return notFound();

  // Twilio Functions do not pass the HTTP method on; the forms post `do`, a plain link never carries it.
  const action = param(event, 'do');
  if (action === 'confirm-delete') return confirmDeletePage(route.token);
  if (action === 'call-back') {
    // A withheld number has no button; a forged request for one gets the same 404 as any other miss.
    if (voicemail.record.number === undefined) return notFound();
    const step = { name: route.name, config: route.config, client: route.client, store: route.store, url: route.url, reached: new Set<string>(),
      remainingMs: () => STEP_DEADLINE_MS - (Date.now() - route.now.getTime()) };
    return callBackPage(route.token, await startCallbackFromPage(step, link.member, voicemail.record.number));
  }
  if (action === 'delete') {
    try {
      await route.client.recordings(voicemail.record.recordingSid).remove();
    } catch (error) {
      // Already deleted in Twilio (404): the voicemail is still forgotten below.
      if (failureOf(error).status !== 404) throw error;
    }
    await store.deleteVoicemail(link.voicemailId);
    logInfo(route.name, `voicemail from caller ${voicemail.record.reference} deleted by ${link.member.name}`);
    return deletedPage();
  }

  const record = await store.markOpened(link.voicemailId, voicemail.record, link.member.name, route.now, link.expiresAt);
  return voicemailPage({ voicemail: { ...voicemail, record }, token: route.token, timeZone: route.config.timeZone });
});

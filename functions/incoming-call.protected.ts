/**
 * /incoming-call — the number's voice webhook.
 * Texts the team who is calling, then puts the caller in the queue with hold music.
 * A failed text never keeps the caller out of the queue.
 * Outside business hours (or while a member's CLOSED holds) the caller hears the closed prompt and goes
 * straight to voicemail: not queued, nobody texted now; the voicemail notice follows as for any voicemail.
 */
import { placeOf, usableName } from '../src/caller';
import { DEFAULT_PROMPTS } from '../src/config';
import { currentHours } from '../src/hours';
import { logError, logInfo } from '../src/log';
import { newCallText } from '../src/messages';
import { maskNumber } from '../src/phone';
import { callReference } from '../src/reference';
import { apologiseToVoicemail, defineStep, Step, voiceResponse } from '../src/step';
import { CallRecord } from '../src/store';
import { textedSummary, TextResult, textMembers, within } from '../src/team';
import { describeFailure } from '../src/twilio-api';
import { fromNumber, param, sidParam, WebhookEvent } from '../src/webhook';

/** Lookup and the paused list share this budget; after it the team is texted with what we have. */
const PREPARE_MS = 1500;
/** Texts and the caller's record; after this the caller is queued whatever is still pending. */
const NOTIFY_MS = 4000;

export const handler = defineStep({
  name: 'incoming-call',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    if (callSid === undefined) {
      logError(step.name, 'webhook without a valid CallSid; sending to voicemail');
      return apologiseToVoicemail(step.url, step.config.prompts.unavailable);
    }
    const number = fromNumber(event);
    const place = placeOf(param(event, 'FromCity'), param(event, 'FromState'), param(event, 'FromCountry'));

    // If Sync cannot say, nobody counts as paused and the schedule alone decides open or closed.
    const [name, team] = await Promise.all([
      callerName(step, event, number),
      within(step, 'team state', PREPARE_MS, step.store.teamState(), { paused: new Set<string>(), override: undefined }),
    ]);
    const caller: CallRecord = {
      callSid, reference: callReference(callSid), place,
      ...(name === undefined ? {} : { name }), ...(number === undefined ? {} : { number }),
    };

    if (!currentHours(step.config, Date.now(), team.override).open) {
      // The record lets the voicemail notice name the caller, as in open hours.
      await within(step, 'saving the caller', NOTIFY_MS, step.store.saveCall(caller), undefined);
      logInfo(step.name, `caller ${caller.reference} (${maskNumber(number)}) called while closed; sent to voicemail`);
      return apologiseToVoicemail(step.url, step.config.prompts.closed);
    }

    const paused = team.paused;
    const notified = step.config.members.filter((m) => !paused.has(m.number));
    const [texted] = await within<[TextResult | undefined, unknown]>(step, 'texting the team', NOTIFY_MS, Promise.all([
      textMembers(step, notified, newCallText(caller, step.config.keywords), `caller ${caller.reference}`),
      step.store.saveCall(caller).catch((error: unknown) => {
        logError(step.name, `saving caller ${caller.reference} failed (${describeFailure(error)})`);
      }),
    ]), [undefined, undefined]);
    const pausedCount = step.config.members.length - notified.length;
    logInfo(step.name, `caller ${caller.reference} (${maskNumber(number)}) queued; ${textedSummary(texted, notified.length)}${pausedCount === 0 ? '' : ` (${pausedCount} paused)`}`);

    const response = voiceResponse();
    response.enqueue(
      { waitUrl: step.url('/wait-music'), waitUrlMethod: 'POST', action: step.url('/queue-result'), method: 'POST' },
      step.config.queueName,
    );
    return response;
  },
  fallback: (url) => apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable),
});

/** CallerName when Twilio sends one; else, if enabled, Lookup's caller_name within the time budget. */
async function callerName(step: Step, event: WebhookEvent, number: string | undefined): Promise<string | undefined> {
  const fromWebhook = usableName(param(event, 'CallerName'), number);
  if (fromWebhook !== undefined || !step.config.callerNameLookup || number === undefined) return fromWebhook;
  const lookup = step.client.lookups.v2
    .phoneNumbers(number)
    .fetch({ fields: 'caller_name' })
    .then((result) => {
      // twilio 6 gives { callerName, … }; older clients gave { caller_name, … }.
      const info = result.callerName as unknown as Record<string, unknown> | null;
      const value = info?.callerName ?? info?.caller_name;
      return typeof value === 'string' ? value : undefined;
    });
  return usableName(await within(step, 'caller-name lookup', PREPARE_MS, lookup, undefined), number);
}

/**
 * /queue-result — the Enqueue action: Twilio says how the caller left the queue.
 * A caller who hung up is reported as missed, once; one who left (key 1 or the maximum wait) goes to voicemail.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { logError, logInfo } from '../src/log';
import { apologiseToVoicemail, defineStep, voiceResponse } from '../src/step';
import { askAgain, MUST_READ_MS, reportMissed, within } from '../src/team';
import { fromNumber, numberParam, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'queue-result',
  run: async (step, event) => {
    const result = param(event, 'QueueResult');
    switch (result) {
      case 'redirected': {
        // A member pulled the caller by REST. Whether Twilio then runs the dequeue's Url or this answer is
        // unverified (TWILIO-NOTES.md), so this answer sends the caller to the same place the pull recorded.
        const callSid = sidParam(event, 'CallSid', 'CA');
        const pull = callSid === undefined ? undefined : await within(step, 'pull claim', MUST_READ_MS, askAgain(() => step.store.pullOf(callSid), 3), undefined);
        const response = voiceResponse();
        if (pull !== undefined && isOwnUrl(pull.url, step.url('/'))) {
          response.redirect({ method: 'POST' }, pull.url);
          return response;
        }
        // No pull on record (or unreadable): voicemail, never silence, should this answer be the one that runs.
        logError(step.name, 'caller redirected out of the queue with no readable pull claim; answering with voicemail');
        response.redirect({ method: 'POST' }, step.url('/voicemail'));
        return response;
      }
      case 'bridged':
      case 'bridging-in-process':
      case 'redirected-from-bridged':
        // A <Dial><Queue> bridge, which Pull Phone does not use: the bridge owns the call.
        return voiceResponse();
      case 'leave': {
        // The caller chose voicemail, waited the maximum, or asked for a callback (which /hold-key settled).
        const callSid = sidParam(event, 'CallSid', 'CA');
        // Asked again on failure: a caller who asked for a callback must not be sent to the voicemail prompt.
        const outcome = callSid === undefined ? undefined : await within(step, 'call outcome', MUST_READ_MS, askAgain(() => step.store.outcomeOf(callSid), 3), undefined);
        const response = voiceResponse();
        if (outcome?.outcome === 'callback') {
          response.say(step.config.prompts.callbackConfirmation);
          response.hangup();
        } else {
          response.redirect({ method: 'POST' }, step.url('/voicemail'));
        }
        return response;
      }
      case 'hangup': {
        const callSid = sidParam(event, 'CallSid', 'CA');
        if (callSid !== undefined) {
          const waited = numberParam(event, 'QueueTime');
          await reportMissed(step, callSid, fromNumber(event), waited);
        }
        return voiceResponse();
      }
      case undefined:
      default:
        // queue-full, error, system-error, or something new: the caller still gets voicemail.
        // Only Twilio's own word is logged: anything else could carry a phone number.
        logInfo(step.name, `queue result ${result !== undefined && /^[a-z-]{1,30}$/.test(result) ? result : '(unrecognised)'}; sending to voicemail`);
        return apologiseToVoicemail(step.url, step.config.prompts.unavailable);
    }
  },
  fallback: (url) => apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable),
});

/** A URL our own pull wrote, on our own domain: nothing else is ever redirected to. */
function isOwnUrl(url: string, root: string): boolean {
  try {
    return new URL(url).origin === new URL(root).origin;
  } catch {
    return false;
  }
}

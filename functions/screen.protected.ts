/**
 * /screen — runs on the member's phone when they answer, before the caller is connected.
 * Says who is calling and waits for 1. Pressing 1 settles the call as connected (first wins, in Sync);
 * anything else, or silence (a mobile's own voicemail), hangs up this leg and the caller goes to voicemail.
 */
import { describeCaller } from '../src/caller';
import { logInfo } from '../src/log';
import { defineStep, voiceResponse } from '../src/step';
import { callerDetails, memberByNumber, SYNC_READ_MS, within } from '../src/team';
import { toE164 } from '../src/phone';
import { param, sidParam } from '../src/webhook';

const ACCEPT_KEY = '1';
const SCREEN_SECONDS = 8;

export const handler = defineStep({
  name: 'screen',
  run: async (step, event) => {
    const response = voiceResponse();
    const callerSid = sidParam(event, 'caller', 'CA');
    const member = memberByNumber(step, toE164(param(event, 'member')));
    if (callerSid === undefined || member === undefined) {
      response.say('Sorry, this call cannot be connected.');
      response.hangup();
      return response;
    }
    const digits = param(event, 'Digits');
    if (digits === undefined) {
      const caller = await callerDetails(step, callerSid, undefined);
      const place = caller.place === '' ? '' : ` from ${caller.place}`;
      const gather = response.gather({
        numDigits: 1, timeout: SCREEN_SECONDS, method: 'POST',
        action: step.url('/screen', { caller: callerSid, member: member.number }),
      });
      gather.say(`Pull Phone call from ${describeCaller(caller)}${place}, reference ${caller.reference.split('').join(' ')}. Press 1 to connect.`);
      // No key: this may be the phone's own voicemail. Never connect the caller to it.
      response.hangup();
      return response;
    }
    if (digits !== ACCEPT_KEY) {
      response.say('OK, the caller will go to voicemail.');
      response.hangup();
      return response;
    }
    const claimed = await step.store.claimOutcome(callerSid, { outcome: 'connected', member: member.name }).catch(() => undefined);
    if (claimed === true) {
      logInfo(step.name, `${member.name} accepted; connecting`);
      return response;
    }
    // Settled already. A caller who asked for a callback but was pulled in that same moment is still on the
    // line, and talking now beats calling back later; any other outcome means they are gone. If Sync cannot
    // say, the caller goes to voicemail rather than risk a connection nobody can account for.
    const settled = claimed === false ? await within(step, 'call outcome', SYNC_READ_MS, step.store.outcomeOf(callerSid), undefined) : undefined;
    if (settled?.outcome === 'callback') return response;
    response.say(settled?.outcome === 'connected' ? 'Sorry, another member already took this call.'
      : settled === undefined ? 'Sorry, this call cannot be connected right now.' : 'Sorry, the caller has already hung up.');
    response.hangup();
    return response;
  },
  fallback: () => {
    const response = voiceResponse();
    response.say('Sorry, this call cannot be connected right now.');
    response.hangup();
    return response;
  },
});

/**
 * /screen — runs on the member's phone when they answer, before the caller is connected.
 * Says who is calling and waits for 1. Pressing 1 settles the call as connected (first wins, in Sync);
 * anything else, or silence (a mobile's own voicemail), hangs up this leg and the caller goes to voicemail.
 */
import { describeCaller } from '../src/caller';
import { logInfo } from '../src/log';
import { defineStep, voiceResponse } from '../src/step';
import { callerDetails, memberByNumber } from '../src/team';
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
    if (digits === ACCEPT_KEY && (await step.store.claimOutcome(callerSid, { outcome: 'connected', member: member.name }))) {
      logInfo(step.name, `${member.name} accepted; connecting`);
      return response;
    }
    response.say(digits === ACCEPT_KEY ? 'Sorry, the caller has already hung up.' : 'OK, the caller will go to voicemail.');
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

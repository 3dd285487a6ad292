/**
 * /bridge-result — the Dial action, on the caller's call.
 * DialBridged says whether the two really talked (a screened-out leg also reports "completed").
 * Not connected: the team is told and the caller goes to voicemail rather than back to the queue,
 * so they are never passed around past the maximum wait.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { logInfo } from '../src/log';
import { notices } from '../src/messages';
import { toE164 } from '../src/phone';
import { apologiseToVoicemail, defineStep, voiceResponse } from '../src/step';
import { askAgain, callerDetails, memberByNumber, reportMissed, teamInTurn, textMembers } from '../src/team';
import { fromNumber, param, sidParam } from '../src/webhook';

export const handler = defineStep({
  name: 'bridge-result',
  run: async (step, event) => {
    const callSid = sidParam(event, 'CallSid', 'CA');
    const bridged = param(event, 'DialBridged');
    const status = param(event, 'DialCallStatus') ?? 'failed';
    // Accounts without DialBridged: the Sync claim made when the member pressed 1 tells instead.
    const connected = bridged === undefined
      // Asked again on a failure (as /queue-result does): a lost read would send a connected caller to voicemail.
      ? status === 'completed' && callSid !== undefined && (await askAgain(() => step.store.outcomeOf(callSid), 2))?.outcome === 'connected'
      : bridged === 'true';
    if (connected) {
      const response = voiceResponse();
      response.hangup();
      return response;
    }
    const member = memberByNumber(step, toE164(param(event, 'member')));
    // The caller's own call is over: they hung up while the member's phone rang. That is a missed call.
    const callerGone = param(event, 'CallStatus') === 'completed';
    if (callSid !== undefined && member !== undefined) {
      const from = fromNumber(event);
      if (callerGone) {
        await reportMissed(step, callSid, from);
      } else {
        const caller = await callerDetails(step, callSid, from);
        await textMembers(step, teamInTurn(step.config.members, callSid), notices.notAnswered(member, caller, reason(status)), `caller ${caller.reference}`);
        logInfo(step.name, `caller ${caller.reference} not connected (${reason(status)}); to voicemail`);
      }
    }
    return apologiseToVoicemail(step.url, 'Sorry, nobody could take your call after all.');
  },
  fallback: (url) => apologiseToVoicemail(url, DEFAULT_PROMPTS.unavailable),
});

function reason(status: string): string {
  switch (status) {
    case 'busy': return 'busy';
    case 'no-answer': return 'no answer';
    case 'completed': return 'did not accept';
    case 'canceled': return 'canceled';
    default: return 'call failed';
  }
}

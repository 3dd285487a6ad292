/** Bringing callers into the queue through the real /incoming-call, as Twilio would after answering. */
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { callReference } from '../../src/reference';
import { TwilioStandIn } from '../../sim/standin';
import { ENV, invoke, newCallSid, TWILIO_NUMBER } from './harness';

export interface Arrival {
  callSid: string;
  reference: string;
  from: string;
}

export async function arrive(
  twilio: TwilioStandIn, from: string, extra: Record<string, string> = {}, env: Record<string, string> = ENV,
): Promise<Arrival> {
  const callSid = newCallSid();
  // As Twilio does: the number's voice URL is requested as configured, its query (who paused) included.
  await invoke(incomingCall, { ...twilio.voiceQuery(TWILIO_NUMBER), CallSid: callSid, From: from, To: TWILIO_NUMBER, CallStatus: 'ringing', ...extra }, env);
  twilio.enqueue(env.QUEUE_NAME ?? 'pull-phone', callSid);
  return { callSid, reference: callReference(callSid), from };
}

export function sms(from: string, body: string): Record<string, string> {
  return { MessageSid: `SM${'e'.repeat(32)}`, From: from, To: TWILIO_NUMBER, Body: body, NumMedia: '0', NumSegments: '1' };
}

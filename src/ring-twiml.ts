/** The one conference both sides of a ring-all answer join, written once so the two sides always match. */
import { voiceResponse, VoiceResponse } from './step';

/**
 * Either side may arrive first (each starts the conference); either leaving ends it (endConferenceOnExit), so the
 * other is never left in an empty room. No beep: it is a two-person call. Both start it on entering, so its wait music never plays.
 * (twilio.com/docs/voice/twiml/conference)
 * Nothing is said before joining unless there is news (`say`): a side that hangs up before it is in the room leaves
 * the other alone in it, so the way in is kept as short as it can be (the randomized run found members hanging up
 * during a "Connecting you now").
 */
export function conferenceTwiml(name: string, say?: string): VoiceResponse {
  const response = voiceResponse();
  if (say !== undefined) response.say(say);
  response.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: true, beep: 'false' }, name);
  return response;
}

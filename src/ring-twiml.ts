/** The one conference both sides of a ring-all answer join, written once so the two sides always match. */
import { voiceResponse, VoiceResponse } from './step';

/**
 * The member's side. The member starts the room (startConferenceOnEnter); either leaving ends it
 * (endConferenceOnExit), so the other is never left in a room that had both. No beep: it is a two-person call.
 * (twilio.com/docs/voice/twiml/conference)
 * Nothing is said before joining unless there is news (`say`): the way in is kept as short as it can be (the
 * randomized run found members hanging up during a "Connecting you now").
 */
export function memberConferenceTwiml(name: string, say?: string): VoiceResponse {
  const response = voiceResponse();
  if (say !== undefined) response.say(say);
  response.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: true, beep: 'false' }, name);
  return response;
}

/**
 * The caller's side. The caller does not start the room (startConferenceOnEnter false): until the member is in it,
 * Twilio plays the caller the room's `waitUrl` ("they … hear background music until a participant joins where
 * startConferenceOnEnter is true", twilio.com/docs/voice/twiml/conference), and that request is how Pull Phone
 * learns the caller is waiting without the member: /ring-wait checks that the member is still on the line, and
 * moves the caller to voicemail when not. The room can therefore only have started with the member in it, and ends
 * when either leaves, so the caller is never alone in a started room.
 */
export function callerConferenceTwiml(name: string, waitUrl: string): VoiceResponse {
  const response = voiceResponse();
  response.dial().conference({
    startConferenceOnEnter: false, endConferenceOnExit: true, beep: 'false', waitUrl, waitMethod: 'POST',
  }, name);
  return response;
}

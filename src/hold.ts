/** What a waiting caller hears in one loop of the queue's wait document. */
import { Prompts } from './config';
import { sayAndLeave, Step, voiceResponse, VoiceResponse } from './step';

export const HOLD_MUSIC = '/hold-music.wav';
/** Keys a waiting caller can press; the hold-options prompt names them. */
export const HOLD_KEYS = { voicemail: '1', callback: '2' } as const;
/** The first request of the wait document comes at once; later ones come a music loop (40 s) apart. */
const FIRST_LOOP_WITHIN_SECONDS = 5;
/** Twilio's largest queue; a position beyond it (or a fraction) did not come from Twilio and is not read out. */
const MAX_QUEUE_SIZE = 5000;

export interface HoldInput {
  queueTime: number;
  position: number | undefined;
  maxWaitSeconds: number;
  prompts: Prompts;
  url: Step['url'];
}

export function holdLoop(input: HoldInput): VoiceResponse {
  // The Enqueue action takes a caller who leaves at the maximum wait to voicemail.
  if (input.queueTime >= input.maxWaitSeconds) return sayAndLeave(input.prompts.maxWait);
  const response = voiceResponse();
  const gather = response.gather({ numDigits: 1, timeout: 1, action: input.url('/hold-key'), method: 'POST', actionOnEmptyResult: false });
  const first = input.queueTime < FIRST_LOOP_WITHIN_SECONDS;
  if (first) gather.say(input.prompts.greeting);
  // Position once a loop at most, and only when it tells the caller something.
  else if (input.position !== undefined && Number.isSafeInteger(input.position) && input.position > 1 && input.position <= MAX_QUEUE_SIZE) {
    gather.say(`You are caller ${input.position} in line.`);
  }
  gather.say(input.prompts.holdOptions);
  gather.play(input.url(HOLD_MUSIC));
  return response;
}

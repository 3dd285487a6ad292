/**
 * /voicemail — asks the caller for a message and records it.
 * Works even when the configuration is broken: this is where every other step's safe path ends.
 */
import { DEFAULT_PROMPTS } from '../src/config';
import { defineStep } from '../src/step';
import { recordVoicemail } from '../src/voicemail';

export const handler = defineStep({
  name: 'voicemail',
  run: (step) => {
    return recordVoicemail(step.url, {
      prompt: step.config.prompts.voicemail,
      maxSeconds: step.config.voicemailMaxSeconds,
      transcribe: step.config.transcribeVoicemail,
    });
  },
  fallback: (url) => recordVoicemail(url, { prompt: DEFAULT_PROMPTS.voicemail, maxSeconds: 120, transcribe: false }),
});

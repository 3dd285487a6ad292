/**
 * The readings of Twilio the simulator can play. Where Twilio's documentation leaves a point open (or changed it),
 * each plausible reading is a named choice, so the product can be shown to keep its promises under all of them.
 * The first choice listed for each point is what the simulator did before it had variants.
 * TWILIO-NOTES.md items marked UNVERIFIED map to these points (see docs/TWILIO-READINGS.md).
 */
import { Prng } from './prng';

export interface Variants {
  /** V1 — enqueue docs: after a REST dequeue Twilio requests the Enqueue action (QueueResult=redirected); which document then runs is not said. */
  queueActionAfterDequeue: 'ignored' | 'executed';
  /** V2 — TwiML changelog 2024-03-20: status callbacks are asynchronous, so `completed` can come before the verb actions. */
  statusCallback: 'after' | 'before' | 'racing';
  /** V3 — record docs: silent recordings are saved by default; accounts may drop them as `absent`, reported only when asked for. */
  silentRecording: 'skipped' | 'saved-empty' | 'absent';
  /** V4 — transcription docs: no latency is promised, and no callback for recordings out of range or absent. */
  transcription: 'prompt' | 'late' | 'never';
  /** V5 — dial docs, 2020-12-09 changelog: DialBridged only with "Enhanced Programmable SIP Features". */
  dialBridged: 'present' | 'absent';
  /** V6 — member-resource docs: a second dequeue gets a 4xx; two at the same moment are not covered. */
  concurrentDequeues: 'first-wins' | 'both-succeed';
  /** V7 — messaging throughput (error 21611): a long code sends about one segment per second, in order. */
  smsDelivery: 'instant' | 'throttled';
  /** V8 — functions FAQ: a Function is stopped at 10 s; REST calls can be slow (twilio-node waits 30 s by default). */
  functionLimits: 'none' | 'killed-at-10s';
}

export type VariantName = keyof Variants;

export const CHOICES: { [K in VariantName]: readonly Variants[K][] } = {
  queueActionAfterDequeue: ['ignored', 'executed'],
  statusCallback: ['after', 'before', 'racing'],
  silentRecording: ['skipped', 'saved-empty', 'absent'],
  transcription: ['prompt', 'late', 'never'],
  dialBridged: ['present', 'absent'],
  concurrentDequeues: ['first-wins', 'both-succeed'],
  smsDelivery: ['instant', 'throttled'],
  functionLimits: ['none', 'killed-at-10s'],
};

/** The variants' labels in the issue (V1–V8), for reports. */
export const LABELS: Record<VariantName, string> = {
  queueActionAfterDequeue: 'V1', statusCallback: 'V2', silentRecording: 'V3', transcription: 'V4',
  dialBridged: 'V5', concurrentDequeues: 'V6', smsDelivery: 'V7', functionLimits: 'V8',
};

/** The simulator's reading before variants existed. */
export const CURRENT: Variants = {
  queueActionAfterDequeue: 'ignored', statusCallback: 'after', silentRecording: 'skipped', transcription: 'prompt',
  dialBridged: 'present', concurrentDequeues: 'first-wins', smsDelivery: 'instant', functionLimits: 'none',
};

/** The adversarial choice of each point at once. */
export const WORST: Variants = {
  queueActionAfterDequeue: 'executed', statusCallback: 'before', silentRecording: 'absent', transcription: 'never',
  dialBridged: 'absent', concurrentDequeues: 'both-succeed', smsDelivery: 'throttled', functionLimits: 'killed-at-10s',
};

/** One reading drawn at random per point: a random run plays one of these. */
export function drawVariants(prng: Prng): Variants {
  const pick = <K extends VariantName>(name: K): Variants[K] => prng.pick(CHOICES[name]);
  return {
    queueActionAfterDequeue: pick('queueActionAfterDequeue'), statusCallback: pick('statusCallback'),
    silentRecording: pick('silentRecording'), transcription: pick('transcription'), dialBridged: pick('dialBridged'),
    concurrentDequeues: pick('concurrentDequeues'), smsDelivery: pick('smsDelivery'), functionLimits: pick('functionLimits'),
  };
}

export function describeVariants(v: Variants): string {
  return (Object.keys(LABELS) as VariantName[]).map((name) => `${LABELS[name]} ${v[name]}`).join(', ');
}

/** V8: Twilio stops a Function at 10 s; a webhook still unanswered then has failed. */
export const FUNCTION_KILL_MS = 10_000;
/** V8: the share of REST requests answered late, and how late (real milliseconds, up to 15 s). */
export const SLOW_REST = { share: 0.004, minMs: 3000, maxMs: 15_000 } as const;
/** V4 'late': a transcription arrives this many virtual seconds after the recording, or more. */
export const LATE_TRANSCRIPTION_SECONDS = { min: 60, max: 180 } as const;

/**
 * A caller's short reference: four digits derived from the CallSid, so every function computes
 * the same reference from the call itself without storing or looking anything up.
 * Four digits are easy to type on a keypad; two waiting callers rarely share one
 * (about 0.1% with five waiting), and when they do the longer-waiting caller is the one meant.
 */
export function callReference(callSid: string): string {
  // FNV-1a: tiny, stable across processes and versions, well spread over short inputs.
  let hash = 0x811c9dc5;
  for (let i = 0; i < callSid.length; i += 1) {
    hash ^= callSid.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % 10000).padStart(4, '0');
}

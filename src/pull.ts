/** Which waiting caller a member's accept or voicemail command acts on. */
import { WaitingCaller } from './queue';

export type PullDecision =
  | { kind: 'pull'; caller: WaitingCaller }
  | { kind: 'nobody-waiting' }
  | { kind: 'not-waiting'; reference: string }
  /** A bare voicemail keyword with several waiting: moving one at random would be a guess. */
  | { kind: 'choose'; waiting: WaitingCaller[] };

/** `waiting` is longest-waiting first, as queue.ts returns it. */
export function choosePull(action: 'accept' | 'voicemail', reference: string | undefined, waiting: WaitingCaller[]): PullDecision {
  if (reference !== undefined) {
    // Two waiting callers can share a reference; the longer-waiting one was announced first.
    const caller = waiting.find((w) => w.reference === reference);
    return caller === undefined ? { kind: 'not-waiting', reference } : { kind: 'pull', caller };
  }
  const first = waiting[0];
  if (first === undefined) return { kind: 'nobody-waiting' };
  if (action === 'voicemail' && waiting.length > 1) return { kind: 'choose', waiting };
  return { kind: 'pull', caller: first };
}

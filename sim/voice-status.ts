/**
 * The simulator's call status callback: CallStatus=completed to the number's statusCallback once a call is over.
 * V2 (the callback after, before, or racing the verb actions still running) lives here.
 */
import { SimCall, Simulator } from './voice';

export async function callEnded(sim: Simulator, call: SimCall): Promise<void> {
  const path = sim.options.statusCallbackPath;
  if (path === undefined) return;
  await sim.fetch(call, `${sim.origin}${path}`, 'POST', {
    ...sim.callParams(call, 'completed'), CallDuration: String(Math.round(((call.endedAt ?? sim.now()) - (call.startedAt ?? 0)) / 1000)),
    CallbackSource: 'call-progress-events', SequenceNumber: '0', Timestamp: new Date(sim.clock.now()).toUTCString(),
  }, 'ignored');
}

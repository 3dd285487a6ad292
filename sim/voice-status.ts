/**
 * The simulator's call status callback: CallStatus=completed to the number's statusCallback once a call is over.
 * V2 (the callback after, before, or racing the verb actions still running) lives here.
 */
import { SimCall, Simulator } from './voice';

/** The call is over; the status callback goes now unless V2 already sent it. */
export async function callEnded(sim: Simulator, call: SimCall): Promise<void> {
  await sendStatus(sim, call);
}

/**
 * The caller hung up while a verb (Enqueue, Dial, Record) was running, and its action is about to be requested.
 * V2 'after' (the simulator's old reading): the status callback waits until the call's document is done.
 * V2 'before' (TwiML changelog 2024-03-20: status callbacks are emitted as soon as the call ends): it comes first.
 * V2 'racing': both are requested at once.
 */
export async function callEndsDuringVerb(sim: Simulator, call: SimCall): Promise<void> {
  switch (sim.variants.statusCallback) {
    case 'after':
      return;
    case 'before':
      await sendStatus(sim, call);
      return;
    case 'racing':
      sim.spawn(sendStatus(sim, call), call);
      return;
  }
}

async function sendStatus(sim: Simulator, call: SimCall): Promise<void> {
  // A call Twilio placed over REST has its own StatusCallback and final status (voice-outbound.ts).
  if (call.outbound !== undefined) {
    await call.outbound.completed();
    return;
  }
  sim.twilio.callStatus.set(call.callSid, 'completed');
  const path = sim.options.statusCallbackPath;
  if (path === undefined || call.statusSent) return;
  call.statusSent = true;
  await sim.fetch(call, `${sim.origin}${path}`, 'POST', {
    ...sim.callParams(call, 'completed'), CallDuration: String(Math.round(((call.endedAt ?? sim.now()) - (call.startedAt ?? 0)) / 1000)),
    CallbackSource: 'call-progress-events', SequenceNumber: '0', Timestamp: new Date(sim.clock.now()).toUTCString(),
  }, 'ignored');
}

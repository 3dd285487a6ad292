/**
 * The simulator's queue: <Enqueue> with its wait-document loop and action, <Leave>, and REST dequeues
 * (POST Queues/{QU}/Members/{CallSid}). V1 (which document runs after a REST dequeue) lives here; V6 (two
 * dequeues at once) is decided where the dequeue request is answered, in the stand-in (standin.ts).
 */
import { Control, Interrupt, QueueStay, SimCall, Simulator } from './voice';
import { Verb } from './twiml';
import { callEndsDuringVerb } from './voice-status';

export async function enqueue(sim: Simulator, call: SimCall, verb: Verb): Promise<Control | 'continue'> {
  const name = verb.text.trim();
  const queue = sim.twilio.enqueue(name, call.callSid);
  const stay: QueueStay = { name, sid: queue.sid, enteredAt: sim.now(), loops: [] };
  call.queue = stay;
  sim.emit(call, 'caller', 'queue', `joins queue ${name}`);
  const waitUrl = verb.attrs.waitUrl;
  const waitMethod = verb.attrs.waitUrlMethod ?? 'POST';
  const exit = await waitInQueue(sim, call, stay, waitUrl, waitMethod);

  const action = verb.attrs.action;
  const method = verb.attrs.method ?? 'POST';
  const actionParams = (result: string): Record<string, string> => ({
    ...sim.callParams(call, call.leg.hungUp() ? 'completed' : 'in-progress'),
    QueueResult: result, QueueSid: stay.sid, QueueTime: String(Math.floor((sim.now() - stay.enteredAt) / 1000)),
  });
  switch (exit.kind) {
    case 'leave':
      leaveQueue(sim, call, 'leave');
      if (action === undefined) return 'continue';
      return { kind: 'goto', url: action, method, params: actionParams('leave') };
    case 'dequeue': {
      // Twilio requests the action "right away" on a REST dequeue (QueueResult=redirected, enqueue docs).
      leaveQueue(sim, call, 'redirected');
      if (action !== undefined && sim.variants.queueActionAfterDequeue === 'executed') {
        // V1 'executed': the action's answer runs, not the dequeue Url (an empty answer ends the call).
        const doc = await sim.fetch(call, action, method, actionParams('redirected'), 'call');
        return doc === undefined ? { kind: 'error' } : { kind: 'run', url: action, doc };
      }
      // V1 'ignored': the dequeue Url owns the call; the action's answer is only checked.
      if (action !== undefined) await sim.fetch(call, action, method, actionParams('redirected'), 'ignored');
      return { kind: 'goto', url: exit.url, method: exit.method, params: {} };
    }
    case 'hangup':
    case 'app-hangup': {
      // A <Hangup/> in the wait document also ends the call in the queue; that Twilio reports it to the
      // action as QueueResult=hangup is our assumption (its docs name only the caller hanging up).
      leaveQueue(sim, call, 'hangup');
      if (exit.kind === 'app-hangup') call.finish(sim.now(), 'app');
      else call.finish(sim.now(), 'caller');
      if (exit.kind === 'hangup') await callEndsDuringVerb(sim, call);
      if (action !== undefined) await sim.fetch(call, action, method, { ...actionParams('hangup'), CallStatus: 'completed' }, 'ignored');
      return { kind: 'hangup' };
    }
    case 'error':
      return { kind: 'error' };
  }
}

export function leaveQueue(sim: Simulator, call: SimCall, result: string): void {
  if (call.queue === undefined || call.queue.leftAt !== undefined) return;
  // A REST dequeue has already taken the member out; every other way out is Twilio's to do.
  if (result !== 'redirected') sim.twilio.removeMember(call.callSid);
  call.queue.leftAt = sim.now();
  call.queue.result = result;
  sim.emit(call, 'caller', 'queue', `leaves the queue (${result}) after ${Math.round((call.queue.leftAt - call.queue.enteredAt) / 1000)} s`);
}

/** The wait document, requested again each time it runs out, until the caller leaves the queue somehow. */
export async function waitInQueue(sim: Simulator, 
  call: SimCall, stay: QueueStay, waitUrl: string | undefined, waitMethod: string,
): Promise<{ kind: 'leave' | 'hangup' | 'app-hangup' | 'error' } | { kind: 'dequeue'; url: string; method: string }> {
  const queueParams = (): Record<string, string> => {
    const members = sim.twilio.queues.get(stay.sid)?.members ?? [];
    const position = members.findIndex((m) => m.callSid === call.callSid) + 1;
    return {
      QueueSid: stay.sid, QueueTime: String(Math.floor((sim.now() - stay.enteredAt) / 1000)), QueuePosition: String(position),
      CurrentQueueSize: String(members.length), AvgQueueTime: '0', MaxQueueSize: '1000',
    };
  };
  const interrupted = (interrupt: Interrupt): { kind: 'hangup' } | { kind: 'dequeue'; url: string; method: string } => {
    if (interrupt.kind === 'hangup') return { kind: 'hangup' };
    const dequeue = call.leg.takeDequeue();
    return { kind: 'dequeue', url: dequeue?.url ?? interrupt.url, method: dequeue?.method ?? interrupt.method };
  };
  for (;;) {
    const pending = call.leg.pending();
    if (pending !== undefined) return interrupted(pending);
    if (waitUrl === undefined) {
      // Twilio's own hold music: nothing of ours runs until the caller leaves.
      const result = await call.leg.wait(60, false);
      if (result.kind === 'interrupt') return interrupted(result.interrupt);
      continue;
    }
    stay.loops.push(sim.now());
    // Since 2024 Twilio sends CallStatus=ringing to waitUrl (TwiML changelog 2024-03-20).
    let next: { url: string; method: string; params: Record<string, string> } | undefined = { url: waitUrl, method: waitMethod, params: queueParams() };
    while (next !== undefined) {
      const doc = await sim.fetch(call, next.url, next.method, { ...sim.callParams(call, 'ringing'), ...next.params }, 'wait');
      const afterFetch = call.leg.pending();
      if (afterFetch !== undefined) return interrupted(afterFetch);
      if (doc === undefined) return { kind: 'error' };
      const keyed = next.params.Digits;
      const control = await sim.runVerbs(call.leg, 'caller', call, doc.children, next.url);
      switch (control.kind) {
        case 'end':
          next = undefined;
          break;
        case 'goto':
          if (control.params.Digits !== undefined) call.queueKeys.push(control.params.Digits);
          next = control;
          break;
        case 'hangup':
          if (keyed !== undefined) call.endedAfterQueueKey = true;
          return { kind: 'app-hangup' };
        case 'leave':
          return { kind: 'leave' };
        case 'gone':
          return interrupted(control.interrupt);
        case 'error':
        case 'run':
          return { kind: 'error' };
      }
    }
  }
}

export function dequeued(sim: Simulator, callSid: string, url: string, method: string): void {
  const call = sim.calls.find((c) => c.callSid === callSid);
  if (call === undefined) {
    sim.violation(undefined, 'REST dequeue', 'a call the simulator does not know was dequeued');
    return;
  }
  call.dequeues += 1;
  if (call.dequeues > 1) sim.violation(call, 'REST dequeue', `dequeued ${call.dequeues} times`);
  sim.emit(call, 'caller', 'queue', `pulled out of the queue to ${new URL(url).pathname}`);
  call.leg.redirect(url, method);
}

/**
 * The simulator's <Dial><Number url>: ringing a member's phone (with Twilio's five-second buffer on the timeout),
 * the screening document on their leg, the bridge, and the Dial action. V5 (DialBridged present or absent) lives here.
 */
import { Answering, MemberLeg, MemberPhone } from './phones';
import { API_VERSION, Control, Leg, SimCall, Simulator } from './voice';

const BUSY_SIGNAL_SECONDS = 3;
const DIAL_TIMEOUT_BUFFER_SECONDS = 5;
import { Verb } from './twiml';
import { callEndsDuringVerb } from './voice-status';

export async function dial(sim: Simulator, call: SimCall, verb: Verb, docUrl: string): Promise<Control | 'continue'> {
  const numbers = verb.children.filter((c) => c.name === 'Number');
  const target = numbers[0];
  if (numbers.length !== 1 || verb.children.length !== 1 || target === undefined) {
    sim.violation(call, docUrl, 'the simulator handles a <Dial> of exactly one <Number>');
    return { kind: 'error' };
  }
  const number = target.text.trim();
  const callerId = verb.attrs.callerId ?? call.script.from;
  if (callerId !== call.script.from && callerId !== sim.options.twilioNumber) {
    sim.violation(call, docUrl, `<Dial callerId> ${callerId} is neither the caller's number nor ours (Twilio refuses it)`);
  }
  // "Twilio adds a five-second buffer to the timeout value" (Dial docs): timeout 20 rings for about 25 s.
  const timeout = (verb.attrs.timeout === undefined ? 30 : Number(verb.attrs.timeout)) + DIAL_TIMEOUT_BUFFER_SECONDS;
  const phone = sim.phones.get(number);
  const member = phone instanceof MemberPhone ? phone : undefined;
  const who = phone?.name ?? number;
  const childSid = sim.sid('CA');
  const legRecord: MemberLeg = { at: sim.now(), callerId, answered: false, heard: [], pressed: [], bridged: false };
  const answering: Answering = member === undefined ? { kind: 'no-answer' } : member.ring({ callerId, at: sim.now(), previousRings: member.legs.length });
  member?.legs.push(legRecord);
  sim.emit(call, 'caller', 'heard', '(ringing)');
  sim.emit(call, who, 'dial', `${who}'s phone rings (${callerId === sim.options.twilioNumber ? 'showing our number' : 'showing the caller\'s number'})`);

  let status: string;
  let bridged = false;
  let talked = 0;
  if (answering.kind === 'busy') {
    const result = await call.leg.wait(BUSY_SIGNAL_SECONDS, false);
    status = result.kind === 'interrupt' ? 'canceled' : 'busy';
  } else if (answering.kind === 'no-answer' || answering.afterSeconds >= timeout) {
    const result = await call.leg.wait(timeout, false);
    status = result.kind === 'interrupt' ? 'canceled' : 'no-answer';
  } else {
    const ringing = await call.leg.wait(answering.afterSeconds, false);
    if (ringing.kind === 'interrupt') {
      status = 'canceled';
    } else {
      status = 'completed';
      legRecord.answered = true;
      sim.emit(call, who, 'dial', `${who} answers`);
      const screened = await screen(sim, call, member, answering, legRecord, target, childSid, callerId);
      if (screened === 'bridge') {
        bridged = true;
        legRecord.bridged = true;
        sim.emit(call, 'caller', 'heard', `(connected to ${who})`);
        sim.emit(call, who, 'dial', `${who} is connected to the caller`);
        const started = sim.now();
        const talk = await call.leg.wait(answering.talkSeconds, false);
        talked = Math.round((sim.now() - started) / 1000);
        sim.emit(call, talk.kind === 'interrupt' ? 'caller' : who, 'hangup', `${talk.kind === 'interrupt' ? 'caller' : who} hangs up after talking ${talked} s`);
      }
    }
  }
  call.child = undefined;
  call.dials.push({ member: who, status, bridged, talkSeconds: talked });
  sim.emit(call, who, 'dial', `dial ended: ${status}${bridged ? ', bridged' : ', not bridged'}`);
  const params = {
    ...sim.callParams(call, call.leg.hungUp() ? 'completed' : 'in-progress'),
    DialCallStatus: status, DialCallSid: childSid, DialCallDuration: String(talked),
    // V5: DialBridged comes only on accounts with "Enhanced Programmable SIP Features" (2020-12-09 changelog).
    ...(sim.variants.dialBridged === 'present' ? { DialBridged: String(bridged) } : {}),
  };
  const action = verb.attrs.action;
  const method = verb.attrs.method ?? 'POST';
  if (call.leg.hungUp()) {
    // Twilio requests the Dial action "when the <Dial> call ends", also when the caller hung up;
    // there is no call left to run what it returns.
    await callEndsDuringVerb(sim, call);
    if (action !== undefined) await sim.fetch(call, action, method, params, 'ignored');
    return { kind: 'gone', interrupt: { kind: 'hangup' } };
  }
  if (action === undefined) return 'continue';
  return { kind: 'goto', url: action, method, params };
}

/** The <Number url> document on the member's leg: its end bridges the two; <Hangup/> or a hang-up does not. */
export async function screen(sim: Simulator, 
  call: SimCall, member: MemberPhone | undefined, answering: Extract<Answering, { kind: 'answer' }>, record: MemberLeg,
  target: Verb, childSid: string, callerId: string,
): Promise<'bridge' | 'not-bridged'> {
  const who = member?.name ?? target.text.trim();
  const leg = new Leg(sim.clock, (digit) => { sim.emit(call, who, 'pressed', `${digit} (no <Gather> listening)`); });
  call.child = leg;
  const timers: (() => void)[] = [];
  if (answering.press !== undefined) {
    const key = answering.press;
    timers.push(sim.clock.schedule((answering.pressAfterSeconds ?? 0) * 1000, () => {
      sim.emit(call, who, 'pressed', key);
      record.pressed.push(key);
      leg.press(key);
    }));
  }
  if (answering.hangUpAfterSeconds !== undefined) {
    timers.push(sim.clock.schedule(answering.hangUpAfterSeconds * 1000, () => {
      sim.emit(call, who, 'hangup', `${who} hangs up`);
      leg.hangUp();
    }));
  }
  const url = target.attrs.url;
  const childParams = {
    AccountSid: sim.options.accountSid, ApiVersion: API_VERSION, CallSid: childSid, ParentCallSid: call.callSid,
    From: callerId, To: target.text.trim(), Caller: callerId, Called: target.text.trim(), Direction: 'outbound-dial',
  };
  const unsubscribe = sim.onEmit((event) => {
    if (event.callSid === call.callSid && event.who === who && event.kind === 'heard') record.heard.push(event.text);
  });
  try {
    if (url === undefined) return 'bridge';
    let next: { url: string; method: string; params: Record<string, string> } = { url, method: target.attrs.method ?? 'POST', params: {} };
    for (;;) {
      if (leg.hungUp()) return 'not-bridged';
      const doc = await sim.fetch(call, next.url, next.method, { ...childParams, CallStatus: 'in-progress', ...next.params }, 'screen');
      // An application error on the member's leg ends that leg; the caller is not connected.
      if (doc === undefined) return 'not-bridged';
      const control = await sim.runVerbs(leg, who, call, doc.children, next.url);
      switch (control.kind) {
        case 'end':
          return leg.hungUp() ? 'not-bridged' : 'bridge';
        case 'goto':
          next = control;
          break;
        case 'hangup':
        case 'leave':
        case 'gone':
        case 'error':
        case 'run':
          return 'not-bridged';
      }
    }
  } finally {
    unsubscribe();
    for (const cancel of timers) cancel();
  }
}

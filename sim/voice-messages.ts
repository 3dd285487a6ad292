/**
 * The simulator's messaging: a phone texting the Twilio number (the messaging webhook and its TwiML replies),
 * and texts delivered to phones, from the REST API or <Message>. V7 (one segment per second per sending number) lives here.
 */
import { Phone } from './phones';
import { segments } from './standin';
import { API_VERSION, Simulator } from './voice';

export async function sendText(sim: Simulator, phone: Phone, body: string): Promise<void> {
  phone.sent.push({ at: sim.now(), body });
  sim.emit(undefined, phone.name, 'text-out', `${phone.name} texts "${body}"`);
  const sid = sim.sid('SM');
  const doc = await sim.fetch(undefined, `${sim.origin}${sim.options.smsPath ?? '/sms-reply'}`, 'POST', {
    MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: sim.options.accountSid, From: phone.number, To: sim.options.twilioNumber,
    Body: body, NumMedia: '0', NumSegments: '1', SmsStatus: 'received', ApiVersion: API_VERSION,
  }, 'messaging');
  if (doc === undefined) return;
  for (const message of doc.children.filter((v) => v.name === 'Message')) {
    const text = message.children.find((c) => c.name === 'Body')?.text ?? message.text;
    send(sim, message.attrs.to ?? phone.number, text.trim(), 'twiml');
  }
}

/** When each of a simulator's sending numbers is free to send its next segment (virtual ms). */
const senderFreeAt = new WeakMap<Simulator, number[]>();

/**
 * A text leaves our Twilio number. V7 'instant': it arrives at once. V7 'throttled': a long code sends about one
 * segment per second and queues the rest in order (TWILIO-NOTES.md, Messaging; error 21611), REST and <Message> alike;
 * a Messaging Service pool of n numbers sends n at a time (smsThroughput).
 */
export function send(sim: Simulator, to: string, body: string, via: 'rest' | 'twiml'): void {
  if (sim.variants.smsDelivery === 'instant') {
    deliver(sim, to, body, via);
    return;
  }
  // The pool sends from whichever number is free first; each number sends its segments in order.
  const { segmentsPerSecond, senders } = sim.options.smsThroughput ?? { segmentsPerSecond: 1, senders: 1 };
  const free = senderFreeAt.get(sim) ?? Array.from({ length: Math.max(1, senders) }, () => 0);
  senderFreeAt.set(sim, free);
  const sender = free.indexOf(Math.min(...free));
  const start = Math.max(sim.now(), free[sender] ?? 0);
  const done = start + (segments(body) * 1000) / segmentsPerSecond;
  free[sender] = done;
  sim.clock.schedule(done - sim.now(), () => { deliver(sim, to, body, via); });
}

function deliver(sim: Simulator, to: string, body: string, via: 'rest' | 'twiml'): void {
  const phone = sim.phones.get(to);
  if (phone === undefined) {
    sim.undelivered.push({ to, body });
    return;
  }
  sim.emit(undefined, phone.name, 'text-in', `${phone.name} gets "${body}"`);
  for (const planned of phone.receive({ at: sim.now(), from: sim.options.twilioNumber, body, via })) {
    sim.text(phone, planned.body, planned.afterSeconds);
  }
}

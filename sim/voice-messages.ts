/**
 * The simulator's messaging: a phone texting the Twilio number (the messaging webhook and its TwiML replies),
 * and texts delivered to phones, from the REST API or <Message>. V7 (one segment per second per sending number) lives here.
 */
import { Phone } from './phones';
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
    deliver(sim, message.attrs.to ?? phone.number, text.trim(), 'twiml');
  }
}

export function deliver(sim: Simulator, to: string, body: string, via: 'rest' | 'twiml'): void {
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

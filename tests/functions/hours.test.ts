/**
 * Business hours through the real functions: a caller outside hours goes to voicemail unqueued and nobody is
 * texted; members open and close the phone by SMS; strangers change nothing; unreadable hours keep it open.
 * The functions read the time with Date.now(), held here at chosen instants.
 */
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { DEFAULT_PROMPTS } from '../../src/config';
import { isSingleSegment } from '../../src/sms-text';
import { HOURS_OVERRIDE_KEY, MAPS } from '../../src/store';
import { TwilioStandIn, WIRED_NUMBER_SID } from '../../sim/standin';
import { withOverride, withPaused } from '../../src/paused';
import { sms } from '../support/calls';
import { ANN, BOB, CARA, ENV, invoke, newCallSid, startTwilio, TWILIO_NUMBER, url } from '../support/harness';
import { find, findAll, spoken, Verb, verbNames } from '../support/twiml';

const HOURS_ENV = {
  ...ENV,
  TEAM_MEMBERS: `${ANN.name}:${ANN.number},${BOB.name}:${BOB.number},${CARA.name}:${CARA.number}`,
  OPEN_HOURS: 'Mon-Fri 09:00-17:00',
  TIMEZONE: 'America/Chicago',
  HOLIDAYS: '2026-01-07',
};
/** Chicago local time (UTC-6 in January) on Monday 5 January 2026 and the days after. */
const chicago = (day: number, hhmm: string): number => Date.parse(`2026-01-${String(day).padStart(2, '0')}T${hhmm}:00Z`) + 6 * 3_600_000;

let twilio: TwilioStandIn;
let clock: jest.SpyInstance<number, []>;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => {
  twilio.reset();
  clock = jest.spyOn(Date, 'now');
});
afterEach(() => { clock.mockRestore(); });

const at = (t: number): void => { clock.mockReturnValue(t); };

async function call(env: Record<string, string> = HOURS_ENV): Promise<{ callSid: string; twiml: Verb }> {
  const callSid = newCallSid();
  // As Twilio does: the number's voice URL is requested as configured, its query (who paused, OPEN/CLOSED) included.
  const { twiml } = await invoke(incomingCall, {
    ...twilio.voiceQuery(TWILIO_NUMBER), CallSid: callSid, From: '+16175550123', To: TWILIO_NUMBER, CallStatus: 'ringing', Direction: 'inbound', CallerName: 'JANE DOE',
  }, env);
  return { callSid, twiml };
}

/**
 * Team state put in Sync directly, then copied to the number's voice URL as OFF/ON and OPEN/CLOSED publish it
 * (src/team.ts publishTeamState; that path itself is taken by the SMS tests below).
 */
function setTeamItem(key: string, data: object): void {
  twilio.setSyncItem(MAPS.team, key, data);
  const items = [...(twilio.syncItems(MAPS.team)?.values() ?? [])];
  const override = items.find((i) => i.key === HOURS_OVERRIDE_KEY)?.data as { open: boolean; until: number; by: string } | undefined;
  const paused = items.map((i) => i.key).filter((k) => k !== HOURS_OVERRIDE_KEY);
  const wired = twilio.numbers.get(WIRED_NUMBER_SID);
  if (wired === undefined) throw new Error('the stand-in has no wired number');
  const by = [ANN, BOB, CARA].find((m) => m.name === override?.by)?.number;
  wired.voice_url = withOverride(withPaused(wired.voice_url ?? '', paused), override, by);
}

function texts(twiml: Verb): { to: string | undefined; body: string }[] {
  return findAll(twiml, 'Message').map((m) => ({ to: m.attrs.to, body: m.text }));
}

describe('/incoming-call with business hours', () => {
  it('in hours: queues the caller and texts the team, as without hours', async () => {
    at(chicago(5, '10:00'));
    const { twiml } = await call();
    expect(verbNames(twiml)).toEqual(['Enqueue']);
    expect(twilio.messages).toHaveLength(3);
  });

  it('closed: the closed prompt, then voicemail; not queued, nobody texted, the caller kept for the voicemail notice', async () => {
    at(chicago(5, '20:00'));
    const { callSid, twiml } = await call();
    expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
    expect(spoken(twiml)).toBe(DEFAULT_PROMPTS.closed);
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
    expect(twilio.messages).toHaveLength(0);
    expect([...(twilio.syncItems(MAPS.calls)?.values() ?? [])].map((i) => i.data)).toEqual([expect.objectContaining({ callSid, name: 'JANE DOE' })]);
  });

  it('says CLOSED_PROMPT when one is set', async () => {
    at(chicago(5, '08:59'));
    const { twiml } = await call({ ...HOURS_ENV, CLOSED_PROMPT: 'We open at nine.' });
    expect(spoken(twiml)).toBe('We open at nine.');
  });

  it('closed all day on a holiday, even during the usual hours', async () => {
    at(chicago(7, '11:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Say', 'Redirect']);
  });

  it('a member\'s OPEN holds after hours, and no longer once it has expired', async () => {
    setTeamItem(HOURS_OVERRIDE_KEY, { open: true, until: chicago(6, '17:00'), by: 'Ann' });
    at(chicago(5, '22:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Enqueue']);
    at(chicago(6, '17:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Say', 'Redirect']);
  });

  it('a member\'s CLOSED holds during hours', async () => {
    setTeamItem(HOURS_OVERRIDE_KEY, { open: false, until: chicago(6, '09:00'), by: 'Bob' });
    at(chicago(5, '15:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Say', 'Redirect']);
    expect(twilio.messages).toHaveLength(0);
  });

  it('the override item is not taken for a paused member: everyone else is still texted', async () => {
    setTeamItem(HOURS_OVERRIDE_KEY, { open: true, until: chicago(6, '17:00'), by: 'Ann' });
    setTeamItem(BOB.number, { paused: true });
    at(chicago(5, '22:00'));
    await call();
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, CARA.number]);
  });

  it.each([
    ['OPEN_HOURS', { OPEN_HOURS: 'Mon-Fri 09:00-71:00' }, /OPEN_HOURS cannot be read: "Mon-Fri 09:00-71:00": end of "09:00-71:00": hour 71/],
    ['TIMEZONE', { TIMEZONE: 'America/Chicgo' }, /TIMEZONE "America\/Chicgo" is not an IANA time zone/],
    ['HOLIDAYS', { HOLIDAYS: '2026-01-32' }, /HOLIDAYS cannot be read: "2026-01-32": day 32/],
  ])('an unreadable %s keeps the phone open (the caller is queued) and is logged', async (_, bad, logged) => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      at(chicago(5, '22:00'));
      expect(verbNames((await call({ ...HOURS_ENV, ...bad })).twiml)).toEqual(['Enqueue']);
      expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(logged);
    } finally {
      errors.mockRestore();
    }
  });

  it('with Sync down, the schedule alone decides: closed after hours, queued in hours', async () => {
    twilio.faults = (r) => (r.host === 'sync.twilio.com' ? { status: 503 } : undefined);
    at(chicago(5, '22:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Say', 'Redirect']);
    at(chicago(5, '10:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Enqueue']);
  });
});

describe('OPEN, CLOSED and STATUS by SMS', () => {
  it('CLOSED at 14:00 on a Monday closes until Tuesday\'s opening; the whole team is told who and until when', async () => {
    at(chicago(5, '14:00'));
    const { twiml } = await invoke(smsReply, sms(ANN.number, 'closed'), HOURS_ENV);
    const sent = texts(twiml);
    expect(sent.map((t) => t.to)).toEqual([undefined, BOB.number, CARA.number]);
    for (const t of sent) {
      expect(t.body).toBe('Ann closed the phone until Tue 09:00 America/Chicago: callers hear the closed message and go to voicemail. Text OPEN to reopen.');
      expect(isSingleSegment(t.body)).toBe(true);
    }
    const item = twilio.syncItems(MAPS.team)?.get(HOURS_OVERRIDE_KEY);
    expect(item?.data).toEqual({ open: false, until: chicago(6, '09:00'), by: 'Ann' });
    // Sync forgets it when it expires: 19 hours from now.
    const ttl = twilio.requests.find((r) => r.host === 'sync.twilio.com' && r.method === 'POST')?.params.Ttl;
    expect(Number(ttl)).toBe(19 * 3600);

    at(chicago(5, '14:05'));
    expect(verbNames((await call()).twiml)).toEqual(['Say', 'Redirect']);
  });

  it('OPEN at 20:00 opens until the closing after the next opening, replacing an earlier CLOSED', async () => {
    at(chicago(5, '14:00'));
    await invoke(smsReply, sms(ANN.number, 'CLOSED'), HOURS_ENV);
    at(chicago(5, '20:00'));
    const { twiml } = await invoke(smsReply, sms(BOB.number, 'Open'), HOURS_ENV);
    expect(texts(twiml)[0]?.body).toBe('Bob opened the phone until Tue 17:00 America/Chicago: callers are queued and the team texted. Text CLOSED to close.');
    expect(twilio.syncItems(MAPS.team)?.get(HOURS_OVERRIDE_KEY)?.data).toEqual({ open: true, until: chicago(6, '17:00'), by: 'Bob' });
    at(chicago(5, '23:00'));
    expect(verbNames((await call()).twiml)).toEqual(['Enqueue']);
  });

  it('STATUS shows open or closed and until when, and who overrode the schedule', async () => {
    at(chicago(5, '10:00'));
    const open = await invoke(smsReply, sms(CARA.number, 'status'), HOURS_ENV);
    expect(texts(open.twiml)[0]?.body).toBe('Open until 17:00 America/Chicago. No caller is waiting right now.');
    await invoke(smsReply, sms(ANN.number, 'closed'), HOURS_ENV);
    const closed = await invoke(smsReply, sms(CARA.number, 'status'), HOURS_ENV);
    expect(texts(closed.twiml)[0]?.body).toBe('Closed until Tue 09:00 America/Chicago (Ann). No caller is waiting right now.');
  });

  it('STATUS tells members when the hours cannot be read and are off', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      at(chicago(5, '22:00'));
      const { twiml } = await invoke(smsReply, sms(CARA.number, 'status'), { ...HOURS_ENV, OPEN_HOURS: 'weekdays 9-5' });
      expect(texts(twiml)[0]?.body).toBe('Open: hours off, OPEN_HOURS unreadable (see log). No caller is waiting right now.');
    } finally {
      errors.mockRestore();
    }
  });

  it('a stranger\'s CLOSED changes nothing and gets no answer (it is a customer\'s text, forwarded to the team)', async () => {
    at(chicago(5, '10:00'));
    const { twiml } = await invoke(smsReply, sms('+16175559999', 'CLOSED'), HOURS_ENV);
    expect(texts(twiml).filter((t) => t.to === undefined)).toEqual([]);
    expect(texts(twiml).every((t) => t.to !== undefined && t.body.includes('"CLOSED"'))).toBe(true);
    expect(twilio.syncItems(MAPS.team)?.get(HOURS_OVERRIDE_KEY)).toBeUndefined();
    expect(verbNames((await call()).twiml)).toEqual(['Enqueue']);
  });

  it('if Sync cannot keep the change, the member is asked to try again and nobody else is told', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      twilio.faults = (r) => (r.host === 'sync.twilio.com' ? { status: 503 } : undefined);
      at(chicago(5, '10:00'));
      const { twiml } = await invoke(smsReply, sms(ANN.number, 'CLOSED'), HOURS_ENV);
      const sent = texts(twiml);
      expect(sent.map((t) => t.to)).toEqual([undefined]);
      expect(sent[0]?.body).toMatch(/^Sorry, Twilio .*Please send that again/);
    } finally {
      errors.mockRestore();
    }
  });

  it('COMMANDS lists OPEN and CLOSED, in the one text', async () => {
    const { twiml } = await invoke(smsReply, sms(ANN.number, 'commands'), HOURS_ENV);
    expect(texts(twiml).map((t) => t.body)).toEqual([
      'Y (ref): take a call. N (ref): voicemail. R T0103 msg: answer a text. STATUS: who waits. OFF/ON: pause texts. OPEN/CLOSED: open/close. COMMANDS: this list.',
    ]);
  });
});

import { handler } from '../../functions/incoming-call.protected';
import { callReference } from '../../src/reference';
import { isSingleSegment } from '../../src/sms-text';
import { MAPS } from '../../src/store';
import { contractValidator } from '../../sim/contract';
import { sequentialRounds, TwilioStandIn } from '../../sim/standin';
import { ANN, BOB, CARA, ENV, invoke, newCallSid, startTwilio, TWILIO_NUMBER, url } from '../support/harness';
import { find, spoken, verbNames } from '../support/twiml';

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => { twilio.resetLog(); twilio.latencyMs = 0; twilio.faults = undefined; twilio.optedOut.clear(); });

const call = (callSid: string, extra: Record<string, string> = {}): Record<string, string> => ({
  CallSid: callSid, AccountSid: ENV.ACCOUNT_SID ?? '', From: '+16175550123', To: TWILIO_NUMBER, CallStatus: 'ringing', Direction: 'inbound',
  FromCity: 'BOSTON', FromState: 'MA', FromCountry: 'US', ...extra,
});

describe('/incoming-call', () => {
  it('texts every member who is calling and from where, then queues the caller with hold music and an action', async () => {
    const callSid = newCallSid();
    const { twiml } = await invoke(handler, call(callSid, { CallerName: 'JANE DOE' }));

    expect(verbNames(twiml)).toEqual(['Enqueue']);
    const enqueue = find(twiml, 'Enqueue');
    expect(enqueue.text).toBe('pull-phone');
    expect(enqueue.attrs.waitUrl).toBe(url('/wait-music'));
    expect(enqueue.attrs.action).toBe(url('/queue-result'));

    const reference = callReference(callSid);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
    for (const message of twilio.messages) {
      expect(message.from).toBe(TWILIO_NUMBER);
      expect(message.body).toContain('JANE DOE');
      expect(message.body).toContain('BOSTON MA US');
      expect(message.body).toContain(`Y ${reference}`);
      expect(message.body).toContain(`N ${reference}`);
      expect(isSingleSegment(message.body)).toBe(true);
    }
    expect(twilio.syncItems(MAPS.calls)?.get(reference)?.data).toMatchObject({ callSid, name: 'JANE DOE' });
  });

  it('names the caller by number when Twilio sends no name and lookup is off', async () => {
    await invoke(handler, call(newCallSid()));
    expect(twilio.messages[0]?.body).toMatch(/^Call from \+16175550123, BOSTON MA US\./);
    expect(twilio.requests.some((r) => r.host === 'lookups.twilio.com')).toBe(false);
  });

  it('looks the name up with Lookup v2 caller_name when enabled', async () => {
    twilio.callerNames.set('+16175550123', 'JANE LOOKUP');
    await invoke(handler, call(newCallSid()), { ...ENV, CALLER_NAME_LOOKUP: 'true' });
    expect(twilio.messages[0]?.body).toContain('JANE LOOKUP');
    const lookup = twilio.requests.find((r) => r.host === 'lookups.twilio.com');
    expect(lookup?.params.Fields).toBe('caller_name');
  });

  it('gives up on a slow lookup and texts the number instead, without keeping the caller waiting long', async () => {
    twilio.callerNames.set('+16175550123', 'TOO SLOW');
    twilio.faults = (r) => (r.host === 'lookups.twilio.com' ? { status: 200, delayMs: 3000 } : undefined);
    const started = Date.now();
    const { twiml } = await invoke(handler, call(newCallSid()), { ...ENV, CALLER_NAME_LOOKUP: 'true' });
    expect(Date.now() - started).toBeLessThan(2900);
    expect(verbNames(twiml)).toEqual(['Enqueue']);
    expect(twilio.messages[0]?.body).toContain('+16175550123');
  });

  it('still queues the caller when texting fails for one member or for all', async () => {
    twilio.optedOut.add(ANN.number);
    const first = await invoke(handler, call(newCallSid()));
    expect(verbNames(first.twiml)).toEqual(['Enqueue']);
    expect(twilio.messages.map((m) => m.to)).toEqual([BOB.number]);

    twilio.faults = (r) => (r.path.endsWith('/Messages.json') ? { status: 500 } : undefined);
    const second = await invoke(handler, call(newCallSid()));
    expect(verbNames(second.twiml)).toEqual(['Enqueue']);
  });

  it('still queues the caller when Sync is down', async () => {
    twilio.faults = (r) => (r.host === 'sync.twilio.com' ? { status: 503 } : undefined);
    const { twiml } = await invoke(handler, call(newCallSid()));
    expect(verbNames(twiml)).toEqual(['Enqueue']);
    expect(twilio.messages).toHaveLength(2);
  });

  it('does not text members who paused, but still texts the others', async () => {
    const env = { ...ENV, TEAM_MEMBERS: `${ANN.name}:${ANN.number},${BOB.name}:${BOB.number},${CARA.name}:${CARA.number}` };
    twilio.setSyncItem(MAPS.team, BOB.number, { paused: true });
    await invoke(handler, call(newCallSid()), env);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, CARA.number]);
    twilio.syncItems(MAPS.team)?.delete(BOB.number);
  });

  it('makes one round of REST requests after the optional preparations, whatever the team size', async () => {
    // Long enough that 21 requests started together still overlap on a loaded machine.
    twilio.latencyMs = 150;
    const many = Array.from({ length: 20 }, (_, i) => `M${i}:+1555123${String(1000 + i)}`).join(',');
    await invoke(handler, call(newCallSid()), { ...ENV, TEAM_MEMBERS: many });
    expect(twilio.messages).toHaveLength(20);
    // Round 1: the paused list. Round 2: twenty texts and the caller's record, all at once.
    expect(sequentialRounds(twilio.requests)).toBe(2);
  });

  it('sends the caller to voicemail with an apology when the configuration is broken', async () => {
    const { twiml } = await invoke(handler, call(newCallSid()), { ...ENV, TEAM_MEMBERS: 'Ann:not-a-number' });
    expect(verbNames(twiml)).toEqual(['Say', 'Redirect']);
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
    expect(twilio.requests).toHaveLength(0);
  });

  it('an invalid optional value (MAX_WAIT_SECONDS=abc) is logged once and disables nothing: the team is still texted', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const broken = { ...ENV, MAX_WAIT_SECONDS: 'abc' };
      for (let i = 0; i < 2; i += 1) {
        const { twiml } = await invoke(handler, call(newCallSid()), broken);
        expect(verbNames(twiml)).toEqual(['Enqueue']);
      }
      expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, ANN.number, BOB.number, BOB.number]);
      const logged = errors.mock.calls.map((c) => String(c[0])).filter((line) => line.includes('MAX_WAIT_SECONDS'));
      expect(logged).toEqual([expect.stringMatching(/MAX_WAIT_SECONDS must be a whole number of seconds from 30 to 3600\. Using the default \(120\)/)]);
    } finally {
      errors.mockRestore();
    }
  });

  it('with MESSAGING_SERVICE_SID, team notices go out through that Messaging Service, in a form Twilio\'s API accepts', async () => {
    const service = `MG${'7'.repeat(32)}`;
    // Twilio's OpenAPI description of the 2010 API, when ../shared/twilio-oai is present; else the stand-in's own checks.
    twilio.validator = contractValidator();
    try {
      await invoke(handler, call(newCallSid()), { ...ENV, MESSAGING_SERVICE_SID: service });
    } finally {
      twilio.validator = undefined;
    }
    const sends = twilio.requests.filter((r) => r.path.endsWith('/Messages.json'));
    expect(sends.map((r) => r.status)).toEqual([201, 201]);
    for (const send of sends) {
      expect(send.params.MessagingServiceSid).toBe(service);
      expect(send.params).not.toHaveProperty('From');
    }
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
  });

  it('without MESSAGING_SERVICE_SID (or with a malformed one), notices come from the Twilio number', async () => {
    await invoke(handler, call(newCallSid()), { ...ENV, MESSAGING_SERVICE_SID: 'MG-not-a-sid' });
    const sends = twilio.requests.filter((r) => r.path.endsWith('/Messages.json'));
    expect(sends.map((r) => r.params.From)).toEqual([TWILIO_NUMBER, TWILIO_NUMBER]);
    expect(sends.every((r) => r.params.MessagingServiceSid === undefined)).toBe(true);
  });

  it('sends a webhook without a CallSid to voicemail instead of queueing an unknown call', async () => {
    const { twiml } = await invoke(handler, { From: '+16175550123' });
    expect(find(twiml, 'Redirect').text).toBe(url('/voicemail'));
    expect(spoken(twiml)).toMatch(/sorry/i);
  });

  it('a withheld caller with a forged multi-line name: one line, one segment, and the reply instructions intact', async () => {
    const callSid = newCallSid();
    await invoke(handler, call(callSid, { From: 'anonymous', CallerName: `<Dial>+1900</Dial>\nX${'y'.repeat(200)}` }));
    const body = twilio.messages[0]?.body ?? '';
    expect(body).not.toContain('\n');
    expect(isSingleSegment(body)).toBe(true);
    expect(body).toMatch(new RegExp(`\\. Reply Y ${callReference(callSid)} to take, N ${callReference(callSid)} for voicemail\\.$`));
  });
});

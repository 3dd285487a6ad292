import { handler } from '../../functions/sms-reply.protected';
import { callReference } from '../../src/reference';
import { isSingleSegment } from '../../src/sms-text';
import { MAPS } from '../../src/store';
import { sequentialRounds, TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ANN, BOB, CARA, ENV, invoke, newCallSid, startTwilio, url } from '../support/harness';
import { findAll, Verb } from '../support/twiml';

let twilio: TwilioStandIn;
let dequeued: { callSid: string; url: string }[];
beforeAll(async () => {
  twilio = await startTwilio();
  twilio.onDequeue = (callSid, to) => { dequeued.push({ callSid, url: to }); };
});
afterAll(async () => { await twilio.stop(); });
beforeEach(() => {
  dequeued = [];
  twilio.latencyMs = 0;
  twilio.faults = undefined;
  twilio.concurrentDequeues = 'first-wins';
  for (const queue of twilio.queues.values()) queue.members = [];
  for (const map of Object.values(MAPS)) twilio.syncItems(map)?.clear();
  twilio.resetLog();
});

const TEAM3 = { ...ENV, TEAM_MEMBERS: `${ANN.name}:${ANN.number},${BOB.name}:${BOB.number},${CARA.name}:${CARA.number}` };

/** The texts a reply sends: to the sender (no `to`) and to others (`to`). */
function texts(twiml: Verb): { to: string | undefined; body: string }[] {
  return findAll(twiml, 'Message').map((m) => ({ to: m.attrs.to, body: m.text }));
}
function replyTo(twiml: Verb): string {
  return texts(twiml).filter((t) => t.to === undefined).map((t) => t.body).join(' | ');
}

describe('/sms-reply: pulling a caller', () => {
  it('accept with a reference pulls exactly that caller to /bridge for the replying member and tells the others', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    const ken = await arrive(twilio, '+16175550102', { CallerName: 'KEN' });
    twilio.resetLog();
    const { twiml } = await invoke(handler, sms(ANN.number, `y ${ken.reference}`), TEAM3);

    expect(dequeued).toEqual([{ callSid: ken.callSid, url: `${url('/bridge')}?member=%2B15551230001` }]);
    expect(twilio.waiting('pull-phone')).toEqual([jane.callSid]);
    expect(replyTo(twiml)).toContain('KEN');
    const others = texts(twiml).filter((t) => t.to !== undefined);
    expect(others.map((t) => t.to).sort()).toEqual([BOB.number, CARA.number]);
    for (const t of others) expect(t.body).toBe(`Ann took the call from KEN (${ken.reference}).`);
    for (const t of texts(twiml)) expect(isSingleSegment(t.body)).toBe(true);
    // Replies travel as TwiML: no REST message was sent.
    expect(twilio.messages).toHaveLength(0);
  });

  it.each([['Y'], ['yes'], [' y. '], ['TAKE']])('a bare accept (%j) pulls the caller waiting longest', async (body) => {
    const first = await arrive(twilio, '+16175550101');
    await arrive(twilio, '+16175550102');
    await invoke(handler, sms(BOB.number, body));
    expect(dequeued.map((d) => d.callSid)).toEqual([first.callSid]);
  });

  it('a voicemail keyword with a reference sends that caller to /voicemail', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    const { twiml } = await invoke(handler, sms(ANN.number, `N${jane.reference}`));
    expect(dequeued).toEqual([{ callSid: jane.callSid, url: url('/voicemail') }]);
    expect(replyTo(twiml)).toMatch(/JANE.*voicemail/);
    expect(texts(twiml).find((t) => t.to === BOB.number)?.body).toBe(`Ann sent JANE (${jane.reference}) to voicemail.`);
  });

  it('a bare voicemail keyword with one caller waiting sends that one', async () => {
    const jane = await arrive(twilio, '+16175550101');
    await invoke(handler, sms(ANN.number, 'no'));
    expect(dequeued.map((d) => d.callSid)).toEqual([jane.callSid]);
  });

  it('a bare voicemail keyword with several waiting moves nobody and lists them with references', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    const ken = await arrive(twilio, '+16175550102', { CallerName: 'KEN' });
    const { twiml } = await invoke(handler, sms(ANN.number, 'N'));
    expect(dequeued).toEqual([]);
    const reply = replyTo(twiml);
    expect(reply).toContain(`${jane.reference} JANE`);
    expect(reply).toContain(`${ken.reference} KEN`);
    expect(reply).toMatch(/^2 waiting/);
  });

  it('says so when no caller is waiting', async () => {
    const { twiml } = await invoke(handler, sms(ANN.number, 'Y'));
    expect(replyTo(twiml)).toBe('No caller is waiting right now.');
    expect(dequeued).toEqual([]);
  });

  it('a reference nobody has gets a reply saying so, and moves nobody', async () => {
    await arrive(twilio, '+16175550101');
    const { twiml } = await invoke(handler, sms(ANN.number, 'Y 0000'));
    expect(replyTo(twiml)).toContain('No waiting caller has reference 0000');
    expect(dequeued).toEqual([]);
  });

  it('a reference to a caller who hung up says they are no longer waiting and why', async () => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.removeMember(jane.callSid);
    twilio.setSyncItem(MAPS.outcomes, jane.callSid, { outcome: 'missed' });
    const { twiml } = await invoke(handler, sms(BOB.number, `Y ${jane.reference}`));
    expect(replyTo(twiml)).toBe(`Caller ${jane.reference} is no longer waiting: they hung up.`);
  });

  it('a reference to a caller another member connected says who took them', async () => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.removeMember(jane.callSid);
    twilio.setSyncItem(MAPS.outcomes, jane.callSid, { outcome: 'connected', member: 'Ann' });
    const { twiml } = await invoke(handler, sms(BOB.number, `Y ${jane.reference}`));
    expect(replyTo(twiml)).toContain('Ann took the call');
  });

  it.each([['first-wins'], ['both-succeed']] as const)(
    'two members accepting the same caller at once, Twilio %s: one gets the call, the other is told who took it', async (reading) => {
      twilio.concurrentDequeues = reading;
      const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
      twilio.latencyMs = 15; // both replies are in flight together
      const [ann, bob] = await Promise.all([
        invoke(handler, sms(ANN.number, `Y ${jane.reference}`)),
        invoke(handler, sms(BOB.number, 'y')),
      ]);
      // The Sync claim comes first: only its holder dequeues, whatever Twilio does with two dequeues.
      expect(dequeued).toHaveLength(1);
      const replies = [replyTo(ann.twiml), replyTo(bob.twiml)];
      expect(replies.filter((r) => r.startsWith('Calling you now'))).toHaveLength(1);
      const winner = replies[0]?.startsWith('Calling') === true ? ann : bob;
      const winnerName = winner === ann ? 'Ann' : 'Bob';
      expect(replies).toContain(`Too late: ${winnerName} took JANE (${jane.reference}).`);
      // The winner's answer tells the loser who took JANE.
      const loserNumber = winner === ann ? BOB.number : ANN.number;
      expect(texts(winner.twiml).find((t) => t.to === loserNumber)?.body).toBe(`${winnerName} took the call from JANE (${jane.reference}).`);
    },
  );

  it('one member sending Y twice at the same moment is one pull, even if Twilio lets two dequeues succeed', async () => {
    twilio.concurrentDequeues = 'both-succeed';
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    twilio.latencyMs = 15;
    const replies = await Promise.all([1, 2].map(() => invoke(handler, sms(ANN.number, `Y ${jane.reference}`))));
    expect(dequeued).toHaveLength(1);
    expect(replies.map((r) => replyTo(r.twiml)).sort()).toEqual([
      `Calling you now for JANE (${jane.reference}). Answer and press 1 within 25s to connect.`,
      `You already took JANE (${jane.reference}): your phone rings, or the caller has left.`,
    ]);
  });

  it('a dequeue that fails is checked: still waiting, the member is told it may still work; their next reply retries it', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    let first = true;
    // The first dequeue answers after the client gave up, without having moved the caller yet.
    twilio.faults = (r) => {
      if (r.method !== 'POST' || !r.path.includes('/Members/') || !first) return undefined;
      first = false;
      return { status: 503 };
    };
    const unsure = await invoke(handler, sms(ANN.number, `Y ${jane.reference}`));
    expect(dequeued).toEqual([]);
    expect(replyTo(unsure.twiml)).toMatch(/may still work/);
    expect(replyTo(unsure.twiml)).not.toMatch(/again/i);
    // Nobody else can take JANE meanwhile: the claim is Ann's.
    const bob = await invoke(handler, sms(BOB.number, `Y ${jane.reference}`));
    expect(replyTo(bob.twiml)).toBe(`Too late: Ann took JANE (${jane.reference}).`);
    const again = await invoke(handler, sms(ANN.number, `Y ${jane.reference}`));
    expect(dequeued.map((d) => d.callSid)).toEqual([jane.callSid]);
    expect(replyTo(again.twiml)).toMatch(/^Calling you now for JANE/);
  });

  it('a dequeue Twilio carried out but answered with a 5xx: the member is told it worked, not to send it again', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    // Move the caller, then fail the answer: what a lost response looks like from our side.
    const onDequeue = twilio.onDequeue;
    twilio.faults = (r) => {
      if (r.method !== 'POST' || !r.path.includes('/Members/')) return undefined;
      twilio.removeMember(jane.callSid);
      twilio.callStatus.set(jane.callSid, 'in-progress');
      onDequeue?.(jane.callSid, 'moved', 'POST');
      return { status: 500 };
    };
    const { twiml } = await invoke(handler, sms(ANN.number, `Y ${jane.reference}`));
    expect(replyTo(twiml)).toMatch(/^Calling you now for JANE/);
    expect(replyTo(twiml)).not.toMatch(/again/i);
  });

  it('does not tell paused members who took a call, but lets a paused member pull', async () => {
    twilio.setSyncItem(MAPS.team, BOB.number, { paused: true });
    const jane = await arrive(twilio, '+16175550101', {}, TEAM3);
    const byCara = await invoke(handler, sms(CARA.number, 'Y'), TEAM3);
    expect(texts(byCara.twiml).map((t) => t.to)).toEqual([undefined, ANN.number]);
    const ken = await arrive(twilio, '+16175550102', {}, TEAM3);
    await invoke(handler, sms(BOB.number, `Y ${ken.reference}`), TEAM3);
    expect(dequeued.map((d) => d.callSid)).toEqual([jane.callSid, ken.callSid]);
  });

  it('makes at most 4 sequential rounds of REST requests with 1000 callers waiting', async () => {
    for (let i = 0; i < 999; i += 1) twilio.enqueue('pull-phone', newCallSid());
    const last = await arrive(twilio, '+16175550199', { CallerName: 'LAST' });
    // An account's first claim also creates the outcomes map, once; this measures every later pull.
    twilio.setSyncItem(MAPS.outcomes, 'earlier-call', { outcome: 'missed' });
    // Long enough that requests started together still overlap when two test workers share a busy machine.
    twilio.latencyMs = 100;
    for (const body of [`Y ${last.reference}`, 'Y', 'N', 'STATUS']) {
      twilio.resetLog();
      const { twiml } = await invoke(handler, sms(ANN.number, body));
      expect(texts(twiml).length).toBeGreaterThan(0);
      // Queue ∥ paused ∥ details; members ∥ outcome ∥ pull; the claim; the dequeue.
      expect(sequentialRounds(twilio.requests)).toBeLessThanOrEqual(4);
      // STATUS: the queue, team state, callbacks owed, the members list, five callers' details and the unanswered customer texts.
      expect(twilio.requests.length).toBeLessThanOrEqual(10);
    }
    expect(dequeued.map((d) => d.callSid)[0]).toBe(last.callSid);
  });

  it('while Sync is down no caller can be claimed: nobody is moved, and the member may safely ask again', async () => {
    const jane = await arrive(twilio, '+16175550101');
    twilio.faults = (r) => (r.host === 'sync.twilio.com' ? { status: 503 } : undefined);
    const { twiml } = await invoke(handler, sms(ANN.number, `Y ${jane.reference}`));
    expect(dequeued).toEqual([]);
    expect(replyTo(twiml)).toMatch(/again/);
    expect(twilio.waiting('pull-phone')).toEqual([jane.callSid]);
  });

  it('a Twilio failure while pulling gets an honest "try again" and moves nobody', async () => {
    await arrive(twilio, '+16175550101');
    twilio.faults = (r) => (r.path.endsWith('/Members.json') ? { status: 503 } : undefined);
    const { twiml } = await invoke(handler, sms(ANN.number, 'Y'));
    expect(replyTo(twiml)).toMatch(/send that again/);
    expect(dequeued).toEqual([]);
  });
});

describe('/sms-reply: other commands and senders', () => {
  it('STATUS lists waiting callers with reference, name, place and wait time', async () => {
    await arrive(twilio, '+16175550101', { CallerName: 'JANE', FromCity: 'BOSTON', FromState: 'MA' });
    const { twiml } = await invoke(handler, sms(ANN.number, 'status'));
    expect(replyTo(twiml)).toMatch(/^1 waiting: \d{4} JANE BOSTON MA \d+s\.$/);
  });

  it('COMMANDS lists the commands in one text', async () => {
    const { twiml } = await invoke(handler, sms(ANN.number, 'Commands'));
    const reply = replyTo(twiml);
    for (const word of ['Y', 'N', 'STATUS', 'OFF', 'ON', 'OPEN', 'CLOSED']) expect(reply).toContain(word);
    expect(isSingleSegment(reply)).toBe(true);
  });

  it('OFF pauses new-call texts (kept in Sync) and ON resumes them', async () => {
    const off = await invoke(handler, sms(BOB.number, 'off'));
    expect(replyTo(off.twiml)).toMatch(/^Paused/);
    expect(twilio.syncItems(MAPS.team)?.has(BOB.number)).toBe(true);
    await arrive(twilio, '+16175550101');
    expect(twilio.messages.map((m) => m.to)).toEqual([ANN.number]);

    const on = await invoke(handler, sms(BOB.number, 'ON'));
    expect(replyTo(on.twiml)).toMatch(/^Resumed/);
    twilio.resetLog();
    await arrive(twilio, '+16175550102');
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
  });

  it('OFF with the number not pointed at /incoming-call: a clear "try again", never "Paused" that would not hold', async () => {
    const wired = [...twilio.numbers.values()][0];
    const voiceUrl = wired?.voice_url;
    if (wired !== undefined) wired.voice_url = 'https://webhooks.twilio.com/v1/Accounts/AC1/Flows/FW1';
    try {
      const off = await invoke(handler, sms(BOB.number, 'OFF'));
      expect(replyTo(off.twiml)).toMatch(/^Sorry/);
    } finally {
      if (wired !== undefined && voiceUrl !== undefined) wired.voice_url = voiceUrl;
    }
  });

  it('a garbled reply says which keywords work', async () => {
    const { twiml } = await invoke(handler, sms(ANN.number, 'what?? 🙃'));
    expect(replyTo(twiml)).toMatch(/^Not understood\. Reply Y or Y 1234 to take a call, N 1234 for voicemail/);
  });

  it.each([['STOP'], ['help'], ['Info'], ['UNSTOP'], ['start']])('leaves Twilio\'s reserved word %s to Twilio: no reply, nothing moved', async (word) => {
    await arrive(twilio, '+16175550101');
    const { twiml } = await invoke(handler, sms(ANN.number, word));
    expect(texts(twiml)).toEqual([]);
    expect(dequeued).toEqual([]);
  });

  it('a stranger\'s text is a customer\'s: forwarded to the members, never a command, nothing said back to them', async () => {
    await arrive(twilio, '+16175550101');
    twilio.resetLog();
    for (const body of ['Y', 'STATUS', 'OFF', 'commands']) {
      const { twiml } = await invoke(handler, sms('+19995550000', body));
      expect(texts(twiml).filter((t) => t.to === undefined)).toEqual([]);
      expect(texts(twiml).map((t) => t.to).sort()).toEqual([ANN.number, BOB.number]);
      expect(texts(twiml)[0]?.body).toContain(`"${body}"`);
    }
    const forged = await invoke(handler, { Body: 'Y', From: [ANN.number.replace('1', '9'), ANN.number] });
    expect(texts(forged.twiml).filter((t) => t.to === undefined)).toEqual([]);
    expect(dequeued).toEqual([]);
    // Only the inbox's Sync items: no queue touched, no pause set, no REST text.
    expect(twilio.requests.filter((r) => r.host !== 'sync.twilio.com')).toEqual([]);
    expect(twilio.syncItems(MAPS.team)?.size ?? 0).toBe(0);
  });

  it('compares numbers in E.164: a member texting from the same number formatted differently is still a member', async () => {
    const { twiml } = await invoke(handler, sms('+1 (555) 123-0001', 'commands'));
    expect(texts(twiml)).toHaveLength(1);
  });

  it('a broken configuration answers nobody (it cannot tell members from strangers) and logs what to fix', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { twiml } = await invoke(handler, sms(ANN.number, 'Y'), { ...ENV, ACCOUNT_SID: 'nope' });
    expect(texts(twiml)).toEqual([]);
    expect(errors.mock.calls.flat().join('\n')).toContain('ACCOUNT_SID');
    errors.mockRestore();
  });

  it('a waiting caller whose stored details are gone can still be pulled by reference', async () => {
    const callSid = newCallSid();
    twilio.enqueue('pull-phone', callSid);
    const { twiml } = await invoke(handler, sms(ANN.number, `Y ${callReference(callSid)}`));
    expect(dequeued.map((d) => d.callSid)).toEqual([callSid]);
    expect(replyTo(twiml)).toContain(callReference(callSid));
  });
});

/**
 * A randomized day of calls through the simulator, reproducible from a seed: random arrivals, callers who
 * hang up or press keys, members who reply late, at once, or not at all, phones that ring out or are busy,
 * and faults injected at the Twilio stand-in. Then the invariants every run must keep are checked.
 * The seed fixes every arrival and every person's choices (each drawn from the seed and what it concerns,
 * not from the order events happen in); only requests Twilio would send at the same instant really race,
 * as they would on Twilio.
 */
import { CalledPhone, MemberPhone, isNewCallText, referenceIn, RingingCall, Answering, CallerScript } from './phones';
import { callBackReferenceIn, concurrentCallbacks } from './callbacks';
import { Prng } from './prng';
import { ReportKind, reportsAbout } from './reports';
import { Scene, trace, World } from './scenario';
import { Fault } from './standin';
import { CURRENT, Variants } from './variants';
import { SimCall } from './voice';
import { checkCustomerTexts, CustomerTallies, planCustomerTexts } from './random-customers';

/**
 * Where faults are injected:
 * - 'none'.
 * - 'off-notice-path': reads (every GET: queue list, members list, Sync reads, Lookup) and the dequeue
 *   (POST Members/{CallSid}) fail or answer slowly. Sending texts and Sync writes (the outcome claims a
 *   report depends on) never fail: Twilio does not retry a voice webhook, so a report whose text or claim
 *   failed is lost by any design without a retry queue, and "reported exactly once" could not be checked.
 * - 'everywhere': every request may fail; then a report may be lost, and only "at most once" is checked.
 */
export type FaultMode = 'none' | 'off-notice-path' | 'everywhere';

export interface RandomRunOptions {
  seed: number;
  calls: number;
  faults: FaultMode;
  /** Mean virtual seconds between arrivals. */
  meanArrivalSeconds?: number;
  /** MAX_WAIT_SECONDS the functions were started with. */
  maxWaitSeconds: number;
  /** More for the scene before it runs (e.g. a member's OPEN/CLOSED texts at set times). */
  beforeRun?: (scene: Scene) => void;
  /** The reading of Twilio this run plays (variants.ts); the simulator's old reading when unset. */
  variants?: Variants;
}

/** What a run must keep at zero, counted in calls (the figures), plus the slowest webhook answer. */
export interface Figures {
  calls: number;
  outcomes: Record<string, number>;
  /** Calls that ended with no outcome, or not connected and not reported to every member. */
  callersLost: number;
  /** Calls dequeued or rung more than once (a member rung twice by ring-all escalation for one caller included). */
  doublePulls: number;
  /** "Calling you now" texts to a member whose phone was then not rung for that caller. */
  toldTheirsNotGot: number;
  /** Reports of the wrong kind (a "missed" for a connected caller or a voicemail, a voicemail notice without a recording) or repeated. */
  wrongNotices: number;
  /** Answers Twilio would have failed (HTTP error, no answer in time, invalid TwiML). */
  invalidAnswers: number;
  /** Callers kept in the queue past the maximum wait plus one hold loop. */
  overlongWaits: number;
  /** The longest any function took to answer (real ms). */
  longestFunctionMs: number;
  /** Calls Twilio placed to members' phones for CALL, and how many reached the customer. */
  callbacks: number;
  callbacksReached: number;
  /** Pairs of members calling the same customer back at the same time (issue 15: exactly one at a time). */
  concurrentCallbacks: number;
}

export interface Tallies {
  calls: number;
  outcomes: Record<string, number>;
  reports: Record<string, number>;
  textsToTeam: number;
  webhooks: number;
  dequeues: number;
  /** Ring-all escalation: calls placed to members' mobiles, and callers connected through one. */
  ringAllCalls: number;
  ringAllConnections: number;
  faults: Record<string, number>;
  longestQueueSeconds: number;
  longestHoldLoopSeconds: number;
  slowestWebhookMs: number;
  virtualSeconds: number;
  realSeconds: number;
}

export interface RandomRunResult {
  tallies: Tallies;
  figures: Figures;
  variants: Variants;
  /** Each broken invariant, with the call it concerns. */
  problems: Problem[];
  /** Trace of one call, with the texts about it, for a report. */
  traceOf: (callSid: string) => string;
  calls: SimCall[];
  scene: Scene;
  /** The customers who texted (random-customers.ts). */
  customers: CustomerTallies;
}

export interface Problem {
  callSid?: string;
  /** 'report': the team was told wrongly, too often or not at all; 'call': the call itself; 'twiml': an answer to Twilio. */
  about: 'report' | 'call' | 'twiml';
  /** Which figure it counts in. */
  figure: 'lost' | 'double-pull' | 'told-theirs' | 'wrong-notice' | 'invalid-answer' | 'overlong-wait' | 'concurrent-callback';
  problem: string;
}

const REPORT_OF: Record<string, ReportKind | undefined> = { missed: 'missed', voicemail: 'voicemail', callback: 'callback', connected: undefined };

export async function randomRun(world: World, options: RandomRunOptions): Promise<RandomRunResult> {
  const started = performance.now();
  const prng = new Prng(options.seed);
  const variants = options.variants ?? CURRENT;
  const scene = world.scene({
    seed: options.seed,
    variants,
    // Twilio documents no order between the Record action and the recording/transcription callbacks.
    recordingCallbackDelay: (call) => derived(options.seed, 'rec', call.callSid).seconds(0, 4),
    transcriptionCallbackDelay: (call) => derived(options.seed, 'tr', call.callSid).seconds(0, 30),
  });
  const faultCounts: Record<string, number> = {};
  const faultPrng = new Prng(options.seed ^ 0x5eed);
  if (options.faults !== 'none') {
    world.twilio.faults = (request) => {
      const fault = chooseFault(faultPrng, options.faults, request);
      if (fault !== undefined) {
        const label = fault.status >= 400 ? String(fault.status) : 'slow';
        faultCounts[label] = (faultCounts[label] ?? 0) + 1;
      }
      return fault;
    };
  }
  for (const member of scene.members) scriptMember(member, options.seed, scene);
  options.beforeRun?.(scene);
  let at = 0;
  const calls: SimCall[] = [];
  for (let i = 0; i < options.calls; i += 1) {
    at += prng.exponential(options.meanArrivalSeconds ?? 20);
    const script = callerScript(prng, i, at);
    calls.push(scene.sim.call(script));
    // The caller's phone, for a member's callback (and MISSED_CALL_TEXT): it answers, or not, as drawn per ring.
    scene.sim.addPhone(new CalledPhone(`caller ${i}`, script.from)).whenRinging((ring) => {
      const roll = derived(options.seed, script.from, 'callback', String(ring.at)).next();
      if (roll < 0.1) return { kind: 'busy' };
      if (roll < 0.3) return { kind: 'no-answer' };
      return { kind: 'answer', afterSeconds: 2 + roll * 10, talkSeconds: 5 + roll * 100 };
    });
  }
  // Customers text while calls come in. With faults everywhere they text after the calls instead: faults are drawn
  // in request order, and a call's checks there depend on the exact draws (call-status reports a voicemail call as
  // missed too when it cannot read the call's recordings, by design; some seeds hit it without any customer).
  const customersStart = options.faults === 'everywhere' ? at + 900 : 0;
  const customerPlan = planCustomerTexts(world, scene, options.seed, Math.max(2, Math.ceil(options.calls / 10)), customersStart, at);
  await scene.sim.run();
  world.twilio.faults = undefined;

  const problems = check(scene, calls, options);
  const customers = checkCustomerTexts(world, scene, customerPlan);
  // With faults everywhere a customer's text whose only record (the Sync item of a text over the hourly forward limit)
  // could not be written is lost, like a report whose text failed (see FaultMode): only wrong texts count there.
  problems.push(...customers.problems.filter((p) => options.faults !== 'everywhere' || p.figure !== 'lost').map((p) => ({ about: 'report' as const, ...p })));
  const sim = scene.sim;
  const count = (items: string[]): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const item of items) out[item] = (out[item] ?? 0) + 1;
    return out;
  };
  const tallies: Tallies = {
    calls: calls.length,
    outcomes: count(calls.map((c) => c.outcome ?? 'unended')),
    reports: count(scene.members.flatMap((m) => calls.flatMap((c) => reportsAbout(m, c.script.from, c.callSid).map((r) => r.kind)))),
    textsToTeam: scene.members.reduce((n, m) => n + m.texts.length, 0),
    webhooks: sim.webhooks.length,
    dequeues: calls.reduce((n, c) => n + c.dequeues, 0),
    ringAllCalls: sim.outbound.filter((o) => new URL(o.created.url).pathname === '/ring-answer').length,
    ringAllConnections: [...sim.conferences.values()].filter((room) => room.talked.has('caller')).length,
    faults: faultCounts,
    longestQueueSeconds: Math.max(0, ...calls.map((c) => c.queueSeconds() ?? 0)),
    longestHoldLoopSeconds: longestHoldLoop(calls),
    slowestWebhookMs: Math.round(Math.max(0, ...sim.webhooks.map((w) => w.realMs))),
    virtualSeconds: Math.round(sim.now() / 1000),
    realSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  const callsWith = (figure: Problem['figure']): number => new Set(problems.filter((p) => p.figure === figure).map((p) => p.callSid ?? p.problem)).size;
  const figures: Figures = {
    calls: calls.length,
    outcomes: tallies.outcomes,
    callersLost: callsWith('lost'),
    doublePulls: callsWith('double-pull'),
    toldTheirsNotGot: problems.filter((p) => p.figure === 'told-theirs').length,
    wrongNotices: problems.filter((p) => p.figure === 'wrong-notice').length,
    invalidAnswers: problems.filter((p) => p.figure === 'invalid-answer').length,
    overlongWaits: callsWith('overlong-wait'),
    longestFunctionMs: tallies.slowestWebhookMs,
    callbacks: sim.outbound.length,
    callbacksReached: sim.outbound.filter((o) => o.dials.some((d) => d.bridged)).length,
    concurrentCallbacks: problems.filter((p) => p.figure === 'concurrent-callback').length,
  };
  return {
    tallies,
    figures,
    variants,
    problems,
    calls,
    scene,
    customers: customers.tallies,
    traceOf: (callSid) => {
      const call = calls.find((c) => c.callSid === callSid);
      if (call === undefined) return '';
      const texts = scene.members.flatMap((m) => m.texts.filter((t) => t.body.includes(call.script.from) || t.body.includes(`(${call.reference})`) || t.body.includes(` ${call.reference} `))
        .map((t) => ({ at: t.at, who: m.name, kind: 'text-in' as const, text: t.body })));
      const sent = scene.members.flatMap((m) => m.sent.filter((t) => t.body.includes(call.reference)).map((t) => ({ at: t.at, who: m.name, kind: 'text-out' as const, text: t.body })));
      return trace([...call.events, ...texts, ...sent].sort((a, b) => a.at - b.at));
    },
  };
}

function chooseFault(prng: Prng, mode: FaultMode, request: { method: string; host: string; path: string }): Fault | undefined {
  const dequeue = request.method === 'POST' && /\/Queues\/QU\w+\/Members\/\w+\.json$/.test(request.path);
  if (mode === 'off-notice-path' && request.method !== 'GET' && !dequeue) return undefined;
  const roll = prng.next();
  if (roll < 0.03) return { status: prng.pick([500, 503]) };
  if (roll < 0.05) return { status: 429, code: 20429 };
  if (roll < 0.06) return { status: 200, delayMs: prng.integer(100, 1200) };
  return undefined;
}

function callerScript(prng: Prng, index: number, at: number): CallerScript {
  const script: CallerScript = {
    // Unique numbers, so every text about a caller can be traced to them.
    from: `+1617${String(5_500_000 + index)}`,
    arriveAfterSeconds: Math.round(at * 10) / 10,
    ...(prng.chance(0.5) ? { city: prng.pick(['Boston', 'Quincy', 'Salem']), state: 'MA', country: 'US' } : {}),
  };
  if (prng.chance(0.25)) script.hangUpAfterSeconds = prng.seconds(3, 200);
  const keys: { afterSeconds: number; digits: string }[] = [];
  if (prng.chance(0.1)) keys.push({ afterSeconds: prng.seconds(2, 60), digits: '1' });
  if (prng.chance(0.15)) keys.push({ afterSeconds: prng.seconds(2, 60), digits: '2' });
  if (prng.chance(0.03)) keys.push({ afterSeconds: prng.seconds(2, 150), digits: prng.pick(['3', '9', '*']) });
  if (keys.length > 0) script.keys = keys;
  const speak = prng.chance(0.1) ? prng.pick([0, 1]) : prng.seconds(2, 90);
  script.voicemail = { speakSeconds: speak, end: prng.pick(['hangup', 'key', 'silence'] as const), words: `Message number ${index}, please call back.` };
  return script;
}

/** How each member behaves: decided per text and per ring from the seed, so concurrency does not change it. */
function scriptMember(member: MemberPhone, seed: number, scene: Scene): void {
  let lastCommand: string | undefined;
  let retried = false;
  member.onText((text) => {
    if (/send that again/i.test(text.body) && lastCommand !== undefined && !retried) {
      retried = true;
      return { afterSeconds: 3, body: lastCommand };
    }
    if (!isNewCallText(text.body)) return undefined;
    const reference = referenceIn(text.body) ?? '';
    const prng = derived(seed, member.name, reference, String(text.at));
    const roll = prng.next();
    const afterSeconds = prng.seconds(3, 150);
    let body: string | undefined;
    if (roll < 0.35) body = `Y ${reference}`;
    else if (roll < 0.45) body = `N ${reference}`;
    else if (roll < 0.5) body = 'y';
    else if (roll < 0.53) body = 'STATUS';
    if (body === undefined) return undefined;
    lastCommand = body;
    retried = false;
    return { afterSeconds, body };
  });
  member.whenRinging((call: RingingCall): Answering => {
    const prng = derived(seed, member.name, 'ring', String(call.at));
    const roll = prng.next();
    if (roll < 0.1) return { kind: 'busy' };
    if (roll < 0.3) return { kind: 'no-answer' };
    const pressRoll = prng.next();
    return {
      kind: 'answer',
      afterSeconds: prng.seconds(1, 25),
      ...(pressRoll < 0.75 ? { press: '1', pressAfterSeconds: prng.seconds(0.5, 14) } : pressRoll < 0.85 ? { press: '2', pressAfterSeconds: prng.seconds(0.5, 8) } : {}),
      ...(prng.chance(0.05) ? { hangUpAfterSeconds: prng.seconds(1, 10) } : {}),
      talkSeconds: prng.seconds(5, 120),
    };
  });
  // A notice offering `CALL 0101` is called back now and then, sometimes by two members at once; a failed attempt
  // ("Ann could not reach …") is sometimes tried again by someone else.
  member.onText((text) => {
    const reference = callBackReferenceIn(text.body);
    if (reference === undefined || text.body.startsWith(`${member.name} could not reach`)) return undefined;
    const prng = derived(seed, member.name, 'call back', reference, String(text.at));
    if (!prng.chance(/could not reach/.test(text.body) ? 0.3 : 0.35)) return undefined;
    return { afterSeconds: prng.seconds(5, 300), body: `CALL ${reference}` };
  });
  // Now and then a member pauses new-call texts for a while.
  const prng = derived(seed, member.name, 'pause');
  if (prng.chance(0.5)) {
    const off = prng.seconds(60, 1200);
    scene.sim.text(member, 'OFF', off);
    scene.sim.text(member, 'ON', off + prng.seconds(60, 600));
  }
}

function check(scene: Scene, calls: SimCall[], options: RandomRunOptions): Problem[] {
  const problems: Problem[] = [];
  const sim = scene.sim;
  for (const v of sim.violations) problems.push({ ...(v.callSid === undefined ? {} : { callSid: v.callSid }), about: 'twiml', figure: 'invalid-answer', problem: `invalid answer from ${v.url}: ${v.problem}` });
  for (const u of sim.undelivered) problems.push({ about: 'report', figure: 'wrong-notice', problem: `a text went to ${u.to}, a number nobody in the simulation has` });
  problems.push(...toldTheirs(scene, calls));
  for (const [a, b] of concurrentCallbacks(sim)) {
    problems.push({ about: 'call', figure: 'concurrent-callback', problem: `${a.member} and ${b.member} were both calling ${a.customer ?? '?'} back at ${Math.round(Math.max(a.from, b.from) / 1000)} s` });
  }
  const loop = longestHoldLoop(calls);
  for (const call of calls) {
    const outcome = call.outcome;
    const label = { callSid: call.callSid, about: 'call' as const };
    const report = { callSid: call.callSid, about: 'report' as const };
    if (outcome === undefined || outcome === 'error') {
      problems.push({ ...label, figure: 'lost', problem: `ended with ${outcome ?? 'no outcome'}` });
      continue;
    }
    if (call.dequeues > 1) problems.push({ ...label, figure: 'double-pull', problem: `dequeued ${call.dequeues} times` });
    if (call.dials.length > 1) problems.push({ ...label, figure: 'double-pull', problem: `rang ${call.dials.length} members` });
    // Ring-all escalation rings each member at most once per caller, however many hold loops the caller waits.
    const rung = sim.outbound.filter((o) => new URL(o.created.url).searchParams.get('caller') === call.callSid).map((o) => o.who);
    for (const who of new Set(rung)) {
      const times = rung.filter((w) => w === who).length;
      if (times > 1) problems.push({ ...label, figure: 'double-pull', problem: `ring-all rang ${who} ${times} times for this caller` });
    }
    const waited = call.queueSeconds();
    if (waited !== undefined && waited > options.maxWaitSeconds + loop) {
      problems.push({ ...label, figure: 'overlong-wait', problem: `waited ${waited} s in the queue, past the maximum wait (${options.maxWaitSeconds} s) plus one hold loop (${loop} s)` });
    }
    const expected = REPORT_OF[outcome];
    for (const member of scene.members) {
      const got = reportsAbout(member, call.script.from, call.callSid);
      const wrong = got.filter((r) => r.kind !== expected);
      if (wrong.length > 0) problems.push({ ...report, figure: 'wrong-notice', problem: `${outcome} call, but ${member.name} was told: ${wrong.map((r) => r.kind).join(', ')}` });
      const right = got.length - wrong.length;
      if (expected !== undefined && right > 1) {
        problems.push({ ...report, figure: 'wrong-notice', problem: `${outcome} call reported to ${member.name} ${right} times (expected once)` });
      }
      if (expected !== undefined && options.faults !== 'everywhere' && right === 0) {
        problems.push({ ...report, figure: 'lost', problem: `${outcome} call never reported to ${member.name} (expected once)` });
      }
    }
  }
  return problems;
}

/**
 * Members told "Calling you now" for a caller whose call then never rang their phone. A caller who hung up
 * before any phone rang is no broken promise: the member was told the truth at the time.
 */
function toldTheirs(scene: Scene, calls: SimCall[]): Problem[] {
  const problems: Problem[] = [];
  for (const member of scene.members) {
    for (const text of member.texts) {
      const reference = /^Calling you now for .*\((\d{4})\)/.exec(text.body)?.[1];
      if (reference === undefined) continue;
      const candidates = calls.filter((c) => c.reference === reference && (c.startedAt ?? Infinity) <= text.at && (c.endedAt ?? Infinity) >= text.at - 60_000);
      if (candidates.some((c) => c.dials.some((d) => d.member === member.name))) continue;
      if (candidates.some((c) => c.endedBy === 'caller' && c.dials.length === 0)) continue;
      const call = candidates[0];
      problems.push({
        ...(call === undefined ? {} : { callSid: call.callSid }), about: 'call', figure: 'told-theirs',
        problem: `${member.name} was told "${text.body}" but their phone never rang for that caller`,
      });
    }
  }
  return problems;
}

/** The longest hold loop: time between two requests of the wait document, among callers who pressed no key. */
function longestHoldLoop(calls: SimCall[]): number {
  let longest = 0;
  for (const call of calls) {
    if (call.queue === undefined || call.queueKeys.length > 0) continue;
    const loops = call.queue.loops;
    for (let i = 1; i < loops.length; i += 1) longest = Math.max(longest, ((loops[i] ?? 0) - (loops[i - 1] ?? 0)) / 1000);
  }
  return Math.ceil(longest);
}

/** A generator seeded from the run's seed and a label, so each decision is independent of event order. */
function derived(seed: number, ...labels: string[]): Prng {
  let hash = 0x811c9dc5 ^ seed;
  for (const ch of labels.join('|')) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return new Prng(hash);
}

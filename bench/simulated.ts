/**
 * Per-outcome counts from the call simulator (sim/scenario.ts, sim/voice.ts): the built functions
 * served by twilio-run over HTTP, Twilio's voice and messaging side played on a virtual clock, so every
 * webhook Twilio would make is one function invocation — status callbacks, the Enqueue action after a
 * dequeue, recording callbacks included. Also a long hold, to count /wait-music requests per minute.
 */
import { MAPS } from '../src/store';
import { OutcomeName, OUTCOMES } from './outcomes';
import { CALLER } from './routes';
import { kindOf, OutcomeRow, Text } from './stats';
import { teamOf } from './world';
import { pool } from './load';
import { CallerScript } from '../sim/phones';
import { Scene, World as SimWorld } from '../sim/scenario';
import { segments } from '../sim/standin';

const CALLER_SCRIPT: CallerScript = { from: CALLER.number, city: CALLER.city, state: CALLER.state, country: CALLER.country };

/** How each outcome is brought about; every one settles within the first hold loop but the connected call. */
const SCRIPTS: Record<OutcomeName, (scene: Scene) => CallerScript> = {
  connected: (scene) => {
    scene.members[0]?.repliesToNewCalls('Y', 10).answers({ afterSeconds: 4, press: '1', pressAfterSeconds: 3, talkSeconds: 60 });
    return CALLER_SCRIPT;
  },
  voicemail: () => ({ ...CALLER_SCRIPT, keys: [{ afterSeconds: 15, digits: '1' }], voicemail: { speakSeconds: 20, end: 'hangup' } }),
  callback: () => ({ ...CALLER_SCRIPT, keys: [{ afterSeconds: 15, digits: '2' }] }),
  missed: () => ({ ...CALLER_SCRIPT, hangUpAfterSeconds: 30 }),
};

/** An account that has taken calls before: the Sync maps exist and are empty (a fresh account's first call makes them). */
function warm(world: SimWorld): void {
  for (const map of Object.values(MAPS)) {
    world.twilio.setSyncItem(map, 'warm', {});
    world.twilio.syncItems(map)?.clear();
  }
  world.twilio.callerNames.set(CALLER.number, CALLER.name);
}

async function outcome(world: SimWorld, name: OutcomeName, team: number, lookup: boolean): Promise<OutcomeRow> {
  const scene = world.scene();
  warm(world);
  const call = scene.sim.call(SCRIPTS[name](scene));
  await scene.sim.run();
  if (scene.sim.violations.length > 0) throw new Error(`bench: the simulator saw answers Twilio would refuse: ${JSON.stringify(scene.sim.violations)}`);
  if (call.outcome !== name) throw new Error(`bench: the ${name} scene ended ${call.outcome ?? 'unfinished'}`);
  const texts: Text[] = scene.members.flatMap((phone) => phone.texts.map((t): Text => {
    const via = t.via === 'rest' ? 'REST' : 'TwiML';
    // A TwiML <Message> to the phone that texted is its reply; one to another member is a notice.
    const to = via === 'TwiML' && scene.members[0]?.number !== phone.number ? phone.number : undefined;
    return { kind: kindOf(t.body, via, to), via, segments: segments(t.body), length: t.body.length };
  }));
  const sum = (via: Text['via']): number => texts.filter((t) => t.via === via).reduce((n, t) => n + t.segments, 0);
  return {
    outcome: name, lookup, team,
    steps: scene.sim.webhooks.map((w) => w.path.replace(/^\//, '').replace(/\?.*$/, '')),
    restRequests: world.twilio.requests.length,
    lookups: world.twilio.requests.filter((r) => r.host === 'lookups.twilio.com').length,
    segments: { rest: sum('REST'), twiml: sum('TwiML') },
    texts,
    syncOperations: world.twilio.requests.filter((r) => r.host === 'sync.twilio.com').length,
  };
}

export interface SimulatedHold {
  holdSeconds: number;
  waitMusicRequests: number;
  perMinute: number;
}

/** A caller who holds `seconds` and hangs up (the maximum wait raised so the hold is not cut short). */
async function hold(world: SimWorld, seconds: number): Promise<SimulatedHold> {
  const scene = world.scene();
  warm(world);
  const call = scene.sim.call({ ...CALLER_SCRIPT, hangUpAfterSeconds: seconds });
  await scene.sim.run();
  const waitMusicRequests = scene.sim.webhooks.filter((w) => w.path.startsWith('/wait-music')).length;
  const held = call.queueSeconds() ?? seconds;
  return { holdSeconds: held, waitMusicRequests, perMinute: waitMusicRequests / (held / 60) };
}

/**
 * Time to know, under V7 (SMS throughput modelled: `segmentsPerSecond` per sending number, `senders` numbers in
 * the pool): seconds from a caller's arrival until the first and the last member have the new-call text, the
 * worst over a few calls, and who was last each time (the order rotates, so nobody is always last).
 */
export interface TimeToKnow {
  team: number;
  first: number;
  last: number;
  lastMembers: string[];
}

export interface Throughput {
  segmentsPerSecond: number;
  senders: number;
}

async function timeToKnow(world: SimWorld, team: number, throughput: Throughput): Promise<TimeToKnow> {
  const scene = world.scene({ variants: { smsDelivery: 'throttled' }, smsThroughput: throughput, seed: team });
  warm(world);
  const calls = [0, 1, 2].map((i) => scene.sim.call({ ...CALLER_SCRIPT, from: `+1617555031${i}`, arriveAfterSeconds: i * 120, hangUpAfterSeconds: 30 }));
  await scene.sim.run();
  let first = 0;
  let last = 0;
  const lastMembers: string[] = [];
  for (const call of calls) {
    const times = scene.members.map((m) => ({ name: m.name, at: m.texts.find((t) => t.body.startsWith('Call from') && t.body.includes(call.script.from))?.at }));
    if (times.some((t) => t.at === undefined)) throw new Error(`bench: a member was never told of a call (team ${team})`);
    const since = (at: number | undefined): number => ((at ?? 0) - (call.startedAt ?? 0)) / 1000;
    const latest = times.reduce((a, b) => ((b.at ?? 0) > (a.at ?? 0) ? b : a));
    first = Math.max(first, Math.min(...times.map((t) => since(t.at))));
    last = Math.max(last, since(latest.at));
    lastMembers.push(latest.name);
  }
  return { team, first, last, lastMembers };
}

export interface Simulated {
  rows: OutcomeRow[];
  hold: SimulatedHold;
  timeToKnow: TimeToKnow[];
}

/** One twilio-run server per configuration (team size, lookup), a few starting at once. */
export async function simulateOutcomes(
  root: string, teams: readonly number[], holdSeconds: number, parallel: number, throughput: Throughput, lookupTeams: readonly number[] = teams,
): Promise<Simulated> {
  const configs = teams.flatMap((team) => [false, true].filter((lookup) => !lookup || lookupTeams.includes(team)).map((lookup) => ({ team, lookup })));
  const rows: OutcomeRow[] = [];
  const told: TimeToKnow[] = [];
  const runs = configs.map((config) => async (): Promise<void> => {
    const world = await SimWorld.start({ root, members: teamOf(config.team), env: { CALLER_NAME_LOOKUP: String(config.lookup) } });
    try {
      for (const name of OUTCOMES) rows.push(await outcome(world, name, config.team, config.lookup));
      if (!config.lookup) told.push(await timeToKnow(world, config.team, throughput));
    } finally {
      await world.stop();
    }
  });
  let held: SimulatedHold | undefined;
  runs.push(async () => {
    const world = await SimWorld.start({ root, members: teamOf(1), env: { MAX_WAIT_SECONDS: '3600' } });
    try {
      held = await hold(world, holdSeconds);
    } finally {
      await world.stop();
    }
  });
  await pool(runs, parallel);
  if (held === undefined) throw new Error('bench: the hold was not simulated');
  return { rows, hold: held, timeToKnow: told.sort((a, b) => a.team - b.team) };
}

/**
 * A whole Pull Phone world on one machine: the Twilio stand-in, the real functions served by
 * twilio-run, the simulator playing Twilio's voice and messaging side, and the people's phones.
 * No Twilio account: the credentials below only have to look real.
 */
import { VirtualClock } from './clock';
import { FunctionsServer, startFunctionsServer } from './functions-server';
import { MemberPhone, Phone } from './phones';
import { TwilioStandIn } from './standin';
import { SimEvent, Simulator, SimulatorOptions } from './voice';

export const TEST_ACCOUNT_SID = `AC${'5'.repeat(32)}`;
export const TEST_AUTH_TOKEN = 'f'.repeat(32);
export const TEST_TWILIO_NUMBER = '+15550100000';
/** Virtual time starts here, so runs print the same clock times. */
const EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface MemberSpec {
  name: string;
  number: string;
}

export interface WorldOptions {
  root: string;
  members: MemberSpec[];
  /** More environment variables for the functions (MAX_WAIT_SECONDS, TRANSCRIBE_VOICEMAIL, …). */
  env?: Record<string, string>;
  /** Path the number's call status callback calls when a call ends: /call-status, as `npm run setup` wires it; null for none. */
  statusCallbackPath?: string | null;
  /** See FunctionsServerOptions.forkProcessFromProjectSettings. */
  forkProcessFromProjectSettings?: boolean;
  /** See FunctionsServerOptions.virtualClock: the functions read the scene's virtual time (business hours). */
  virtualClock?: boolean;
}

export interface SceneOptions {
  seed?: number;
  onEvent?: (event: SimEvent) => void;
  recordingCallbackDelay?: SimulatorOptions['recordingCallbackDelay'];
  transcriptionCallbackDelay?: SimulatorOptions['transcriptionCallbackDelay'];
  /** The reading of Twilio to play (variants.ts); unset points keep the simulator's old reading. */
  variants?: SimulatorOptions['variants'];
  smsThroughput?: SimulatorOptions['smsThroughput'];
  conferenceWait?: SimulatorOptions['conferenceWait'];
}

/** The members' phones and the simulator for one scenario; `World.scene()` makes a fresh one. */
export interface Scene {
  sim: Simulator;
  members: MemberPhone[];
  /** A member's phone by name. */
  member: (name: string) => MemberPhone;
  /** A phone that is not on the team. */
  stranger: (number: string, name?: string) => Phone;
}

export class World {
  private clock = new VirtualClock(EPOCH);
  private current: Simulator | undefined;

  private constructor(
    readonly twilio: TwilioStandIn,
    readonly server: FunctionsServer,
    private readonly specs: MemberSpec[],
    private readonly statusCallbackPath: string | undefined,
  ) {}

  static async start(options: WorldOptions): Promise<World> {
    let world: World | undefined;
    const twilio = new TwilioStandIn({
      accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN,
      // Queue wait times and Sync TTLs follow the scene's virtual clock.
      now: () => world?.clock.now() ?? EPOCH,
    });
    const twilioUrl = await twilio.start();
    try {
      const server = await startFunctionsServer({
        root: options.root,
        twilioUrl,
        ...(options.forkProcessFromProjectSettings === undefined ? {} : { forkProcessFromProjectSettings: options.forkProcessFromProjectSettings }),
        ...(options.virtualClock === undefined ? {} : { virtualClock: options.virtualClock }),
        env: {
          ACCOUNT_SID: TEST_ACCOUNT_SID,
          AUTH_TOKEN: TEST_AUTH_TOKEN,
          TWILIO_PHONE_NUMBER: TEST_TWILIO_NUMBER,
          TEAM_MEMBERS: options.members.map((m) => `${m.name}:${m.number}`).join(','),
          ...options.env,
        },
      });
      twilio.wireNumber({ phoneNumber: TEST_TWILIO_NUMBER, voiceUrl: `${server.url}/incoming-call` });
      world = new World(twilio, server, options.members, options.statusCallbackPath === null ? undefined : options.statusCallbackPath ?? '/call-status');
      return world;
    } catch (error) {
      await twilio.stop();
      throw error;
    }
  }

  /** A fresh scenario: empty account state, clock back at the start, new phones. */
  scene(options: SceneOptions = {}): Scene {
    this.current?.stop();
    this.twilio.reset();
    this.clock = new VirtualClock(EPOCH);
    const sim = new Simulator({
      functionsUrl: this.server.url,
      clock: this.clock,
      twilio: this.twilio,
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      twilioNumber: TEST_TWILIO_NUMBER,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(this.statusCallbackPath === undefined ? {} : { statusCallbackPath: this.statusCallbackPath }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(options.recordingCallbackDelay === undefined ? {} : { recordingCallbackDelay: options.recordingCallbackDelay }),
      ...(options.transcriptionCallbackDelay === undefined ? {} : { transcriptionCallbackDelay: options.transcriptionCallbackDelay }),
      ...(options.variants === undefined ? {} : { variants: options.variants }),
      ...(options.smsThroughput === undefined ? {} : { smsThroughput: options.smsThroughput }),
      ...(options.conferenceWait === undefined ? {} : { conferenceWait: options.conferenceWait }),
    });
    this.current = sim;
    // The simulator counts a call's start from the scene's start; Twilio gives the wall-clock time.
    const clock = this.clock;
    this.twilio.callStart = (callSid) => {
      const started = sim.calls.find((c) => c.callSid === callSid)?.startedAt;
      return started === undefined ? undefined : clock.now() - clock.elapsed() + started;
    };
    this.twilio.callParties = (callSid) => {
      const call = sim.calls.find((c) => c.callSid === callSid);
      if (call === undefined) return undefined;
      const { From: from = '', To: to = '' } = sim.callParams(call, 'in-progress');
      return { from, to };
    };
    const members = this.specs.map((m) => sim.addPhone(new MemberPhone(m.name, m.number)));
    return {
      sim,
      members,
      member: (name) => {
        const phone = members.find((m) => m.name === name);
        if (phone === undefined) throw new Error(`no member named ${name}`);
        return phone;
      },
      stranger: (number, name = 'stranger') => sim.addPhone(new Phone(name, number)),
    };
  }

  async stop(): Promise<void> {
    this.current?.stop();
    await this.server.stop();
    await this.twilio.stop();
  }
}

/** "m:ss" virtual time since the start, for narration and traces. */
export function clockTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One line per event: a trace to print when a check fails. */
export function trace(events: readonly SimEvent[]): string {
  return events.map((e) => `${clockTime(e.at)} ${e.callSid === undefined ? '' : `[${e.callSid.slice(-4)}] `}${e.kind} ${e.who}: ${e.text}`).join('\n');
}

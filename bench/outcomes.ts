/**
 * Per-outcome counts: one whole call per outcome, chained in-process handler by handler as Twilio
 * would drive it — each step's URL taken from the TwiML the step before returned (query parameters
 * handed over in the event, as Twilio Functions does). Each handler invocation is one function invocation.
 * The caller is pulled, presses a key or hangs up during the first hold loop; longer holds add
 * the per-minute hold cost reported separately.
 */
import { handler as bridgeResult } from '../functions/bridge-result.protected';
import { handler as bridge } from '../functions/bridge.protected';
import { handler as callStatus } from '../functions/call-status.protected';
import { handler as holdKey } from '../functions/hold-key.protected';
import { handler as incomingCall } from '../functions/incoming-call.protected';
import { handler as queueResult } from '../functions/queue-result.protected';
import { handler as screen } from '../functions/screen.protected';
import { handler as smsReply } from '../functions/sms-reply.protected';
import { handler as voicemailDone } from '../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../functions/voicemail-saved.protected';
import { handler as voicemail } from '../functions/voicemail.protected';
import { handler as waitMusic } from '../functions/wait-music.protected';
import { callReference } from '../src/reference';
import { CALLER, recordingUrl } from './routes';
import { kindOf, OutcomeRow, Text } from './stats';
import { attribute, DOMAIN, Handler, hasVerb, invokeTimed, Member, QUEUE_NAME, target, teamOf, twimlMessages, TWILIO_NUMBER, verbText, World } from './world';
import { segments } from '../sim/standin';

export const OUTCOMES = ['connected', 'voicemail', 'callback', 'missed'] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

const HANDLERS: Record<string, Handler> = {
  '/incoming-call': incomingCall, '/wait-music': waitMusic, '/hold-key': holdKey, '/queue-result': queueResult,
  '/sms-reply': smsReply, '/bridge': bridge, '/screen': screen, '/bridge-result': bridgeResult,
  '/voicemail': voicemail, '/voicemail-done': voicemailDone, '/voicemail-saved': voicemailSaved,
  '/call-status': callStatus,
};

class Chain {
  readonly steps: string[] = [];
  readonly twimlTexts: Text[] = [];

  constructor(readonly world: World, readonly env: Record<string, string>) {}

  /** Request one of our URLs as Twilio would; returns the TwiML. */
  async run(url: string | undefined, params: Record<string, string>): Promise<string> {
    if (url === undefined) throw new Error(`bench: the call flow broke after ${this.steps.join(' → ')}`);
    const { path, query } = target(url.startsWith('/') ? `https://${DOMAIN}${url}` : url);
    const handler = HANDLERS[path];
    if (handler === undefined) throw new Error(`bench: no function at ${path}`);
    this.steps.push(path.slice(1));
    const { xml } = await invokeTimed(handler, this.env, { ...params, ...query });
    for (const m of twimlMessages(xml)) {
      this.twimlTexts.push({ kind: kindOf(m.body, 'TwiML', m.to), via: 'TwiML', segments: segments(m.body), length: m.body.length });
    }
    return xml;
  }
}

function voice(callSid: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CallSid: callSid, From: CALLER.number, To: TWILIO_NUMBER, Direction: 'inbound', CallStatus: 'in-progress',
    FromCity: CALLER.city, FromState: CALLER.state, FromCountry: CALLER.country, ...extra,
  };
}

function expectVerb(xml: string, verb: string, step: string): void {
  if (!hasVerb(xml, verb)) throw new Error(`bench: ${step} answered without <${verb}>: ${xml}`);
}

/** Arrive and wait one loop of hold music; returns the Enqueue action URL and the wait document. */
async function arriveAndWait(chain: Chain, callSid: string): Promise<{ action: string | undefined; wait: string }> {
  const incoming = await chain.run('/incoming-call', voice(callSid, { CallStatus: 'ringing' }));
  expectVerb(incoming, 'Enqueue', 'incoming-call');
  chain.world.standIn.enqueue(QUEUE_NAME, callSid);
  const wait = await chain.run(attribute(incoming, 'Enqueue', 'waitUrl'), voice(callSid, {
    QueueTime: '0', QueuePosition: '1', CurrentQueueSize: '1', AvgQueueTime: '0', MaxQueueSize: '1000',
  }));
  return { action: attribute(incoming, 'Enqueue', 'action'), wait };
}

/** The number's status callback, as npm run setup wires it: every call ends with one. */
async function ended(chain: Chain, callSid: string): Promise<void> {
  await chain.run('/call-status', voice(callSid, { CallStatus: 'completed' }));
}

async function recordVoicemail(chain: Chain, callSid: string, answer: string): Promise<void> {
  const record = await chain.run(verbText(answer, 'Redirect'), voice(callSid));
  expectVerb(record, 'Record', 'voicemail');
  const url = recordingUrl(chain.world);
  const recording = { RecordingUrl: url, RecordingDuration: '25', RecordingSid: `RE${'f'.repeat(32)}` };
  // Twilio keeps the recording with the call; /call-status looks for it when the call ends.
  chain.world.standIn.recordings.set(recording.RecordingSid, { sid: recording.RecordingSid, callSid, status: 'completed', duration: 25 });
  await chain.run(attribute(record, 'Record', 'action'), voice(callSid, { ...recording, Digits: '#' }));
  // The caller hangs up after the thanks; Twilio's recording callback comes a little later.
  await ended(chain, callSid);
  await chain.run(attribute(record, 'Record', 'recordingStatusCallback'), { CallSid: callSid, ...recording, RecordingStatus: 'completed' });
}

const FLOWS: Record<OutcomeName, (chain: Chain, team: Member[]) => Promise<void>> = {
  /** A member texts "Y ref", answers their mobile and presses 1. */
  connected: async (chain, team) => {
    const callSid = chain.world.newCallSid();
    const { action } = await arriveAndWait(chain, callSid);
    let pulledTo: string | undefined;
    chain.world.standIn.onDequeue = (sid, url) => { if (sid === callSid) pulledTo = url; };
    const member = team[0]?.number ?? '';
    await chain.run('/sms-reply', { MessageSid: `SM${'e'.repeat(32)}`, From: member, To: TWILIO_NUMBER, Body: `Y ${callReference(callSid)}`, NumMedia: '0', NumSegments: '1' });
    if (pulledTo === undefined) throw new Error('bench: the Y reply did not pull the caller');
    await chain.run(action, voice(callSid, { QueueResult: 'redirected', QueueTime: '20' }));
    const dial = await chain.run(pulledTo, voice(callSid));
    expectVerb(dial, 'Dial', 'bridge');
    const leg = chain.world.newCallSid();
    const legParams = { CallSid: leg, From: CALLER.number, To: member, Direction: 'outbound-api', CallStatus: 'in-progress' };
    const announce = await chain.run(attribute(dial, 'Number', 'url'), legParams);
    expectVerb(announce, 'Gather', 'screen');
    await chain.run(attribute(announce, 'Gather', 'action'), { ...legParams, Digits: '1' });
    await chain.run(attribute(dial, 'Dial', 'action'), voice(callSid, { DialCallStatus: 'completed', DialBridged: 'true', DialCallSid: leg, DialCallDuration: '95' }));
    await ended(chain, callSid);
  },
  /** The caller presses 1 while waiting and leaves a message. */
  voicemail: async (chain) => {
    const callSid = chain.world.newCallSid();
    const { action, wait } = await arriveAndWait(chain, callSid);
    const key = await chain.run(attribute(wait, 'Gather', 'action'), voice(callSid, { Digits: '1', QueueTime: '10' }));
    expectVerb(key, 'Leave', 'hold-key');
    chain.world.standIn.removeMember(callSid);
    const left = await chain.run(action, voice(callSid, { QueueResult: 'leave', QueueTime: '11' }));
    await recordVoicemail(chain, callSid, left);
  },
  /** The caller presses 2 while waiting; the call ends. */
  callback: async (chain) => {
    const callSid = chain.world.newCallSid();
    const { action, wait } = await arriveAndWait(chain, callSid);
    const key = await chain.run(attribute(wait, 'Gather', 'action'), voice(callSid, { Digits: '2', QueueTime: '10' }));
    expectVerb(key, 'Leave', 'hold-key');
    chain.world.standIn.removeMember(callSid);
    const goodbye = await chain.run(action, voice(callSid, { QueueResult: 'leave', QueueTime: '12' }));
    expectVerb(goodbye, 'Hangup', 'queue-result');
    await ended(chain, callSid);
  },
  /** The caller hangs up while waiting. */
  missed: async (chain) => {
    const callSid = chain.world.newCallSid();
    const { action } = await arriveAndWait(chain, callSid);
    chain.world.standIn.removeMember(callSid);
    await chain.run(action, voice(callSid, { QueueResult: 'hangup', QueueTime: '30', CallStatus: 'completed' }));
    await ended(chain, callSid);
  },
};

export async function measureOutcome(world: World, outcome: OutcomeName, teamSize: number, lookup: boolean): Promise<OutcomeRow> {
  world.reset();
  const team = teamOf(teamSize);
  world.standIn.callerNames.set(CALLER.number, CALLER.name);
  const chain = new Chain(world, world.env(team, { CALLER_NAME_LOOKUP: lookup ? 'true' : 'false' }));
  await FLOWS[outcome](chain, team);
  const restTexts: Text[] = world.standIn.messages.map((m) => ({ kind: kindOf(m.body, 'REST', m.to), via: 'REST', segments: segments(m.body), length: m.body.length }));
  const sum = (texts: Text[]): number => texts.reduce((n, t) => n + t.segments, 0);
  return {
    outcome, lookup, team: teamSize, steps: chain.steps,
    restRequests: world.standIn.requests.length,
    lookups: world.standIn.requests.filter((r) => r.host === 'lookups.twilio.com').length,
    segments: { rest: sum(restTexts), twiml: sum(chain.twimlTexts) },
    texts: [...restTexts, ...chain.twimlTexts],
    syncOperations: world.standIn.requests.filter((r) => r.host === 'sync.twilio.com').length,
  };
}

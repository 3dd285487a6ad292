/**
 * npm run live-check -- [--domain <domain>] [--member NAME] [--yes]
 * One short test call into the team's number (from the number itself) and, with --member, one ring of that
 * member's mobile and one text to them; then what this account showed for each open reading (src/live-check.ts).
 * Prints the plan and does nothing without --yes. Run it after deploy and setup (see the README).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAccount } from '../src/account';
import { domainOf, gatherAccount } from '../src/account-facts';
import { Config, Env, Member, readConfig } from '../src/config';
import { effectiveEnv, formatFindings, parseDotenv, wrap } from '../src/doctor';
import { describePlan, interpret, LiveObservation, webhookOfEvent } from '../src/live-check';
import { maskForDisplay } from '../src/phone';
import { findQueueSid, waitingCallers } from '../src/queue';
import { describeFailure, twilioClient, TwilioClient } from '../src/twilio-api';

type Print = (line: string) => void;

export const LIVE_USAGE = 'Usage: npm run live-check -- [--domain <domain>] [--member NAME] [--yes]';

export interface LiveCheckOptions {
  domain?: string | undefined;
  member?: string | undefined;
  yes?: boolean | undefined;
  /** Where to look for .twiliodeployinfo. */
  root: string;
}

/** Seconds the whole check may take before it stops waiting for Twilio. */
const QUEUE_WAIT_MS = 30_000;
const CALL_END_MS = 240_000;
const EVENTS_MS = 20 * 60_000;

export async function runLiveCheck(options: LiveCheckOptions, env: Env, print: Print): Promise<number> {
  const result = readConfig(env);
  if (!result.ok) {
    print('The live check needs a working configuration first: run npm run doctor and fix its errors.');
    return 1;
  }
  const { config } = result;
  const member = options.member === undefined ? undefined : config.members.find((m) => m.name.toLowerCase() === options.member?.toLowerCase());
  if (options.member !== undefined && member === undefined) {
    print(`No member is called "${options.member}". Members: ${config.members.map((m) => m.name).join(', ')}.`);
    return 1;
  }
  for (const line of describePlan({ teamSize: config.members.length, member: member === undefined ? undefined : { name: member.name, maskedNumber: maskForDisplay(member.number) } })) print(line);
  if (options.yes !== true) {
    print('');
    print('Nothing was done. Run again with --yes to go ahead.');
    return 0;
  }
  const client = twilioClient(config);
  try {
    const domain = await domainOf(options.root, client, config, options.domain);
    if (domain === undefined) {
      print('The deployment\'s domain is unknown: deploy first (npm run deploy), or pass --domain <domain>.');
      return 1;
    }
    print('');
    print(`Checking ${maskForDisplay(config.twilioNumber)} against ${domain}…`);
    const account = await gatherAccount(client, config, domain);
    print(`  voice webhook: ${account.number?.voiceUrl ?? '(number not found)'}; SMS webhook: ${account.number?.smsUrl ?? '(number not found)'}`);
    print(`  Messaging Services holding the number: ${account.messagingServices.length === 0 ? 'none' : account.messagingServices.map((s) => `${s.sid} (${s.useInboundWebhookOnNumber ? 'defers to the number' : 'takes its texts'})`).join(', ')}`);
    const findings = checkAccount(config, account);
    if (findings.some((f) => f.level === 'error')) {
      for (const line of formatFindings(findings)) print(line);
      print('Fix these first (npm run setup), then run the live check again.');
      return 1;
    }
    const observation = await observe(client, config, domain, member, print);
    const report = interpret(observation);
    print('');
    print(`Webhooks reached: ${report.reached.join(', ') || 'none'}`);
    for (const reading of report.readings) for (const line of wrap(`  ${reading.name}: ${reading.shows}`, 100, '    ')) print(line);
    print(`Cost: ${report.cost}`);
    return 0;
  } catch (error) {
    print(`The live check stopped: ${describeFailure(error)}.`);
    return 1;
  }
}

async function observe(client: TwilioClient, config: Config, domain: string, member: Member | undefined, print: Print): Promise<LiveObservation> {
  const costs: { what: string; sid: string; kind: 'call' | 'message' }[] = [];
  // The calling leg stays silent: the voicemail it reaches records silence.
  const outbound = await client.calls.create({ to: config.twilioNumber, from: config.twilioNumber, twiml: '<Response><Pause length="40"/><Hangup/></Response>' });
  costs.push({ what: 'test call (calling leg)', sid: outbound.sid, kind: 'call' });
  print(`  placed test call ${outbound.sid}; waiting for it to reach the queue…`);

  const queueSid = await until(QUEUE_WAIT_MS, () => findQueueSid(client, config.queueName));
  if (queueSid === undefined) throw new Error(`the test call never reached queue "${config.queueName}"`);
  const known = new Set<string>();
  const waiting = await until(QUEUE_WAIT_MS, async () => {
    const callers = await waitingCallers(client, queueSid);
    for (const c of callers) {
      if (known.has(c.callSid)) continue;
      known.add(c.callSid);
      const call = await client.calls(c.callSid).fetch();
      if (call.from === config.twilioNumber && call.direction === 'inbound') return c.callSid;
    }
    return undefined;
  });
  if (waiting === undefined) throw new Error('the test call did not appear in the queue');
  costs.push({ what: 'test call (answered leg)', sid: waiting, kind: 'call' });

  const path = member === undefined ? '/voicemail?live-check=dequeue' : `/bridge?member=${encodeURIComponent(member.number)}&live-check=dequeue`;
  const dequeue = { at: Date.now(), path };
  await client.queues(queueSid).members(waiting).update({ url: `https://${domain}${path}`, method: 'POST' });
  print(`  dequeued it by REST to ${path.replace(/\?.*$/, '')}${member === undefined ? '' : ` (ringing ${member.name})`}; waiting for the call to end…`);
  if (member !== undefined) {
    const text = await client.messages.create({ to: member.number, from: config.twilioNumber, body: 'Pull Phone live check: a test text. No reply needed.' });
    costs.push({ what: `text to ${member.name}`, sid: text.sid, kind: 'message' });
  }
  await until(CALL_END_MS, async () => ((await client.calls(waiting).fetch()).status === 'completed' ? true : undefined));
  // Twilio publishes a call's Events about 15 minutes after it ends (twilio.com/docs/voice/api/call-event-resource).
  print(`  the call has ended. Twilio publishes its webhook log about 15 minutes later; waiting for it (Ctrl-C stops)…`);
  const events = await until(EVENTS_MS, async () => {
    const list = await client.calls(waiting).events.list({ limit: 200 });
    return list.length > 0 ? list : undefined;
  }, 30_000) ?? [];
  const recordings = await client.recordings.list({ callSid: waiting, limit: 20 });
  const webhooks = events.flatMap((e) => webhookOfEvent(e.request, e.response));
  const priced = await Promise.all(costs.map(async (c) => {
    const price: unknown = c.kind === 'call' ? (await client.calls(c.sid).fetch()).price : (await client.messages(c.sid).fetch()).price;
    return { what: c.what, priceUsd: priceOf(price) };
  }));
  return {
    webhooks,
    dequeue,
    recordings: recordings.map((r) => ({ status: r.status, durationSeconds: Number(r.duration) })),
    memberRung: member !== undefined,
    costs: [...priced, ...recordings.map((r) => ({ what: `recording ${r.sid}`, priceUsd: priceOf(r.price as unknown) }))],
  };
}

/** Twilio prices are strings ("-0.0130"), null until the resource is priced. */
function priceOf(price: unknown): number | undefined {
  const value = typeof price === 'string' ? Number(price) : Number.NaN;
  return Number.isNaN(value) ? undefined : value;
}

async function until<T>(ms: number, probe: () => Promise<T | undefined>, everyMs = 2000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function parseLiveArgs(argv: string[]): Omit<LiveCheckOptions, 'root'> | { usage: string } {
  try {
    const { values } = parseArgs({ args: argv, options: { domain: { type: 'string' }, member: { type: 'string' }, yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help === true) return { usage: LIVE_USAGE };
    return { domain: values.domain, member: values.member, yes: values.yes };
  } catch (error) {
    return { usage: `${error instanceof Error ? error.message : String(error)}\n${LIVE_USAGE}` };
  }
}

if (require.main === module) {
  const root = process.cwd();
  const args = parseLiveArgs(process.argv.slice(2));
  if ('usage' in args) {
    console.log(args.usage);
  } else {
    const file = join(root, '.env');
    const env = effectiveEnv(process.env, existsSync(file) ? parseDotenv(readFileSync(file, 'utf8')) : undefined);
    void runLiveCheck({ ...args, root }, env, (line) => { console.log(line); }).then((code) => { process.exitCode = code; });
  }
}

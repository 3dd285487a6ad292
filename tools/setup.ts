/**
 * npm run setup -- --domain <service>.twil.io [--caller-name-lookup]
 * Points TWILIO_PHONE_NUMBER at the deployed functions: calls to /incoming-call, texts to /sms-reply,
 * both POST, a voice fallback (a static TwiML asset that apologises and records a message), and optionally
 * Twilio's caller-name lookup. Warns when a Messaging Service holding the number would take its texts away. Changes only what differs, so a second run changes nothing.
 * Without --domain it asks Twilio for the domain of the service the last `npm run deploy` created (.twiliodeployinfo).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Config, Env, readConfig } from '../src/config';
import { effectiveEnv, parseDotenv } from '../src/doctor';
import { failureOf, twilioClient, TwilioClient } from '../src/twilio-api';
import { deployedDomain, deployedService, messagingServiceProblems, normaliseDomain, planWiring, updateOf } from '../src/wiring';
import { messagingServicesOf } from '../src/account-facts';

export interface SetupOptions {
  domain?: string | undefined;
  callerNameLookup?: boolean | undefined;
  /** The contents of .twiliodeployinfo, when there is one. */
  deployInfo?: string | undefined;
}

type Print = (line: string) => void;

const EXAMPLE = 'npm run setup -- --domain pull-phone-1234-dev.twil.io';
export const USAGE = [
  'Usage: npm run setup -- --domain <domain> [--caller-name-lookup]',
  '  --domain              the Domain line `npm run deploy` printed, e.g. pull-phone-1234-dev.twil.io',
  '                        (optional after a deploy from this folder: it is looked up from .twiliodeployinfo)',
  '  --caller-name-lookup  also turn on Twilio\'s caller-name (CNAM) lookup on the number (billed per call)',
];

export async function runSetup(options: SetupOptions, env: Env, print: Print): Promise<number> {
  const result = readConfig(env);
  if (!result.ok) {
    print('Setup needs a valid configuration first. Fix these in .env (npm run doctor checks everything):');
    for (const p of result.problems) print(`  ${p.variable} ${p.message}`);
    return 1;
  }
  const { config } = result;
  const client = twilioClient(config);
  try {
    const domain = await resolveDomain(client, config, options, print);
    if (domain === undefined) return 1;
    return await wire(client, config, domain, options.callerNameLookup === true, print);
  } catch (error) {
    print(explainFailure(error, config));
    return 1;
  }
}

async function resolveDomain(client: TwilioClient, config: Config, options: SetupOptions, print: Print): Promise<string | undefined> {
  if (options.domain !== undefined) {
    const domain = normaliseDomain(options.domain);
    if (domain.ok) return domain.domain;
    print(domain.problem);
    return undefined;
  }
  const service = options.deployInfo === undefined ? undefined : deployedService(options.deployInfo, config.accountSid);
  if (service === undefined) {
    print('Which domain? Pass the Domain line that npm run deploy printed, e.g.:');
    print(`  ${EXAMPLE}`);
    print('(Run in the folder you deployed from, setup finds the domain by itself, from .twiliodeployinfo.)');
    return undefined;
  }
  const environments = await client.serverless.v1.services(service.serviceSid).environments.list({ limit: 50 });
  const domain = deployedDomain(environments.map((e) => ({ domainName: e.domainName, buildSid: e.buildSid })), service.latestBuild);
  if (domain === undefined) {
    print(`Service ${service.serviceSid} from .twiliodeployinfo has ${environments.length === 0 ? 'no environment' : 'several environments'}; say which with --domain:`);
    for (const e of environments) print(`  --domain ${e.domainName}`);
    return undefined;
  }
  print(`Domain of your last deploy (service ${service.serviceSid}): ${domain}`);
  return domain;
}

async function wire(client: TwilioClient, config: Config, domain: string, callerNameLookup: boolean, print: Print): Promise<number> {
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: config.twilioNumber, limit: 1 });
  if (number === undefined) {
    print(`TWILIO_PHONE_NUMBER ${config.twilioNumber} is not a phone number of account ${config.accountSid}.`);
    print('Check it in Console > Phone Numbers > Manage > Active numbers, and that ACCOUNT_SID is the account (or subaccount) that owns it.');
    return 1;
  }
  const [plan, services] = [planWiring(number, { domain, callerNameLookup }), await messagingServicesOf(client, config.twilioNumber)];
  const blockers = [...plan.blockers, ...messagingServiceProblems(services, domain)];
  print(`Wiring ${config.twilioNumber} (${number.sid}) to ${domain}:`);
  if (plan.changes.length === 0) {
    print('  nothing to change.');
  } else {
    await client.incomingPhoneNumbers(number.sid).update(updateOf(plan.changes));
    for (const c of plan.changes) print(`  ${c.label}: ${c.from} -> ${c.to}`);
    print(`  changed ${plan.changes.length} setting${plan.changes.length === 1 ? '' : 's'}.`);
  }
  if (blockers.length > 0) {
    print('Still to do before calls and texts reach Pull Phone:');
    for (const b of blockers) print(`  ${b}`);
    return 1;
  }
  print(`Done: calls and texts to ${config.twilioNumber} go to Pull Phone. Call it to try.`);
  return 0;
}

/** Twilio's status and code with what to do; never the Auth Token. */
function explainFailure(error: unknown, config: Config): string {
  const { status, code } = failureOf(error);
  if (status === 401) {
    return `Twilio refused ACCOUNT_SID ${config.accountSid} with this AUTH_TOKEN (HTTP 401${code === undefined ? '' : ` code ${String(code)}`}): copy both again from Console > Account Info.`;
  }
  if (status !== undefined) {
    const more = (error as { moreInfo?: unknown }).moreInfo;
    const detail = error instanceof Error && error.message !== '' ? `: ${error.message}` : '';
    return `Twilio answered HTTP ${String(status)}${code === undefined ? '' : ` code ${String(code)}`}${detail}${typeof more === 'string' ? ` (${more})` : ''}. Nothing was changed.`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not reach Twilio (${reason}). Check your connection and run setup again.`;
}

/** `--domain x`, a bare `x`, and what npm makes of a forgotten `--` (npm_config_domain). */
export function parseSetupArgs(argv: string[], env: Env): SetupOptions | { usage: string; exitCode: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { domain: { type: 'string' }, 'caller-name-lookup': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return { usage: `${error instanceof Error ? error.message : String(error)}\n${USAGE.join('\n')}`, exitCode: 1 };
  }
  if (parsed.values.help === true) return { usage: USAGE.join('\n'), exitCode: 0 };
  if (parsed.positionals.length > 1) return { usage: USAGE.join('\n'), exitCode: 1 };
  // `npm run setup --domain x` (no --) leaves npm_config_domain=true and x as an argument.
  const npmDomain = env.npm_config_domain;
  const domain = parsed.values.domain ?? parsed.positionals[0] ?? (npmDomain !== undefined && npmDomain !== 'true' ? npmDomain : undefined);
  return {
    domain,
    callerNameLookup: parsed.values['caller-name-lookup'] === true || env.npm_config_caller_name_lookup === 'true',
  };
}

async function main(): Promise<number> {
  const root = process.cwd();
  const options = parseSetupArgs(process.argv.slice(2), process.env);
  if ('usage' in options) {
    console.log(options.usage);
    return options.exitCode;
  }
  const read = (file: string): string | undefined => (existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
  const dotenvText = read('.env');
  const env = effectiveEnv(process.env, dotenvText === undefined ? undefined : parseDotenv(dotenvText));
  return runSetup({ ...options, deployInfo: read('.twiliodeployinfo') }, env, (line) => { console.log(line); });
}

if (require.main === module) {
  void main().then((code) => { process.exitCode = code; });
}

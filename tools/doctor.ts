/**
 * npm run doctor [-- --domain <domain>] [--offline] — check the configuration and the build before deploying,
 * and, when the credentials are there, the live Twilio account. Reads .env (as twilio-run deploy will) and the
 * shell's environment, shows the configuration as understood, and prints what to change.
 * Exit 1 when anything would break the deployed service.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAccount } from '../src/account';
import { domainOf, gatherAccount } from '../src/account-facts';
import { Config, Env, readConfig } from '../src/config';
import { describeConfig, diagnose, effectiveEnv, Finding, formatFindings, MUSIC_ASSET, parseDotenv, ProjectFacts, scheduleLine, wrap } from '../src/doctor';
import { describeFailure, failureOf, twilioClient } from '../src/twilio-api';

export function gatherFacts(root: string): ProjectFacts {
  const path = (...parts: string[]): string => join(root, ...parts);
  const dist = path('dist');
  return {
    dotenv: existsSync(path('.env')) ? parseDotenv(readFileSync(path('.env'), 'utf8')) : undefined,
    sources: listFiles(path('functions')).filter((f) => f.endsWith('.ts')),
    musicAsset: existsSync(path('assets', MUSIC_ASSET)),
    build: existsSync(dist)
      ? { functions: listFiles(join(dist, 'functions')).filter((f) => f.endsWith('.js')), musicAsset: existsSync(join(dist, 'assets', MUSIC_ASSET)) }
      : undefined,
    envTracked: git(root, ['ls-files', '--', '.env'], (status, out) => (status === 0 ? out.trim() !== '' : undefined)),
    // check-ignore: 0 ignored, 1 not ignored, anything else git could not tell.
    envIgnored: git(root, ['check-ignore', '-q', '--', '.env'], (status) => (status === 0 ? true : status === 1 ? false : undefined)),
    packageJson: readJson(path('package.json')),
    example: existsSync(path('.env.example')) ? parseDotenv(readFileSync(path('.env.example'), 'utf8')).values : undefined,
  };
}

export interface DoctorOptions {
  /** Also check the live Twilio account (the CLI does unless --offline). */
  live?: boolean;
  /** The deployment's domain; else looked up from .twiliodeployinfo. */
  domain?: string | undefined;
  /** Terminal width to wrap to. */
  width?: number;
  /** The moment the business hours are described at (epoch ms); now by default. */
  now?: number;
}

export async function runDoctor(root: string, shell: Env, print: (line: string) => void, options: DoctorOptions = {}): Promise<number> {
  const width = Math.max(60, Math.min(options.width ?? 100, 120));
  const facts = gatherFacts(root);
  const findings = diagnose(shell, facts);
  const result = readConfig(effectiveEnv(shell, facts.dotenv));
  const say = (text: string): void => { for (const line of wrap(text, width, '  ')) print(line); };
  say('Pull Phone doctor: .env, the build and package.json, then your Twilio account.');
  print('');
  if (result.ok) {
    print('Configuration as understood:');
    for (const line of describeConfig(result.config, width)) print(line);
  } else {
    say('Configuration: cannot be used until the errors below are fixed (callers would only reach voicemail).');
  }
  print('');
  say(scheduleLine(effectiveEnv(shell, facts.dotenv), options.now ?? Date.now()));
  print('');
  if (options.live === true && result.ok) {
    print('Twilio account: checking…');
    findings.push(...await liveFindings(root, result.config, options.domain));
  } else if (options.live === true) {
    say('Twilio account: not checked until the credentials and number are valid.');
  } else {
    print('Twilio account: not checked (--offline).');
  }
  print('');
  for (const line of formatFindings(findings, width)) print(line);
  return findings.some((f) => f.level === 'error') ? 1 : 0;
}

async function liveFindings(root: string, config: Config, domainOption: string | undefined): Promise<Finding[]> {
  const client = twilioClient(config);
  try {
    return checkAccount(config, await gatherAccount(client, config, await domainOf(root, client, config, domainOption)));
  } catch (error) {
    const { status } = failureOf(error);
    return [{
      level: 'error',
      subject: 'Twilio account',
      message: status === 401
        ? `refused ACCOUNT_SID and AUTH_TOKEN (${describeFailure(error)}): copy both again from Console > Account Info.`
        : `could not be checked (${describeFailure(error)}). Check your connection, or run npm run doctor -- --offline.`,
    }];
  }
}


function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function git<T>(cwd: string, args: string[], read: (status: number | null, out: string) => T | undefined): T | undefined {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.error !== undefined) return undefined;
  return read(result.status, result.stdout);
}

export const DOCTOR_USAGE = 'Usage: npm run doctor [-- --domain <domain>] [--offline]';

if (require.main === module) {
  let args;
  try {
    args = parseArgs({ options: { domain: { type: 'string' }, offline: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    console.log(wrap(`${error instanceof Error ? error.message : String(error)}\n${DOCTOR_USAGE}`, 100).join('\n'));
    process.exit(1);
  }
  if (args.help === true) {
    console.log(DOCTOR_USAGE);
  } else {
    void runDoctor(process.cwd(), process.env, (line) => { console.log(line); }, {
      live: args.offline !== true, domain: args.domain, width: process.stdout.columns,
    }).then((code) => { process.exitCode = code; });
  }
}

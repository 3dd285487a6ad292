/**
 * npm run doctor — check the configuration and the build before deploying.
 * Reads .env (as twilio-run deploy will) and the shell's environment, looks at the files
 * deploy depends on, and prints what to change. Exit 1 when anything would break the deployed service.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, effectiveEnv, formatFindings, MUSIC_ASSET, parseDotenv, ProjectFacts, scheduleLine } from '../src/doctor';
import { Env } from '../src/config';

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
  };
}

export function runDoctor(root: string, shell: Env, print: (line: string) => void, now = Date.now()): number {
  const facts = gatherFacts(root);
  const findings = diagnose(shell, facts);
  print('Pull Phone doctor: checking .env, the build and package.json before deploy.');
  print('');
  print(scheduleLine(effectiveEnv(shell, facts.dotenv), now));
  print('');
  for (const line of formatFindings(findings)) print(line);
  return findings.some((f) => f.level === 'error') ? 1 : 0;
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

if (require.main === module) {
  process.exitCode = runDoctor(process.cwd(), process.env, (line) => { console.log(line); });
}

/**
 * npm run live-check never calls, rings or texts anyone before printing its plan and getting --yes
 * (issue 13, item 6). Against the stand-in: without --yes not one REST request is made.
 */
import { TwilioStandIn } from '../../sim/standin';
import { parseLiveArgs, runLiveCheck } from '../../tools/live-check';
import { ENV, startTwilio } from '../support/harness';

let twilio: TwilioStandIn;
beforeAll(async () => { twilio = await startTwilio(); });
afterAll(async () => { await twilio.stop(); });
beforeEach(() => { twilio.resetLog(); });

async function live(args: string[], env: Record<string, string> = ENV): Promise<{ code: number; text: string }> {
  const parsed = parseLiveArgs(args);
  if ('usage' in parsed) throw new Error(parsed.usage);
  const out: string[] = [];
  const code = await runLiveCheck({ ...parsed, root: '/nonexistent' }, env, (line) => { out.push(line); });
  return { code, text: out.join('\n') };
}

it('without --yes: prints the plan, says who would be rung, and makes no request at all', async () => {
  const { code, text } = await live(['--member', 'ann', '--domain', 'pull-phone-1234-dev.twil.io']);
  expect(code).toBe(0);
  expect(text).toContain("RING Ann's MOBILE (+1•••••0001)");
  expect(text).toMatch(/Nothing was done\. Run again with --yes/);
  expect(twilio.requests).toEqual([]);
});

it('a member who is not on the team: refused before any plan or request', async () => {
  const { code, text } = await live(['--member', 'Zed', '--yes']);
  expect(code).toBe(1);
  expect(text).toMatch(/No member is called "Zed"\. Members: Ann, Bob\./);
  expect(twilio.requests).toEqual([]);
});

it('with --yes but no known domain: stops before placing any call', async () => {
  const { code, text } = await live(['--yes']);
  expect(code).toBe(1);
  expect(text).toMatch(/domain is unknown/);
  expect(twilio.requests.filter((r) => r.method === 'POST')).toEqual([]);
});

it('a broken configuration: sends the user to the doctor', async () => {
  const { code, text } = await live(['--yes'], { ...ENV, AUTH_TOKEN: '' });
  expect(code).toBe(1);
  expect(text).toMatch(/npm run doctor/);
});

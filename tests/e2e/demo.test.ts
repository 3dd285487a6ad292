// `npm run demo` on a fresh clone (after the build): it must show the voicemail notice as one SMS segment with
// its link, and say how to open the link locally. Run without a terminal, as CI does, it then stops by itself.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { isSingleSegment } from '../../src/sms-text';

const ROOT = join(__dirname, '..', '..');

it('the demo prints a one-segment voicemail notice with a link, and how to open it locally', async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'dist', 'tools', 'demo.js')], { cwd: ROOT, timeout: 60_000 }, (error, out) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: out });
    });
    child.stdin?.end();
  });
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  const heading = lines.findIndex((l) => /^Ann's voicemail notice, \d+ characters, one SMS segment/.test(l));
  expect(heading).toBeGreaterThan(0);
  const notice = lines[heading + 1]?.trim() ?? '';
  expect(isSingleSegment(notice)).toBe(true);
  const link = /http:\/\/localhost:\d+\/vm\?t=[\w-]{32}/.exec(notice)?.[0];
  expect(link).toBeDefined();
  expect(stdout).toContain(`Open Ann's in a browser on this machine:\n  ${link ?? ''}`);
  expect(stdout).toMatch(/run `npm run demo` in a terminal to keep the server up/);
  // The customer who texts: the forward reaches both members, Ann's answer reaches the customer.
  expect(stdout).toMatch(/Bob's phone gets a text: "Text T\d{4} from \+16175550101: "Hi, are you open Saturday\?" Reply R T\d{4} \+ answer\."/);
  expect(stdout).toMatch(/Jane \(a customer\)'s phone gets a text: "Yes, 9 to 5 on Saturday\. See you then!"/);
  expect(stdout).toContain("Done: Jane's text reached both members; Ann's answer reached Jane from the team's number, and Bob saw what Ann said.");
  // A missed call, then Ann calls back with the notice's CALL reference, from the team number.
  expect(stdout).toMatch(/Ann's phone gets a text: "Missed call: DANA, New York NY US, waited \d+s\. Call back \+12125550103: CALL (\d{4})"/);
  expect(stdout).toMatch(/Ann replies by text: "CALL \d{4}"/);
  expect(stdout).toMatch(/Dana \(the caller\)'s phone rings \(showing our number\)/);
  expect(stdout).toContain("Done: the missed-call notice said CALL and a reference; Ann's phone rang from the team number, she pressed 1, and Dana's phone showed the team number, not Ann's.");
}, 70_000);

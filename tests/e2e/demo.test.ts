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
}, 70_000);

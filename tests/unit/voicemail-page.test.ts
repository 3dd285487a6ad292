import { createHash } from 'node:crypto';
import { escapeHtml, formatTime, notFound, voicemailPage } from '../../src/voicemail-page';
import type { VoicemailRecord } from '../../src/store';

const RECORD: VoicemailRecord = {
  callSid: `CA${'1'.repeat(32)}`, recordingSid: `RE${'2'.repeat(32)}`, reference: '4821', name: 'Jane Doe', number: '+16175550101',
  place: 'Boston MA US', calledAt: '2026-01-05T14:00:00.000Z', recordedAt: '2026-01-05T14:02:05.000Z', seconds: 65, waitedSeconds: 125,
  opened: [{ name: 'Ann', at: '2026-01-05T14:10:00.000Z' }],
};
const TOKEN = 'Ab_-'.repeat(8);

it('shows who called, from where, when (in the team time zone), how long they waited and the message length', () => {
  const html = voicemailPage({ voicemail: { record: RECORD, transcript: 'Please call me back.' }, token: TOKEN, timeZone: 'America/New_York' }).body.toString();
  expect(html).toContain('<h1>Voicemail from Jane Doe</h1>');
  expect(html).toContain('<a href="tel:+16175550101">+16175550101</a>');
  expect(html).toContain('<dt>From</dt><dd>Boston MA US</dd><dt>Called</dt><dd>Mon, Jan 5, 2026, 9:00 AM EST</dd><dt>Waited</dt><dd>2m05s</dd><dt>Message</dt><dd>1m05s</dd>');
  expect(html).toContain(`<audio id="message" controls preload="metadata" src="/vm-audio?t=${TOKEN}"></audio>`);
  expect(html).toContain('<p id="transcript">Please call me back.</p>');
  expect(html).toContain('<ul id="opened"><li>Ann, Mon, Jan 5, 2026, 9:10 AM EST</li></ul>');
});

it('a withheld number: no tel: link, and no transcript yet says so', () => {
  const record: VoicemailRecord = { ...RECORD, place: '', opened: [] };
  delete record.name;
  delete record.number;
  const html = voicemailPage({ voicemail: { record, transcript: undefined }, token: TOKEN, timeZone: 'UTC' }).body.toString();
  expect(html).toContain('<h1>Voicemail</h1>');
  expect(html).toContain('Number withheld');
  expect(html).not.toContain('tel:');
  expect(html).toMatch(/<p id="transcript" class="muted">No transcript \(yet\)/);
});

it("the CSP allows exactly the page's own style block, and nothing else runs", () => {
  const page = voicemailPage({ voicemail: { record: RECORD, transcript: undefined }, token: TOKEN, timeZone: 'UTC' });
  const style = /<style>(.*?)<\/style>/s.exec(page.body.toString())?.[1] ?? '';
  const hash = createHash('sha256').update(style).digest('base64');
  expect(page.headers['Content-Security-Policy']).toContain(`style-src 'sha256-${hash}'`);
  expect(page.headers['Content-Security-Policy']).toMatch(/^default-src 'none';/);
  expect(page.body.toString()).not.toMatch(/<script|\son\w+=/i);
});

it('every miss is the same plain 404', () => {
  expect(notFound()).toEqual(notFound());
  expect(notFound()).toMatchObject({ status: 404, body: 'Not found\n' });
});

it('escapes everything HTML could act on', () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
});

it('an unreadable time does not break the page', () => {
  expect(formatTime('not a time', 'UTC')).toBe('unknown time');
});

/**
 * The voice fallback (issue 13, item 3): a static TwiML asset that apologises and records a message, deployed from
 * dist/assets (the build copies every asset but the .md files) and set on the number by npm run setup.
 * Twilio resolves a relative Record action against the document's own URL (twilio.com/docs/voice/twiml/record,
 * "action: relative or absolute URL"; error 15004 forbids it only in TwiML sent with a call update).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { twimlProblems } from '../../sim/twiml';
import { VOICE_FALLBACK_PATH } from '../../src/wiring';
import { find, parseTwiml, spoken, verbNames } from '../support/twiml';

const DOMAIN = 'https://pull-phone-1234-dev.twil.io';
const built = (path: string): string => join(__dirname, '..', '..', 'dist', 'assets', path.replace(/^\//, ''));

it('is in the build, apologises, records with an action that is another built asset, and never loops', () => {
  expect(existsSync(built(VOICE_FALLBACK_PATH))).toBe(true);
  const twiml = parseTwiml(readFileSync(built(VOICE_FALLBACK_PATH), 'utf8'));
  expect(verbNames(twiml)).toEqual(['Say', 'Record', 'Say']);
  expect(spoken(twiml)).toMatch(/Sorry/);
  const record = find(twiml, 'Record');
  // Without an action Twilio re-requests the current URL: the caller would record forever.
  expect(record.attrs.action).toBeDefined();
  expect(record.attrs.method).toBe('GET');
  const action = new URL(record.attrs.action ?? '', `${DOMAIN}${VOICE_FALLBACK_PATH}`);
  expect(action.origin).toBe(DOMAIN);
  expect(existsSync(built(action.pathname))).toBe(true);
  const done = parseTwiml(readFileSync(built(action.pathname), 'utf8'));
  expect(verbNames(done)).toEqual(['Say', 'Hangup']);
  // Valid call TwiML apart from the relative URL, which the simulator's own-functions rule does not expect.
  for (const document of [twiml, done]) {
    expect(twimlProblems(document, 'call', DOMAIN).filter((p) => !/relative/.test(p))).toEqual([]);
  }
});

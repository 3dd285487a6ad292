import { linkKey, makeToken, openToken, TOKEN_LENGTH, voicemailIdFor } from '../../src/voicemail-link';

const ANN = { name: 'Ann', number: '+15551230001' };
const BOB = { name: 'Bob', number: '+15551230002' };
const TEAM = [ANN, BOB];
const KEY = linkKey({ authToken: 'a'.repeat(32), linkSecret: undefined });
const NOW = Date.UTC(2026, 11, 3, 14, 0, 0);
const DAY = 86_400_000;
const ID = voicemailIdFor(KEY, `CA${'1'.repeat(32)}`);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

it('a token opens the voicemail it was made for, for the member it was made for', () => {
  const token = makeToken(KEY, ID, ANN, NOW + 30 * DAY);
  expect(token).toMatch(new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`));
  expect(openToken(KEY, token, TEAM, NOW)).toEqual({ voicemailId: ID, member: ANN, expiresAt: NOW + 30 * DAY });
});

it('each member gets a different token for the same voicemail, and each opens as that member', () => {
  const ann = makeToken(KEY, ID, ANN, NOW + DAY);
  const bob = makeToken(KEY, ID, BOB, NOW + DAY);
  expect(ann).not.toBe(bob);
  expect(openToken(KEY, bob, TEAM, NOW)?.member).toEqual(BOB);
});

it('every single-character alteration of a token opens nothing', () => {
  const token = makeToken(KEY, ID, ANN, NOW + DAY);
  let tried = 0;
  for (let i = 0; i < token.length; i += 1) {
    for (const c of ALPHABET) {
      if (c === token[i]) continue;
      const altered = `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
      expect({ altered, opened: openToken(KEY, altered, TEAM, NOW) }).toEqual({ altered, opened: undefined });
      tried += 1;
    }
  }
  expect(tried).toBe(TOKEN_LENGTH * 63);
});

it('a token stops working when it expires', () => {
  const token = makeToken(KEY, ID, ANN, NOW + 30 * DAY);
  expect(openToken(KEY, token, TEAM, NOW + 30 * DAY - 1000)).toBeDefined();
  expect(openToken(KEY, token, TEAM, NOW + 30 * DAY)).toBeUndefined();
  expect(openToken(KEY, token, TEAM, NOW + 31 * DAY)).toBeUndefined();
});

it("another member's token does not open as you, and a removed member's token opens nothing", () => {
  const bobs = makeToken(KEY, ID, BOB, NOW + DAY);
  expect(openToken(KEY, bobs, TEAM, NOW)?.member).not.toEqual(ANN);
  // Bob leaves the team: his links stop working, Ann's still work.
  expect(openToken(KEY, bobs, [ANN], NOW)).toBeUndefined();
  expect(openToken(KEY, makeToken(KEY, ID, ANN, NOW + DAY), [ANN], NOW)?.member).toEqual(ANN);
  // A new member with Bob's name but another number does not inherit his links.
  expect(openToken(KEY, bobs, [ANN, { name: 'Bob', number: '+15551239999' }], NOW)).toBeUndefined();
});

it("a token for one voicemail does not open another: the id is part of what the MAC covers", () => {
  const other = voicemailIdFor(KEY, `CA${'2'.repeat(32)}`);
  expect(other).not.toBe(ID);
  const token = makeToken(KEY, ID, ANN, NOW + DAY);
  const otherIdBytes = Buffer.from(other, 'base64url');
  const spliced = Buffer.concat([otherIdBytes, Buffer.from(token, 'base64url').subarray(otherIdBytes.length)]).toString('base64url');
  expect(openToken(KEY, spliced, TEAM, NOW)).toBeUndefined();
});

it('rotating LINK_SECRET (or the auth token it defaults to) revokes every link', () => {
  const token = makeToken(KEY, ID, ANN, NOW + DAY);
  expect(openToken(linkKey({ authToken: 'a'.repeat(32), linkSecret: 'a new link secret, 32 chars long' }), token, TEAM, NOW)).toBeUndefined();
  expect(openToken(linkKey({ authToken: 'b'.repeat(32), linkSecret: undefined }), token, TEAM, NOW)).toBeUndefined();
});

it.each([
  ['nothing', undefined], ['an empty string', ''], ['a number', 42], ['an array', ['x']], ['a short token', 'abc'],
  ['a long token', 'A'.repeat(TOKEN_LENGTH + 1)], ['padding', `${'A'.repeat(TOKEN_LENGTH - 2)}==`], ['markup', `<script>${'A'.repeat(24)}`],
])('%s opens nothing', (_what, token) => {
  expect(openToken(KEY, token, TEAM, NOW)).toBeUndefined();
});

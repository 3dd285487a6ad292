import { createHash } from 'node:crypto';
import { callReference } from '../../src/reference';

/** CallSid-shaped strings, deterministic so the test gives the same answer every run. */
function callSids(count: number, seed: string): string[] {
  return Array.from({ length: count }, (_, i) => `CA${createHash('md5').update(`${seed}-${i}`).digest('hex')}`);
}

describe('callReference', () => {
  it('is four digits', () => {
    for (const sid of callSids(200, 'shape')) expect(callReference(sid)).toMatch(/^\d{4}$/);
  });

  it('is the same every time for the same call', () => {
    const sid = 'CA0123456789abcdef0123456789abcdef';
    expect(new Set(Array.from({ length: 5 }, () => callReference(sid)))).toEqual(new Set([callReference(sid)]));
  });

  it('is 32-bit FNV-1a mod 10000, so every instance and every version agrees on it', () => {
    // Values computed independently; a change here re-labels callers already waiting during a deploy.
    expect(callReference('CA0123456789abcdef0123456789abcdef')).toBe('2601');
    expect(callReference('CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBe('8905');
    expect(callReference('CA00000000000000000000000000000000')).toBe('7737');
  });

  it('spreads random-looking CallSids over the references', () => {
    const references = new Set(callSids(1000, 'spread').map(callReference));
    expect(references.size).toBeGreaterThan(900);
  });

  it('spreads CallSids that differ only in the last character', () => {
    const sids = '0123456789abcdef'.split('').map((c) => `CA0123456789abcdef0123456789abcde${c}`);
    expect(new Set(sids.map(callReference)).size).toBe(sids.length);
  });
});

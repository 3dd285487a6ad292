import { cleanLabel, clip, fit, isSingleSegment, SEGMENT_LENGTH, toGsm7 } from '../../src/sms-text';

describe('toGsm7', () => {
  it.each([
    ['curly quotes', '‘Hi’ “there”', '\'Hi\' "there"'],
    ['dashes', 'a–b—c', 'a-b-c'],
    ['ellipsis', 'wait…', 'wait...'],
    ['accents without a GSM-7 form', 'Łódź Ångström Čapek José Müller çà', 'odz Ångström Capek José Müller cà'],
    ['brackets and other escape-table characters', '[a] {b} ~c| ^d \\e', '(a) (b) -c/ \'d /e'],
    ['the euro sign', '5€', '5EUR'],
    ['non-breaking space and tab', 'a\u00a0b\tc', 'a b c'],
    ['emoji, including joined and flagged ones', 'Hi 👋🏽 👨‍👩‍👧 🇬🇧!', 'Hi   !'],
    ['other scripts', 'Ann 王小明', 'Ann '],
    ['GSM-7 text as it is', 'Ann @ £5 $ ¥ ÆØÅ æøå ß É Δ_Φ ¿¡ §', 'Ann @ £5 $ ¥ ÆØÅ æøå ß É Δ_Φ ¿¡ §'],
  ])('maps %s', (_, input, expected) => {
    const out = toGsm7(input);
    expect(out).toBe(expected);
    expect(isSingleSegment(out)).toBe(true);
  });
});

describe('clip', () => {
  it('leaves text that fits alone', () => {
    expect(clip('Ann Smith', 9)).toBe('Ann Smith');
  });

  it('shortens to exactly the limit, marking the cut', () => {
    expect(clip('Alexandra Smith', 10)).toBe('Alexand...');
    expect(clip('Alexandra Smith', 10)).toHaveLength(10);
  });

  it('does not leave a space before the mark', () => {
    expect(clip('Ann Smithson', 7)).toBe('Ann...');
  });

  it('never exceeds a tiny limit', () => {
    expect(clip('Alexandra', 2)).toBe('Al');
    expect(clip('Alexandra', 0)).toBe('');
  });
});

describe('cleanLabel', () => {
  it('makes caller-supplied text one bounded GSM-7 line', () => {
    const label = cleanLabel('  José\r\n“Pepe”\t\u0007Núñez 😀  ', 40);
    expect(label).toBe('José "Pepe" Nuñez');
    expect(cleanLabel('x'.repeat(100), 40)).toHaveLength(40);
  });
});

describe('fit', () => {
  const fixed = '. Reply Y 1234 to take, N 1234 for voicemail.';

  it('keeps short text whole', () => {
    expect(fit('Call from Ann', fixed)).toBe(`Call from Ann${fixed}`);
  });

  it('shortens only the flexible part and keeps the fixed part intact', () => {
    const text = fit(`Call from ${'Alexandra '.repeat(30)}`, fixed);
    expect(text.endsWith(fixed)).toBe(true);
    expect(text.startsWith('Call from Alexandra')).toBe(true);
    expect(text).toHaveLength(SEGMENT_LENGTH);
    expect(isSingleSegment(text)).toBe(true);
  });

  it('stays within one segment when the flexible part is unicode that maps to longer GSM-7', () => {
    // '…' becomes '...' and '€' becomes 'EUR': measuring before mapping would overflow.
    for (const flexible of ['…'.repeat(150), '€'.repeat(150), `Call from ${'Zoë “Z” … '.repeat(30)}`]) {
      const text = fit(flexible, fixed);
      expect(text.length).toBeLessThanOrEqual(SEGMENT_LENGTH);
      expect(text.endsWith(fixed)).toBe(true);
      expect(isSingleSegment(text)).toBe(true);
    }
  });

  it('maps the fixed part too, keeping it whole', () => {
    expect(fit('x'.repeat(200), ' – done…')).toMatch(/^x+\.\.\. - done\.\.\.$/);
    expect(fit('x'.repeat(200), ' – done…')).toHaveLength(SEGMENT_LENGTH);
  });

  it('honours a larger limit', () => {
    const text = fit('y'.repeat(400), ' end', 306);
    expect(text).toHaveLength(306);
    expect(text.endsWith('... end')).toBe(true);
  });
});

describe('isSingleSegment', () => {
  it('accepts 160 GSM-7 characters', () => {
    expect(isSingleSegment('a'.repeat(160))).toBe(true);
    expect(isSingleSegment('')).toBe(true);
  });

  it('rejects 161 characters', () => {
    expect(isSingleSegment('a'.repeat(161))).toBe(false);
  });

  it.each(['Hi 😀', 'It’s', 'a[b]', '5€', 'Ann 王'])('rejects %j, which would not be sent as GSM-7', (text) => {
    expect(isSingleSegment(text)).toBe(false);
  });
});

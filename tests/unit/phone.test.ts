import { isWithheld, maskNumber, toE164 } from '../../src/phone';

describe('toE164', () => {
  it.each([
    ['+15551230001', '+15551230001'],
    ['+1 555 123 0001', '+15551230001'],
    ['+1-555-123-0001', '+15551230001'],
    ['+1 (555) 123-0001', '+15551230001'],
    ['+1.555.123.0001', '+15551230001'],
    ['  +44 20 7946 0000 ', '+442079460000'],
    ['0044 20 7946 0000', '+442079460000'],
    ['001/555/123/0001', '+15551230001'],
  ])('normalises %j to %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each([
    undefined,
    '',
    '5551230001', // no country: never guessed
    '(555) 123-0001',
    '+1555123', // too short
    '+1234567890123456', // too long
    '+05551230001', // no country code starts with 0
    'anonymous',
    'Anonymous',
    'restricted',
    'client:alice',
    '+1555CALLNOW',
    '+15551230001 ext 2',
    '+266696687', // ANONYMOUS on a keypad: Twilio's From for a withheld caller ID
    '+7378742833', // RESTRICTED
    '+86282452253', // UNAVAILABLE
    '+8656696', // UNKNOWN
    '+2562533', // BLOCKED
  ])('rejects %j', (raw) => {
    expect(toE164(raw)).toBeNull();
  });
});

describe('isWithheld', () => {
  it('is true for the ways Twilio says a number was withheld', () => {
    for (const from of [undefined, '', 'anonymous', 'Restricted', '+266696687', '+7378742833', '+86282452253']) {
      expect(isWithheld(from)).toBe(true);
    }
  });

  it('is false for a real number', () => {
    expect(isWithheld('+15551230001')).toBe(false);
  });
});

describe('maskNumber', () => {
  it('shows only the last four digits', () => {
    const masked = maskNumber('+15551239876');
    expect(masked).toBe('…9876');
    expect(masked).not.toContain('555');
    expect(maskNumber('+1 (555) 123-9876')).toBe('…9876');
  });

  it('says when there is no number', () => {
    expect(maskNumber(undefined)).toBe('(no number)');
    expect(maskNumber('anonymous')).toBe('(no number)');
    expect(maskNumber('+123')).toBe('(no number)');
  });
});

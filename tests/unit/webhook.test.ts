import { numberParam, param, sidParam } from '../../src/webhook';

describe('param', () => {
  it('reads a string', () => {
    expect(param({ From: '+15551230001' }, 'From')).toBe('+15551230001');
    expect(param({ Body: '' }, 'Body')).toBe('');
  });

  it('takes the first of a repeated parameter', () => {
    expect(param({ From: ['+15551230001', '+15551230002'] }, 'From')).toBe('+15551230001');
  });

  it.each([
    ['absent', {}],
    ['a number', { X: 5 }],
    ['an object', { X: { toString: () => 'sneaky' } }],
    ['null', { X: null }],
    ['an empty array', { X: [] }],
    ['an array of non-strings', { X: [1, 2] }],
  ])('is undefined when the value is %s', (_, event) => {
    expect(param(event, 'X')).toBeUndefined();
  });

  it('bounds the length of what it returns', () => {
    const long = 'a'.repeat(100_000);
    const value = param({ Body: long }, 'Body');
    expect(value?.length).toBeLessThanOrEqual(2000);
    expect(value?.length).toBeGreaterThanOrEqual(1600);
    expect(long.startsWith(value ?? 'no')).toBe(true);
  });
});

describe('numberParam', () => {
  it('reads numbers', () => {
    expect(numberParam({ QueueTime: '42' }, 'QueueTime')).toBe(42);
    expect(numberParam({ QueueTime: ['7', '8'] }, 'QueueTime')).toBe(7);
  });

  it.each([[{}], [{ N: '' }], [{ N: '  ' }], [{ N: 'abc' }], [{ N: 'Infinity' }], [{ N: 3 }]])('is undefined for %j', (event) => {
    expect(numberParam(event, 'N')).toBeUndefined();
  });
});

describe('sidParam', () => {
  const sid = 'CA0123456789abcdef0123456789abcdef';

  it('accepts a well-formed SID with the expected prefix', () => {
    expect(sidParam({ CallSid: sid }, 'CallSid', 'CA')).toBe(sid);
    expect(sidParam({ CallSid: [sid, 'CAother'] }, 'CallSid', 'CA')).toBe(sid);
  });

  it.each([
    ['the wrong prefix', sid.replace('CA', 'SM')],
    ['too short', sid.slice(0, -1)],
    ['too long', `${sid}0`],
    ['uppercase hex', sid.toUpperCase()],
    ['a trailing newline', `${sid}\n`],
    ['an injected suffix', `${sid}&x=1`],
    ['empty', ''],
  ])('rejects %s', (_, value) => {
    expect(sidParam({ CallSid: value }, 'CallSid', 'CA')).toBeUndefined();
  });

  it('rejects a missing or non-string SID', () => {
    expect(sidParam({}, 'CallSid', 'CA')).toBeUndefined();
    expect(sidParam({ CallSid: 12 }, 'CallSid', 'CA')).toBeUndefined();
  });
});

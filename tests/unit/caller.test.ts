import { describeCaller, placeOf, usableName } from '../../src/caller';

describe('usableName', () => {
  const number = '+15551230001';

  it('keeps a real name', () => {
    expect(usableName('SMITH ANN', number)).toBe('SMITH ANN');
    expect(usableName('  José Núñez  ', number)).toBe('José Nuñez');
  });

  it('returns undefined when there is no name', () => {
    expect(usableName(undefined, number)).toBeUndefined();
    expect(usableName('', number)).toBeUndefined();
    expect(usableName('   ', number)).toBeUndefined();
  });

  it.each(['WIRELESS CALLER', 'wireless caller', 'UNKNOWN', 'Unknown Name', 'UNAVAILABLE', 'Anonymous', 'PRIVATE', 'RESTRICTED'])(
    'treats the carrier placeholder %j as no name',
    (raw) => {
      expect(usableName(raw, number)).toBeUndefined();
    },
  );

  it.each(['+15551230001', '+1 (555) 123-0001', '15551230001', '(555) 123-0001', '555-123-0001', '+442079460000'])(
    'treats a number (%j) as no name',
    (raw) => {
      expect(usableName(raw, number)).toBeUndefined();
      expect(usableName(raw, undefined)).toBeUndefined();
    },
  );

  it('treats a name of only emoji or unmappable script as no name', () => {
    expect(usableName('😀😀', number)).toBeUndefined();
    expect(usableName('王小明', number)).toBeUndefined();
  });

  it('cleans control characters and line breaks out of a name', () => {
    const name = usableName('ANN\r\nSMITH\u0007\u001b[31m\t JR', number);
    expect(name).toBe('ANN SMITH(31m JR');
    expect(name).not.toMatch(/\p{Cc}/u);
  });

  it('bounds a long name', () => {
    expect(usableName('A'.repeat(300), number)?.length).toBeLessThanOrEqual(40);
  });
});

describe('placeOf', () => {
  it('joins city, state and country', () => {
    expect(placeOf('BOSTON', 'MA', 'US')).toBe('BOSTON MA US');
  });

  it('skips parts Twilio did not send', () => {
    expect(placeOf(undefined, '', 'GB')).toBe('GB');
    expect(placeOf('  ', undefined, undefined)).toBe('');
  });

  it('cleans and bounds what Twilio sent', () => {
    expect(placeOf('SÃO PAULO\n', 'SP', 'BR')).toBe('SAO PAULO SP BR');
    expect(placeOf('X'.repeat(100), 'YY', 'ZZ').length).toBeLessThanOrEqual(40);
  });
});

describe('describeCaller', () => {
  it('prefers the name, then the number', () => {
    expect(describeCaller({ name: 'Ann', number: '+15551230001' })).toBe('Ann');
    expect(describeCaller({ number: '+15551230001' })).toBe('+15551230001');
    expect(describeCaller({})).toBe('an unknown number');
  });
});

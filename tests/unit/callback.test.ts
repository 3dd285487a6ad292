import { dialOutcome, memberPhoneUnreached, referenceCandidates, spokenLabel, textableNumber } from '../../src/callback';
import type { Owed } from '../../src/callback-store';
import { callbackLabel, callBackHow, callbackTexts } from '../../src/callback-text';
import { parseCommand } from '../../src/commands';
import { DEFAULT_KEYWORDS, Keywords } from '../../src/config';
import { notices } from '../../src/messages';
import { callReference } from '../../src/reference';
import { isSingleSegment } from '../../src/sms-text';

const LONG: Keywords = { ...DEFAULT_KEYWORDS, call: ['CALLTHEMBACK'] };
const ANN = { name: 'Ann', number: '+15551230001' };
const LONG_NAME = { name: 'Maximilian-Alexander Featherstonehaugh-Cholmondeley', number: '+15551230002' };

describe('CALL parsing', () => {
  it.each([
    ['CALL 0101', { kind: 'call', target: { kind: 'reference', reference: '0101' } }],
    ['call 101', { kind: 'call', target: { kind: 'reference', reference: '0101' } }],
    [' Call: 7 ', { kind: 'call', target: { kind: 'reference', reference: '0007' } }],
    ['CALL +1 (512) 555-0101', { kind: 'call', target: { kind: 'number', number: '+15125550101' } }],
    ['call 0044 20 7946 0000', { kind: 'call', target: { kind: 'number', number: '+442079460000' } }],
    ['CALL', { kind: 'call', target: { kind: 'missing' } }],
  ])('%j means %j', (body, expected) => {
    expect(parseCommand(body, DEFAULT_KEYWORDS)).toEqual(expected);
  });

  it.each([
    ['a national number', 'CALL 512 555 0101', /full international form/],
    ['a short code', 'CALL 55555', /full international form/],
    ['words', 'CALL mum', /full international form/],
    ['a withheld placeholder', 'CALL +266696687', /full international form/],
    ['a US premium line', 'CALL +19005550101', /premium/],
    ['a US 976 line', 'CALL +19765550101', /premium/],
    ['a UK premium line', 'CALL +449012345678', /premium/],
    ['a UK 087 line', 'CALL +448712345678', /premium/],
  ])('refuses %s', (_what, body, why) => {
    const command = parseCommand(body, DEFAULT_KEYWORDS);
    expect(command.kind === 'call' && command.target.kind === 'refused' ? command.target.why : undefined).toMatch(why);
  });

  it('uses the configured keyword, and CALL is then just not understood', () => {
    expect(parseCommand('RING 0101', { ...DEFAULT_KEYWORDS, call: ['RING'] })).toEqual({ kind: 'call', target: { kind: 'reference', reference: '0101' } });
    expect(parseCommand('CALL 0101', { ...DEFAULT_KEYWORDS, call: ['RING'] })).toEqual({ kind: 'unknown' });
  });

  it('keeps Y and N with references as they were', () => {
    expect(parseCommand('Y 0101', DEFAULT_KEYWORDS)).toEqual({ kind: 'accept', reference: '0101' });
  });
});

describe('lasting references', () => {
  it('tries the caller\'s own waiting reference first, then distinct others, the same for every invocation', () => {
    const sid = `CA${'3'.repeat(32)}`;
    const candidates = referenceCandidates(sid);
    expect(candidates[0]).toBe(callReference(sid));
    expect(new Set(candidates).size).toBe(candidates.length);
    expect(candidates.length).toBeGreaterThanOrEqual(10);
    expect(candidates.every((c) => /^\d{4}$/.test(c))).toBe(true);
    expect(referenceCandidates(sid)).toEqual(candidates);
  });
});

describe('who MISSED_CALL_TEXT may go to', () => {
  it.each([['anonymous'], ['+266696687'], [''], [undefined], ['+19005550101'], ['12345']])('never %j', (number) => {
    expect(textableNumber(number)).toBeUndefined();
  });
  it('a real number', () => {
    expect(textableNumber('+15125550101')).toBe('+15125550101');
  });
});

describe('how an attempt ended', () => {
  it.each([
    ['completed', 'true', 30, 'reached'],
    ['completed', undefined, 30, 'reached'],
    ['completed', 'false', 30, 'no answer'],
    ['completed', undefined, 0, 'no answer'],
    ['no-answer', undefined, 0, 'no answer'],
    ['busy', undefined, 0, 'customer busy'],
    ['failed', undefined, 0, 'dial failed'],
    ['canceled', undefined, 0, 'no answer'],
  ] as const)('DialCallStatus %s, DialBridged %s, %d s: %s', (status, bridged, seconds, expected) => {
    expect(dialOutcome(status, bridged, seconds)).toBe(expected);
  });

  it('reads the member\'s own phone from its final CallStatus', () => {
    expect(memberPhoneUnreached('busy')).toBe('busy');
    expect(memberPhoneUnreached('no-answer')).toBe('not answered');
    expect(memberPhoneUnreached('failed')).toBe('call failed');
    expect(memberPhoneUnreached('completed')).toBeUndefined();
  });

  it('reads references and numbers digit by digit', () => {
    expect(spokenLabel('JANE (0101)')).toBe('JANE (0 1 0 1)');
    expect(spokenLabel('+15125550101')).toBe('plus 1 5 1 2 5 5 5 0 1 0 1');
  });
});

describe('callback texts stay one segment', () => {
  const label = callbackLabel(LONG_NAME, '0101');
  const owed = (n: number, by?: string): Owed[] => Array.from({ length: n }, (_, i) => ({
    record: { callSid: `CA${i}`, reference: String(1000 + i), kind: 'missed', number: `+1512555${String(i).padStart(4, '0')}`, at: i, ...(i % 2 === 0 ? { name: LONG_NAME.name } : {}) },
    by,
  }));

  it.each([
    ['calling', callbackTexts.calling(label)],
    ['how to', callbackTexts.howTo(LONG)],
    ['refused', callbackTexts.refused('a number must be in full international form, like +15125550101')],
    ['unknown reference', callbackTexts.unknownReference('0101', LONG)],
    ['already called back', callbackTexts.alreadyCalledBack('Maximilian-Alexander', label, LONG, '+15125550101')],
    ['already calling', callbackTexts.alreadyCalling('Maximilian-Alexander', label)],
    ['could not reach', callbackTexts.couldNotReach({ name: 'Maximilian-Alexander', number: '+15551230009' }, label, 'did not press 1', callBackHow(LONG, '0101'))],
    ['owed, one', callbackTexts.owed(owed(1, 'Ann'), false) ?? ''],
    ['owed, forty', callbackTexts.owed(owed(40, 'Maximilian-Alexander'), true) ?? ''],
  ])('%s', (_what, text) => {
    expect(isSingleSegment(text)).toBe(true);
  });

  it('keeps the reference to call again whole when the name gives way', () => {
    const text = callbackTexts.couldNotReach(ANN, label, 'no answer', callBackHow(LONG, '0101'));
    expect(text).toMatch(/^Ann could not reach .*\(no answer\)\. Anyone can try: CALLTHEMBACK 0101$/);
  });

  it('lists callbacks owed oldest first with who is on each, and counts the rest', () => {
    const text = callbackTexts.owed(owed(3, undefined).map((o, i) => ({ ...o, by: i === 1 ? 'Bob' : undefined })), false);
    expect(text).toBe('Callbacks owed 3: 1000 Maximilian-...; 1001 +15125550001 (Bob calling); 1002 Maximilian-....');
    expect(callbackTexts.owed([], false)).toBeUndefined();
    expect(callbackTexts.owed(owed(40), false)).toMatch(/ \+\d+ more\.$/);
  });

  it.each([
    ['missed', notices.missed({ ...LONG_NAME, place: 'Llanfairpwllgwyngyll Gwynedd GB', reference: '0101' }, 754, callBackHow(LONG, '0101'))],
    ['callback', notices.callback({ ...LONG_NAME, place: 'Llanfairpwllgwyngyll Gwynedd GB', reference: '0101' }, 754, callBackHow(LONG, '0101'))],
    ['voicemail lost', notices.voicemailLost({ ...LONG_NAME, place: 'Boston MA US', reference: '0101' }, callBackHow(LONG, '0101'))],
    ['voicemail without page', notices.voicemailWithoutPage({ ...LONG_NAME, place: 'Boston MA US', reference: '0101' }, 95, callBackHow(LONG, '0101'))],
    ['voicemail', notices.voicemail(LONG_NAME, 95, `https://pull-phone-1234-dev.twil.io/vm?t=${'x'.repeat(43)}`, callBackHow(LONG, '0101'))],
  ])('the %s notice says how to call back, within one segment', (_what, text) => {
    expect(text).toContain('CALLTHEMBACK 0101');
    expect(isSingleSegment(text)).toBe(true);
  });
});

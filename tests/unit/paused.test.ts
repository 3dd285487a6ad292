import { carryPaused, isOurVoiceUrl, memberTag, pausedFrom, withPaused } from '../../src/paused';

const TEAM = [{ name: 'Ann', number: '+15551230001' }, { name: 'Bob', number: '+15551230002' }, { name: 'Cara', number: '+15551230003' }];
const BASE = 'https://pull-phone-1234-dev.twil.io/incoming-call';

describe('who paused, carried in the voice URL', () => {
  it('round-trips: the members written into the URL are the members read back, and no number appears in it', () => {
    const url = withPaused(BASE, [TEAM[2]?.number ?? '', TEAM[0]?.number ?? '']);
    expect(url).not.toMatch(/555123/);
    expect(pausedFrom(new URL(url).searchParams.get('paused') ?? undefined, TEAM)).toEqual(new Set([TEAM[0]?.number, TEAM[2]?.number]));
  });

  it('the order of pausing does not change the URL, and nobody paused means no parameter at all', () => {
    expect(withPaused(BASE, ['+15551230002', '+15551230001'])).toBe(withPaused(BASE, ['+15551230001', '+15551230002']));
    expect(withPaused(`${BASE}?paused=${memberTag('+15551230001')}`, [])).toBe(BASE);
  });

  it('keeps the rest of the URL', () => {
    expect(withPaused(`${BASE}?x=1`, ['+15551230001'])).toBe(`${BASE}?x=1&paused=${memberTag('+15551230001')}`);
  });

  it('an absent, empty or garbled parameter pauses nobody', () => {
    for (const value of [undefined, '', 'zz', memberTag('+19995550000')]) expect(pausedFrom(value, TEAM)).toEqual(new Set());
  });

  it('only our own /incoming-call is rewritten', () => {
    expect(isOurVoiceUrl(`${BASE}?paused=ab`, '/incoming-call')).toBe(true);
    expect(isOurVoiceUrl('https://webhooks.twilio.com/v1/Accounts/AC1/Flows/FW1', '/incoming-call')).toBe(false);
    expect(isOurVoiceUrl(null, '/incoming-call')).toBe(false);
    expect(isOurVoiceUrl('not a url', '/incoming-call')).toBe(false);
  });

  it('setup keeps who paused when it rewires the number', () => {
    const paused = withPaused(BASE, ['+15551230001']);
    expect(carryPaused(paused, 'https://new-domain.twil.io/incoming-call')).toBe(`https://new-domain.twil.io/incoming-call?paused=${memberTag('+15551230001')}`);
    expect(carryPaused(BASE, 'https://new-domain.twil.io/incoming-call')).toBe('https://new-domain.twil.io/incoming-call');
    expect(carryPaused(undefined, BASE)).toBe(BASE);
  });
});

import { DEFAULT_PROMPTS, Prompts } from '../../src/config';
import { HOLD_KEYS, HOLD_MUSIC, holdLoop, HoldInput } from '../../src/hold';
import { stepUrl } from '../../src/urls';
import { find, findAll, parseTwiml, Verb, verbNames } from '../support/twiml';

const DOMAIN = 'pull-phone-1234-dev.twil.io';

function loop(overrides: Partial<HoldInput> = {}, domain = DOMAIN): Verb {
  return parseTwiml(holdLoop({
    queueTime: 0,
    position: 1,
    maxWaitSeconds: 120,
    prompts: DEFAULT_PROMPTS,
    url: (path, query) => stepUrl(domain, path, query),
    ...overrides,
  }).toString());
}

function gatherOf(response: Verb): Verb {
  expect(verbNames(response)).toEqual(['Gather']);
  return find(response, 'Gather');
}

const says = (node: Verb): string[] => findAll(node, 'Say').map((say) => say.text);

describe('holdLoop', () => {
  describe('the first loop', () => {
    it('listens for one key, posting it to /hold-key at an absolute URL', () => {
      const gather = gatherOf(loop());
      expect(gather.attrs).toMatchObject({
        action: `https://${DOMAIN}/hold-key`,
        method: 'POST',
        numDigits: '1',
        actionOnEmptyResult: 'false',
      });
      expect(Number(gather.attrs.timeout)).toBeGreaterThan(0);
    });

    it('greets, gives the options, then plays the hold music, all interruptible by a key', () => {
      const gather = gatherOf(loop());
      expect(verbNames(gather)).toEqual(['Say', 'Say', 'Play']);
      expect(says(gather)).toEqual([DEFAULT_PROMPTS.greeting, DEFAULT_PROMPTS.holdOptions]);
      expect(find(gather, 'Play').text).toBe(`https://${DOMAIN}${HOLD_MUSIC}`);
    });

    it('offers the keys /hold-key acts on', () => {
      expect(DEFAULT_PROMPTS.holdOptions).toContain(`Press ${HOLD_KEYS.voicemail}`);
      expect(DEFAULT_PROMPTS.holdOptions).toContain(`or ${HOLD_KEYS.callback}`);
    });
  });

  describe('a later loop', () => {
    it('does not greet again, and tells a caller further back their place in line', () => {
      const gather = gatherOf(loop({ queueTime: 45, position: 3 }));
      expect(verbNames(gather)).toEqual(['Say', 'Say', 'Play']);
      expect(says(gather)).toEqual(['You are caller 3 in line.', DEFAULT_PROMPTS.holdOptions]);
      expect(find(gather, 'Play').text).toBe(`https://${DOMAIN}${HOLD_MUSIC}`);
    });

    it.each([1, undefined])('says nothing about position %p', (position) => {
      const gather = gatherOf(loop({ queueTime: 45, position }));
      expect(says(gather)).toEqual([DEFAULT_PROMPTS.holdOptions]);
      expect(verbNames(gather)).toEqual(['Say', 'Play']);
    });

    it.each([2.5, 1e30, -3])('never reads out a position Twilio would not send (%p)', (position) => {
      const gather = gatherOf(loop({ queueTime: 45, position }));
      expect(says(gather)).toEqual([DEFAULT_PROMPTS.holdOptions]);
    });

    it('keeps listening just before the maximum wait', () => {
      gatherOf(loop({ queueTime: 119, position: 1 }));
    });
  });

  describe('at the maximum wait', () => {
    it.each([120, 121, 4000])('after %d seconds apologises and leaves the queue, with nothing to press', (queueTime) => {
      const response = loop({ queueTime });
      expect(verbNames(response)).toEqual(['Say', 'Leave']);
      expect(says(response)).toEqual([DEFAULT_PROMPTS.maxWait]);
      expect(findAll(response, 'Gather')).toEqual([]);
      expect(findAll(response, 'Play')).toEqual([]);
    });

    it('honours a configured maximum', () => {
      expect(verbNames(loop({ queueTime: 30, maxWaitSeconds: 30 }))).toEqual(['Say', 'Leave']);
      expect(verbNames(loop({ queueTime: 30, maxWaitSeconds: 31 }))).toEqual(['Gather']);
    });
  });

  it('speaks configured prompts exactly, however they are punctuated', () => {
    const prompts: Prompts = { ...DEFAULT_PROMPTS, greeting: 'Welcome to Tom & Jerry\'s <Cheese> "Shop".', holdOptions: 'Press 1 & wait.' };
    const gather = gatherOf(loop({ prompts }));
    expect(says(gather)).toEqual([prompts.greeting, prompts.holdOptions]);
  });

  it('plays the music over plain http when running locally', () => {
    const gather = gatherOf(loop({}, 'localhost:3000'));
    expect(find(gather, 'Play').text).toBe('http://localhost:3000/hold-music.wav');
    expect(gather.attrs.action).toBe('http://localhost:3000/hold-key');
  });
});

/** Ring-all escalation's rules (src/ring.ts) and its setting (RING_TEAM_AFTER_SECONDS in config.ts). */
import { readConfig } from '../../src/config';
import { callerWaitVerdict, conferenceName, escalates, memberLeft, membersToRing, RING_WAIT_LIMIT_SECONDS, ringWords } from '../../src/ring';
import { describeConfig } from '../../src/doctor';

const ANN = { name: 'Ann', number: '+15551230001' };
const BOB = { name: 'Bob', number: '+15551230002' };
const CARA = { name: 'Cara', number: '+15551230003' };

const env = (extra: Record<string, string>): Record<string, string> => ({
  ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`, AUTH_TOKEN: 'fedcba9876543210'.repeat(2), TWILIO_PHONE_NUMBER: '+15551230000',
  TEAM_MEMBERS: 'Ann:+15551230001,Bob:+15551230002', ...extra,
});

describe('when a waiting caller escalates', () => {
  it('never when RING_TEAM_AFTER_SECONDS is unset', () => {
    expect(escalates(0, undefined, 120)).toBe(false);
    expect(escalates(119, undefined, 120)).toBe(false);
  });

  it('from the first hold loop at or after the setting, as Twilio measures the wait (QueueTime)', () => {
    expect(escalates(59, 60, 120)).toBe(false);
    expect(escalates(60, 60, 120)).toBe(true);
    expect(escalates(95, 60, 120)).toBe(true);
    expect(escalates(0, 0, 120)).toBe(true);
  });

  it('not at the maximum wait: the caller leaves for voicemail instead', () => {
    expect(escalates(120, 60, 120)).toBe(false);
    expect(escalates(300, 60, 120)).toBe(false);
  });
});

describe('who is rung', () => {
  it('every member who has not paused, in the team order; nobody when all paused', () => {
    expect(membersToRing([ANN, BOB, CARA], new Set([BOB.number]))).toEqual([ANN, CARA]);
    expect(membersToRing([ANN, BOB], new Set())).toEqual([ANN, BOB]);
    expect(membersToRing([ANN], new Set([ANN.number]))).toEqual([]);
  });

  it('one conference per caller, named after the caller\'s own call', () => {
    expect(conferenceName(`CA${'a'.repeat(32)}`)).toBe(`pull-CA${'a'.repeat(32)}`);
  });
});

describe('what a rung member hears', () => {
  it('who is waiting, from where, the reference digit by digit, and the key', () => {
    expect(ringWords.prompt({ name: 'JANE', number: '+16175550101', place: 'Boston MA', reference: '0101' }))
      .toBe('Pull Phone: JANE from Boston MA is still waiting, reference 0 1 0 1. Press 1 to be connected at once.');
    expect(ringWords.prompt({ number: '+16175550101', place: '', reference: '0101' })).toMatch(/^Pull Phone: \+16175550101 is still waiting/);
  });

  it('who took the caller, or that they did themselves', () => {
    expect(ringWords.takenBy('Bob', false)).toBe('Thank you. Bob has already taken this caller. Goodbye.');
    expect(ringWords.takenBy('Ann', true)).toBe('You have already taken this caller. Goodbye.');
  });
});

describe('RING_TEAM_AFTER_SECONDS', () => {
  const read = (value: string | undefined) => {
    const result = readConfig(env(value === undefined ? {} : { RING_TEAM_AFTER_SECONDS: value }));
    if (!result.ok) throw new Error('configuration should stay usable');
    return { value: result.config.ringTeamAfterSeconds, problems: result.problems.filter((p) => p.variable === 'RING_TEAM_AFTER_SECONDS') };
  };

  it('unset: off, with nothing to report', () => {
    expect(read(undefined)).toEqual({ value: undefined, problems: [] });
  });

  it('a whole number of seconds below the maximum wait turns it on', () => {
    expect(read('60')).toEqual({ value: 60, problems: [] });
    expect(read('0')).toEqual({ value: 0, problems: [] });
  });

  it.each([
    ['sixty', /whole number of seconds from 0 to 3600/],
    ['12.5', /whole number of seconds/],
    ['-5', /whole number of seconds/],
    ['120', /less than MAX_WAIT_SECONDS \(120\)/],
    ['900', /less than MAX_WAIT_SECONDS/],
  ])('%s is reported (never stopping calls) and escalation stays off', (raw, message) => {
    const { value, problems } = read(raw);
    expect(value).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.stops).toBe(false);
    expect(problems[0]?.message).toMatch(message);
    expect(problems[0]?.message).toMatch(/Using the default \(unset\)/);
  });

  it('the doctor shows it as understood', () => {
    const on = readConfig(env({ RING_TEAM_AFTER_SECONDS: '45' }));
    const off = readConfig(env({}));
    if (!on.ok || !off.ok) throw new Error('configuration should be usable');
    expect(describeConfig(on.config, 200).join('\n')).toMatch(/Ring-all\s+every available member's mobile rings once a caller has waited 45 s/);
    expect(describeConfig(off.config, 200).join('\n')).toMatch(/Ring-all\s+off \(RING_TEAM_AFTER_SECONDS unset\)/);
  });
});

describe('a caller in the room waiting for the member who pressed 1', () => {
  it('waits while the member\'s phone is on the line (or Twilio does not say), up to the limit', () => {
    for (const status of ['queued', 'ringing', 'in-progress', undefined]) expect(callerWaitVerdict(status, 0)).toBe('wait');
    expect(callerWaitVerdict('in-progress', RING_WAIT_LIMIT_SECONDS - 5)).toBe('wait');
    expect(callerWaitVerdict('in-progress', RING_WAIT_LIMIT_SECONDS)).toBe('voicemail');
    expect(callerWaitVerdict(undefined, RING_WAIT_LIMIT_SECONDS)).toBe('voicemail');
  });

  it('goes to voicemail at once when the member\'s phone has hung up, whatever its final status', () => {
    for (const status of ['completed', 'busy', 'no-answer', 'canceled', 'failed']) {
      expect(memberLeft(status)).toBe(true);
      expect(callerWaitVerdict(status, 0)).toBe('voicemail');
    }
    expect(memberLeft('in-progress')).toBe(false);
    expect(memberLeft(undefined)).toBe(false);
  });
});

import { choosePull } from '../../src/pull';
import { WaitingCaller } from '../../src/queue';

const waiter = (reference: string, position: number): WaitingCaller => ({
  callSid: `CA${reference.padStart(32, '0')}`, reference, position, waitSeconds: 100 - position * 10,
});

/** Longest-waiting first, as queue.ts returns them. */
const queue = [waiter('1111', 1), waiter('2222', 2), waiter('3333', 3)];

describe('choosePull', () => {
  it.each(['accept', 'voicemail'] as const)('%s with a reference pulls that caller, wherever they are in line', (action) => {
    expect(choosePull(action, '2222', queue)).toEqual({ kind: 'pull', caller: queue[1] });
    expect(choosePull(action, '3333', queue)).toEqual({ kind: 'pull', caller: queue[2] });
  });

  it('with a reference shared by two callers pulls the longer-waiting one', () => {
    const twins = [waiter('1111', 1), { ...waiter('2222', 2), callSid: 'CAfirst' }, { ...waiter('2222', 3), callSid: 'CAsecond' }];
    expect(choosePull('accept', '2222', twins)).toEqual({ kind: 'pull', caller: twins[1] });
  });

  it.each(['accept', 'voicemail'] as const)('%s with a reference nobody waiting has says so', (action) => {
    expect(choosePull(action, '9999', queue)).toEqual({ kind: 'not-waiting', reference: '9999' });
    expect(choosePull(action, '9999', [])).toEqual({ kind: 'not-waiting', reference: '9999' });
  });

  it('a bare accept takes the caller who has waited longest', () => {
    expect(choosePull('accept', undefined, queue)).toEqual({ kind: 'pull', caller: queue[0] });
    expect(queue[0]?.position).toBe(1);
  });

  it.each(['accept', 'voicemail'] as const)('a bare %s with nobody waiting says so', (action) => {
    expect(choosePull(action, undefined, [])).toEqual({ kind: 'nobody-waiting' });
  });

  it('a bare voicemail with several waiting asks which one', () => {
    expect(choosePull('voicemail', undefined, queue)).toEqual({ kind: 'choose', waiting: queue });
  });

  it('a bare voicemail with one waiting sends that caller', () => {
    const one = [waiter('1111', 1)];
    expect(choosePull('voicemail', undefined, one)).toEqual({ kind: 'pull', caller: one[0] });
  });
});

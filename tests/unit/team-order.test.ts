// The order the team is texted in about one call: a sending number delivers about one segment a second, in order,
// so whoever is first hears first. The order rotates with the CallSid, with no state kept between calls.
import { teamInTurn } from '../../src/team';

const TEAM = ['Ann', 'Bob', 'Cara', 'Dan', 'Eve'];

function callSid(n: number): string {
  return `CA${n.toString(16).padStart(32, '0')}`;
}

describe('teamInTurn', () => {
  it('keeps everyone, once, in the team\'s own cyclic order', () => {
    for (let n = 0; n < 50; n += 1) {
      const order = teamInTurn(TEAM, callSid(n * 7919));
      expect([...order].sort()).toEqual([...TEAM].sort());
      const start = TEAM.indexOf(order[0] ?? '');
      expect(order).toEqual([...TEAM.slice(start), ...TEAM.slice(0, start)]);
    }
  });

  it('over many calls, every member is sometimes first and sometimes last', () => {
    const first = new Set<string>();
    const last = new Set<string>();
    for (let n = 0; n < 200; n += 1) {
      const order = teamInTurn(TEAM, callSid(n * 104_729 + 13));
      first.add(order[0] ?? '');
      last.add(order[order.length - 1] ?? '');
    }
    expect([...first].sort()).toEqual([...TEAM].sort());
    expect([...last].sort()).toEqual([...TEAM].sort());
  });

  it('is the same for the same call, so a repeated webhook texts in the same order', () => {
    expect(teamInTurn(TEAM, callSid(12345))).toEqual(teamInTurn(TEAM, callSid(12345)));
    expect(teamInTurn(['Ann'], callSid(3))).toEqual(['Ann']);
    expect(teamInTurn([], callSid(3))).toEqual([]);
  });
});

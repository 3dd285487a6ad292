// The stand-in's SMS segment count, which the bench reports and the simulator checks texts against.
// Twilio bills GSM-7 extension characters (€ [ ] { } ~ ^ \ |) as two septets each, and any character
// outside GSM-7 turns the whole text into UCS-2, where an emoji takes two 16-bit units.
import { segments } from '../../sim/standin';

describe('segments', () => {
  it('counts € [ ] as GSM-7 extension characters of two septets, not as UCS-2', () => {
    expect(segments('€[]')).toBe(1);
    // 80 € = 160 septets: one segment; UCS-2 would have needed two (70 per segment).
    expect(segments('€'.repeat(80))).toBe(1);
    expect(segments('€'.repeat(81))).toBe(2);
    expect(segments(`${'a'.repeat(156)}[]`)).toBe(1);
    expect(segments(`${'a'.repeat(157)}[]`)).toBe(2);
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(segments('😀'.repeat(35))).toBe(1);
    expect(segments('😀'.repeat(36))).toBe(2);
    expect(segments(`${'a'.repeat(68)}😀`)).toBe(1);
    expect(segments(`${'a'.repeat(69)}😀`)).toBe(2);
  });

  it('splits plain GSM-7 at 160, then 153 per segment', () => {
    expect(segments('a'.repeat(160))).toBe(1);
    expect(segments('a'.repeat(161))).toBe(2);
    expect(segments('a'.repeat(306))).toBe(2);
    expect(segments('a'.repeat(307))).toBe(3);
  });
});

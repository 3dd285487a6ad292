import { DEFAULT_KEYWORDS, Keywords, Member } from '../../src/config';
import { formatDuration, hoursChangedText, hoursLine, newCallText, notices, replies, sentToVoicemailText, takenText } from '../../src/messages';
import { isSingleSegment } from '../../src/sms-text';

type CallerInfo = Parameters<typeof newCallText>[0];

// 200 characters that are not plain GSM-7: accents, curly quotes, ellipses (longer once mapped), emoji, another script.
const UNICODE_NAME = 'Zoë “Ziggy” Łukasiewicz… 王小明 😀 Ångström–Čapek '.repeat(6).slice(0, 200);
const LONG_PLACE = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Gwynedd GB';

const longCaller: CallerInfo = { reference: '4567', name: UNICODE_NAME, number: '+15551230001', place: LONG_PLACE };
const plainCaller: CallerInfo = { reference: '0042', name: 'Ann Smith', number: '+15551230009', place: 'Boston MA US' };
const numberOnly: CallerInfo = { reference: '1234', number: '+442079460000', place: '' };
const withheld: CallerInfo = { reference: '0007', place: '' };

const member: Member = { name: 'Bob', number: '+15551230002' };
const unicodeMember: Member = { name: 'Bénédicte………€€€€€€€', number: '+15551230003' };

/** Every keyword at the longest the configuration allows. */
const LONG_KEYWORDS: Keywords = {
  accept: ['ACCEPTCALLER'],
  voicemail: ['VOICEMAILNOW'],
  status: ['WHOISWAITING'],
  commands: ['SHOWCOMMANDS'],
  pause: ['PAUSEMYTEXTS'],
  resume: ['RESUMEMYTEXT'],
  reply: ['ANSWERTEXTOF'],
  open: ['OPENTHELINES'],
  closed: ['CLOSETHELINE'],
  call: ['CALLTHEMBACK'],
};

const KINDS = ['accept', 'voicemail', 'status', 'pause', 'resume', 'reply'] as const;


interface Case {
  text: string;
  /** What the member must be able to read in it. */
  shows: string[];
}

function textsFor(caller: CallerInfo, who: Member, k: Keywords): Record<string, Case> {
  const ref = caller.reference;
  const waiting = [1, 2, 3, 4, 5].map((i) => ({ ...caller, reference: `${ref.slice(0, 3)}${i}`, waitSeconds: 3599 + i }));
  const callback = caller.number ?? 'number withheld';
  return {
    newCallText: { text: newCallText(caller, k), shows: [`${k.accept[0] ?? ''} ${ref}`, `${k.voicemail[0] ?? ''} ${ref}`] },
    takenText: { text: takenText(who, caller), shows: [ref] },
    sentToVoicemailText: { text: sentToVoicemailText(who, caller), shows: [ref, 'voicemail'] },
    // The Dial timeout plus Twilio's five-second buffer: how long the phone really rings.
    'replies.connecting': { text: replies.connecting(caller, 60), shows: [ref, 'press 1', '65s'] },
    'replies.takenBy': { text: replies.takenBy(who.name, 'accept', caller), shows: [ref, 'took'] },
    'replies.pullUnsure': { text: replies.pullUnsure(caller, k), shows: [ref, 'may still work', k.status[0] ?? ''] },
    'replies.toVoicemail': { text: replies.toVoicemail(caller), shows: [ref, 'voicemail'] },
    'replies.tooLate': { text: replies.tooLate(caller), shows: [ref, 'Too late'] },
    'replies.noLongerWaiting': { text: replies.noLongerWaiting(ref, `${who.name} took the call`), shows: [ref] },
    'replies.noSuchCaller': { text: replies.noSuchCaller(ref, k), shows: [ref, k.status[0] ?? ''] },
    'replies.nobodyWaiting': { text: replies.nobodyWaiting(), shows: ['No caller'] },
    'replies.chooseOne': { text: replies.chooseOne(waiting, k, 9), shows: [`${k.voicemail[0] ?? ''} and a number`, waiting[0]?.reference ?? '', '9 waiting'] },
    'replies.status': { text: replies.status(waiting, 9), shows: ['9 waiting', waiting[0]?.reference ?? '', '60m00s'] },
    'replies.commands': { text: replies.commands(k), shows: KINDS.map((kind) => k[kind][0] ?? '') },
    hoursChangedText: { text: hoursChangedText(who, false, '2026-12-28 09:00 America/Argentina/ComodRivadavia', k), shows: ['2026-12-28 09:00', k.open[0] ?? ''] },
    'hoursChangedText (open)': { text: hoursChangedText(who, true, 'Tue 17:00 America/Chicago', k), shows: ['Tue 17:00', k.closed[0] ?? ''] },
    'replies.status with hours': { text: replies.status(waiting, 9, hoursLine(false, 'Tue 09:00 America/Chicago', who.name, [])), shows: ['Closed until Tue 09:00', '9 waiting', waiting[0]?.reference ?? ''] },
    'replies.unknown': { text: replies.unknown(k), shows: [k.accept[0] ?? '', k.voicemail[0] ?? '', k.status[0] ?? '', k.commands[0] ?? ''] },
    'replies.paused': { text: replies.paused(k), shows: [k.resume[0] ?? ''] },
    'replies.resumed': { text: replies.resumed(), shows: ['Resumed'] },
    'replies.tryAgain (time-out)': { text: replies.tryAgain('time-out'), shows: ['in time', 'again'] },
    'replies.tryAgain (network)': { text: replies.tryAgain('network'), shows: ['could not reach', 'again'] },
    'replies.tryAgain (twilio)': { text: replies.tryAgain('twilio'), shows: ['could not do that', 'again'] },
    'replies.tryAgain (other)': { text: replies.tryAgain('other'), shows: ['again'] },
    'notices.missed': { text: notices.missed(caller, 3725), shows: [caller.number ?? 'No number to call back', '62m05s'] },
    'notices.callback': { text: notices.callback(caller, 95), shows: [callback, 'callback', '1m35s'] },
    'notices.notAnswered': { text: notices.notAnswered(who, caller, 'no-answer'), shows: [ref, 'voicemail'] },
  };
}

describe('texts to team members', () => {
  const scenarios: [string, CallerInfo, Member, Keywords][] = [
    ['a plain caller', plainCaller, member, DEFAULT_KEYWORDS],
    ['a 200-character unicode name and a long place', longCaller, unicodeMember, DEFAULT_KEYWORDS],
    ['the longest keywords allowed', longCaller, unicodeMember, LONG_KEYWORDS],
    ['a caller known by number only', numberOnly, member, DEFAULT_KEYWORDS],
    ['a withheld number', withheld, member, LONG_KEYWORDS],
  ];
  const cases = scenarios.flatMap(([scenario, caller, who, k]) =>
    Object.entries(textsFor(caller, who, k)).map(([name, c]) => [name, scenario, c] as const));

  it.each(cases)('%s (%s) is one GSM-7 segment and shows what the member needs', (_, __, { text, shows }) => {
    expect(isSingleSegment(text)).toBe(true);
    for (const part of shows) expect(text).toContain(part);
  });

  it('names the caller, then the place, in a new-call text', () => {
    expect(newCallText(plainCaller, DEFAULT_KEYWORDS)).toBe('Call from Ann Smith, Boston MA US. Reply Y 0042 to take, N 0042 for voicemail.');
    expect(newCallText(numberOnly, DEFAULT_KEYWORDS)).toContain('Call from +442079460000.');
    expect(newCallText(withheld, DEFAULT_KEYWORDS)).toContain('Call from an unknown number.');
  });

  it('keeps the start of a long name readable when shortening', () => {
    expect(newCallText(longCaller, DEFAULT_KEYWORDS)).toMatch(/^Call from Zoe "Ziggy" ukasiewicz\.\.\./);
  });

  it('tells the others who took the call', () => {
    expect(takenText(member, plainCaller)).toBe('Bob took the call from Ann Smith, Boston MA US (0042).');
  });

  describe('lists of waiting callers', () => {
    const many = [1, 2, 3, 4, 5].map((i) => ({
      reference: `100${i}`, name: `Alexandra Montgomery ${i}`, number: `+1555123000${i}`, place: 'San Francisco CA US', waitSeconds: 600 + i,
    }));

    it('shows every listed caller whole when they fit', () => {
      expect(replies.status(many.slice(0, 2), 2)).toBe('2 waiting: 1001 Alexandra M... San Franc... 10m01s; 1002 Alexandra M... San Franc... 10m02s.');
      expect(replies.chooseOne(many.slice(0, 2), DEFAULT_KEYWORDS, 2)).toBe('2 waiting: 1001 Alexandra M...; 1002 Alexandra M.... Reply N and a number.');
    });

    it('counts callers it has no room for in "+N more" instead of cutting one off', () => {
      const text = replies.status(many, 7);
      expect(isSingleSegment(text)).toBe(true);
      const shown = many.filter((c) => text.includes(`${c.reference} Alexandra M... San Franc... ${formatDuration(c.waitSeconds)}`)).length;
      expect(shown).toBeGreaterThanOrEqual(3);
      expect(text).toContain(`+${7 - shown} more.`);
      // No reference appears other than whole and listed.
      expect(text.match(/\b\d{4}\b/g)).toEqual(many.slice(0, shown).map((c) => c.reference));
    });

    it('says "+N more" for callers beyond the listed ones', () => {
      expect(replies.chooseOne(many.slice(0, 2), DEFAULT_KEYWORDS, 6)).toContain(' +4 more. Reply N and a number.');
    });

    it('says nobody is waiting for an empty status', () => {
      expect(replies.status([], 0)).toBe('No caller is waiting right now.');
    });
  });

  describe('missed-call and callback notices', () => {
    it('give the number to call back and how long the caller waited', () => {
      expect(notices.missed(plainCaller, 65)).toBe('Missed call: Ann Smith, Boston MA US, waited 1m05s. Call back +15551230009');
      expect(notices.callback(plainCaller, 30)).toBe('Ann Smith, Boston MA US asked for a callback after 30s: +15551230009');
    });

    it('keep the callback number whole however long the name', () => {
      expect(notices.missed(longCaller, 65).endsWith('Call back +15551230001')).toBe(true);
      expect(notices.callback(longCaller, 65).endsWith(': +15551230001')).toBe(true);
    });

    it('say plainly when there is no number to call back, and name the caller by their reference', () => {
      expect(notices.missed(withheld, undefined)).toBe('Missed call: an unknown number (0007). No number to call back.');
      expect(notices.missed(withheld, 65)).toBe('Missed call: an unknown number (0007), waited 1m05s. No number to call back.');
      expect(notices.voicemailLost(withheld)).toBe('Twilio could not save a voicemail from an unknown number (0007). No number to call back.');
      expect(notices.voicemailWithoutPage(withheld, 5)).toMatch(/^Voicemail 5s from an unknown number \(0007\); its page could not be made/);
      // Kept whole when a long name is cut to fit one segment.
      expect(notices.missed({ ...withheld, name: 'N'.repeat(200) }, undefined).endsWith(' (0007). No number to call back.')).toBe(true);
      expect(notices.callback(withheld, undefined)).toBe('an unknown number asked for a callback: number withheld');
    });
  });

  describe('the voicemail notice', () => {
    // A deployed page link: the longest Functions domain form and a 32-character token.
    const LINK = `https://pull-phone-1234-dev.twil.io/vm?t=${'Ab_-'.repeat(8)}`;

    it('is one segment with the link whole, even for the longest name and message', () => {
      const text = notices.voicemail(longCaller, 3599, LINK);
      expect(isSingleSegment(text)).toBe(true);
      expect(text.endsWith(` +15551230001: ${LINK}`)).toBe(true);
      expect(text).toContain('59m59s');
      expect(text.match(/https:\/\//g)).toHaveLength(1);
    });

    it('names the caller once when known only by number', () => {
      expect(notices.voicemail({ number: '+15551230001' }, 12, LINK)).toBe(`Voicemail 12s from +15551230001: ${LINK}`);
    });

    it('works for a withheld number', () => {
      expect(notices.voicemail({}, 5, LINK)).toBe(`Voicemail 5s from an unknown number: ${LINK}`);
    });

    it('gives the name, the number to call back and the link', () => {
      expect(notices.voicemail({ name: 'Ann Example', number: '+15551230001' }, 20, LINK)).toBe(`Voicemail 20s from Ann Example +15551230001: ${LINK}`);
    });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [7, '7s'],
    [59, '59s'],
    [59.6, '1m00s'],
    [60, '1m00s'],
    [65, '1m05s'],
    [600, '10m00s'],
    [3725, '62m05s'],
    [-3, '0s'],
  ])('%d seconds is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

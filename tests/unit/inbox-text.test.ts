import { parseCommand } from '../../src/commands';
import { DEFAULT_KEYWORDS } from '../../src/config';
import {
  answeredNotice, customerLabel, forwardText, heldSummary, inboxReplies, mediaLabel, optedOutNotice, parseReply, reservedWord,
  textReference, unansweredList,
} from '../../src/inbox-text';
import { isSingleSegment } from '../../src/sms-text';

const K = DEFAULT_KEYWORDS;

describe('customer text references', () => {
  it('are T and four digits, the same for a number every time, and differ between attempts', () => {
    const first = textReference('+16175550101', 0);
    expect(first).toMatch(/^T\d{4}$/);
    expect(textReference('+16175550101', 0)).toBe(first);
    expect(textReference('+16175550101', 1)).not.toBe(first);
  });

  it('spread over many numbers (few share one)', () => {
    const refs = new Set(Array.from({ length: 200 }, (_, i) => textReference(`+1617555${String(i).padStart(4, '0')}`, 0)));
    expect(refs.size).toBeGreaterThan(190);
  });

  it('can never be taken for a caller reference by Y or N: those commands do not parse with a T reference', () => {
    const ref = textReference('+16175550101', 0);
    expect(parseCommand(`Y ${ref}`, K)).toEqual({ kind: 'unknown' });
    expect(parseCommand(`N ${ref}`, K)).toEqual({ kind: 'unknown' });
  });
});

describe('parseReply', () => {
  it.each([
    ['R T0103 Yes, we open at 9!', { kind: 'reply', reference: 'T0103', message: 'Yes, we open at 9!' }],
    ['r t0103 lower case is fine', { kind: 'reply', reference: 'T0103', message: 'lower case is fine' }],
    ['REPLY T 0103: Saturday 9-5 😀', { kind: 'reply', reference: 'T0103', message: 'Saturday 9-5 😀' }],
    ['  Reply,T0103,\nLine one\nLine two  ', { kind: 'reply', reference: 'T0103', message: 'Line one\nLine two' }],
    ['R T0103 2 people at 5pm?', { kind: 'reply', reference: 'T0103', message: '2 people at 5pm?' }],
    ['R', { kind: 'no-reference' }],
    ['R hello there', { kind: 'no-reference' }],
    ['R 0103 a caller-style reference', { kind: 'no-reference' }],
    ['R T103 three digits', { kind: 'no-reference' }],
    ['R T01034 five digits', { kind: 'no-reference' }],
    ['R T0103', { kind: 'empty', reference: 'T0103' }],
    ['R T0103 .  ', { kind: 'empty', reference: 'T0103' }],
  ] as const)('%j', (body, expected) => {
    expect(parseReply(body, K)).toEqual(expected);
  });

  it.each(['Y 0103', 'STATUS', 'Ready?', 'R2D2', 'RT0103 hi', '', 'Really T0103 hi'])('%j is not a reply', (body) => {
    expect(parseReply(body, K)).toBeUndefined();
  });

  it('follows REPLY_KEYWORDS', () => {
    expect(parseReply('ANS T0001 ok', { ...K, reply: ['ANS'] })).toEqual({ kind: 'reply', reference: 'T0001', message: 'ok' });
    expect(parseReply('R T0001 ok', { ...K, reply: ['ANS'] })).toBeUndefined();
  });
});

describe('reservedWord', () => {
  it.each([
    ['STOP', 'opt-out'], ['stop', 'opt-out'], [' Unsubscribe. ', 'opt-out'], ['cancel', 'opt-out'], ['STOPALL', 'opt-out'],
    ['START', 'opt-in'], ['yes', 'opt-in'], ['unstop!', 'opt-in'], ['HELP', 'help'], ['info?', 'help'],
  ] as const)('%j is Twilio\'s (%s)', (body, kind) => {
    expect(reservedWord(body)).toBe(kind);
  });

  it.each(['stop by at 5?', 'Help me with my order', 'Y 0101', 'yes please, Saturday', ''])('%j is a customer\'s text', (body) => {
    expect(reservedWord(body)).toBeUndefined();
  });
});

describe('mediaLabel', () => {
  it.each([
    [[], ''],
    [['image/jpeg'], '+1 photo'],
    [['image/jpeg', 'image/png'], '+2 photos'],
    [['image/gif', 'video/mp4', 'application/pdf'], '+1 photo +1 video +1 file'],
    [['audio/amr'], '+1 audio clip'],
  ] as const)('%j → %j', (types, label) => {
    expect(mediaLabel(types)).toBe(label);
  });
});

describe('forwardText', () => {
  const base = { reference: 'T0103', who: '+16175550101', body: 'Are you open Saturday?', media: '' };

  it('says who, the reference, the words and how to answer, in one segment', () => {
    const text = forwardText(base, K);
    expect(text).toBe('Text T0103 from +16175550101: "Are you open Saturday?" Reply R T0103 + answer.');
    expect(isSingleSegment(text)).toBe(true);
  });

  it('names the owner once someone has answered, and says what media came', () => {
    const text = forwardText({ ...base, who: 'Jane Doe', owner: 'Bob', body: '', media: '+1 photo' }, K);
    expect(text).toBe("Text T0103 from Jane Doe (Bob's): +1 photo Reply R T0103 + answer.");
  });

  it('shortens a long name, never the words, to stay in one segment', () => {
    const body = 'x'.repeat(95);
    const text = forwardText({ ...base, who: 'Bartholomew Fitzgerald-Montgomery', body }, K);
    expect(isSingleSegment(text)).toBe(true);
    expect(text).toContain(`"${body}"`);
    expect(text).toContain('R T0103');
  });

  it('forwards a long text whole, over several segments, rather than cutting it', () => {
    const body = `${'Word '.repeat(80)}END`;
    const text = forwardText({ ...base, body }, K);
    expect(text).toContain(`"${body}"`);
    expect(text.length).toBeGreaterThan(400);
  });

  it('keeps an emoji as the customer sent it (the text then goes as UCS-2)', () => {
    const text = forwardText({ ...base, body: 'Open? 😀' }, K);
    expect(text).toContain('"Open? 😀"');
  });
});

describe('the other inbox texts fit one segment with long names', () => {
  const who = customerLabel('+16175550101', 'Bartholomew Fitzgerald-Montgomery the Third of Somewhere');
  it.each([
    ['heldSummary', heldSummary('T0103', who, 5, K), ['T0103', 'STATUS']],
    ['optedOutNotice', optedOutNotice(who, 'T0103'), ['T0103', 'STOP', 'START']],
    ['optedOutNotice without a reference', optedOutNotice('+16175550101', undefined), ['+16175550101', 'STOP']],
    ['answeredNotice', answeredNotice('Bob', 'T0103', who, 'Yes, we open at 9.'), ['Bob', 'T0103', 'Yes, we open at 9.']],
    ['sent', inboxReplies.sent('T0103', who), ['T0103']],
    ['noReference', inboxReplies.noReference(K), ['R T0103', 'STATUS']],
    ['empty', inboxReplies.empty('T0103', K), ['R T0103']],
    ['unknownReference', inboxReplies.unknownReference('T9999', K), ['T9999', 'STATUS']],
    ['optedOut', inboxReplies.optedOut('T0103', who), ['T0103', '21610', 'START']],
  ] as const)('%s', (_name, text, shows) => {
    expect(isSingleSegment(text)).toBe(true);
    for (const part of shows) expect(text).toContain(part);
  });

  it('the answer is echoed whole to the other members, even when long', () => {
    const message = 'A long answer. '.repeat(20).trim();
    expect(answeredNotice('Bob', 'T0103', who, message)).toContain(message);
  });
});

describe('unansweredList', () => {
  it('is nothing when every text is answered', () => {
    expect(unansweredList([], K)).toBeUndefined();
  });

  it('lists the oldest first with age and owner, and counts what does not fit', () => {
    const texts = Array.from({ length: 9 }, (_, i) => ({ reference: `T000${i}`, who: `Customer number ${i}`, ageSeconds: 60 * (i + 1), ...(i === 8 ? { owner: 'Bob' } : {}) }));
    const text = unansweredList(texts, K) ?? '';
    expect(isSingleSegment(text)).toBe(true);
    expect(text).toMatch(/^Texts not answered: T0008 Customer nu\.\.\. 9m00s \(Bob\); T0007/);
    expect(text).toMatch(/\+\d more\. R ref \+ answer\.$/);
  });
});

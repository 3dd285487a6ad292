import {
  describeSchedule, formatLocal, hoursAt, isTimeZone, nextChangeTo, nextHoliday, overrideUntil, parseHolidays, parseOpenHours,
  Schedule, scheduledOpen, Window,
} from '../../src/schedule';

/** An instant given as UTC wall-clock parts: the fixed clock every test below reads. */
const utc = (iso: string): number => Date.parse(`${iso}Z`);
const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString().slice(0, 16));

function windows(text: string): Window[] {
  const parsed = parseOpenHours(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function schedule(openHours: string | undefined, timeZone: string, holidays: string[] = []): Schedule {
  return { windows: openHours === undefined ? undefined : windows(openHours), holidays, timeZone };
}

const errorOf = (text: string): string => {
  const parsed = parseOpenHours(text);
  if (parsed.ok) throw new Error(`expected "${text}" to be refused`);
  return parsed.error;
};

describe('parseOpenHours', () => {
  it('reads day ranges, single days and several windows on a day', () => {
    expect(windows('Mon-Wed 09:00-17:00, Sat 10:00-14:00')).toEqual([
      { day: 0, start: 540, end: 1020 }, { day: 1, start: 540, end: 1020 }, { day: 2, start: 540, end: 1020 },
      { day: 5, start: 600, end: 840 },
    ]);
    expect(windows('tue 08:00-12:00 13:30-17:00')).toEqual([{ day: 1, start: 480, end: 720 }, { day: 1, start: 810, end: 1020 }]);
    expect(windows('Thu 09:00-12:00, Thu 14:00-18:00')).toHaveLength(2);
  });

  it('reads a window past midnight, 24:00 as an end, a range wrapping round the week and an en dash', () => {
    expect(windows('Fri 22:00-02:00')).toEqual([{ day: 4, start: 1320, end: 120 }]);
    expect(windows('Sun 00:00-24:00')).toEqual([{ day: 6, start: 0, end: 1440 }]);
    expect(windows('Sat-Mon 10:00-11:00').map((w) => w.day)).toEqual([5, 6, 0]);
    expect(windows('Mon–Tue 9:00–17:00').map((w) => w.day)).toEqual([0, 1]);
  });

  it('names the part at fault: a day, an hour, a minute, an empty window, a missing range', () => {
    expect(errorOf('Mon-Fry 09:00-17:00')).toBe('"Mon-Fry 09:00-17:00": unknown day "Fry" (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)');
    expect(errorOf('Mon-Fri 09:00-25:00')).toBe('"Mon-Fri 09:00-25:00": end of "09:00-25:00": hour 25 is out of range (00-23, or 24:00)');
    expect(errorOf('Sat 24:00-02:00')).toBe('"Sat 24:00-02:00": start of "24:00-02:00": hour 24 is out of range (00-23)');
    expect(errorOf('Sat 10:61-14:00')).toBe('"Sat 10:61-14:00": start of "10:61-14:00": minute 61 is out of range (00-59)');
    expect(errorOf('Sat 10:00-10:00')).toMatch(/starts and ends at the same time/);
    expect(errorOf('Mon-Fri')).toMatch(/give a time range after the days/);
    expect(errorOf('Mon-Fri 9-5')).toBe('"Mon-Fri 9-5": "9-5" is not a time range such as 09:00-17:00');
    expect(errorOf('  ,  ')).toMatch(/lists no windows/);
  });
});

describe('parseHolidays and time zones', () => {
  it('reads dates, sorted and without repeats, and refuses impossible ones by name', () => {
    expect(parseHolidays('2026-12-25, 2026-01-01,2026-12-25')).toEqual({ ok: true, value: ['2026-01-01', '2026-12-25'] });
    expect(parseHolidays('')).toEqual({ ok: true, value: [] });
    expect(parseHolidays('2026-02-29')).toEqual({ ok: false, error: '"2026-02-29": day 29 is out of range (01-28)' });
    expect(parseHolidays('2028-02-29').ok).toBe(true);
    expect(parseHolidays('2026-13-01')).toEqual({ ok: false, error: '"2026-13-01": month 13 is out of range (01-12)' });
    expect(parseHolidays('25/12/2026')).toEqual({ ok: false, error: '"25/12/2026" is not a date written YYYY-MM-DD' });
  });

  it('knows IANA names from the runtime and refuses the rest', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('America/Chicgo')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('open or closed on a fixed clock', () => {
  const chicago = schedule('Mon-Fri 09:00-17:00, Sat 10:00-14:00', 'America/Chicago');

  it('follows the windows in the team\'s time zone (Chicago is UTC-6 in January)', () => {
    // Monday 5 January 2026.
    expect(scheduledOpen(chicago, utc('2026-01-05T14:59'))).toBe(false); // 08:59
    expect(scheduledOpen(chicago, utc('2026-01-05T15:00'))).toBe(true); // 09:00
    expect(scheduledOpen(chicago, utc('2026-01-05T22:59'))).toBe(true); // 16:59
    expect(scheduledOpen(chicago, utc('2026-01-05T23:00'))).toBe(false); // 17:00
    expect(scheduledOpen(chicago, utc('2026-01-10T17:00'))).toBe(true); // Saturday 11:00
    expect(scheduledOpen(chicago, utc('2026-01-11T17:00'))).toBe(false); // Sunday 11:00
  });

  it('keeps a window open past midnight into the next day, and closes at its end', () => {
    const late = schedule('Fri 22:00-02:00', 'UTC');
    expect(scheduledOpen(late, utc('2026-01-09T21:59'))).toBe(false);
    expect(scheduledOpen(late, utc('2026-01-09T22:00'))).toBe(true);
    expect(scheduledOpen(late, utc('2026-01-10T01:59'))).toBe(true); // Saturday, still Friday's window
    expect(scheduledOpen(late, utc('2026-01-10T02:00'))).toBe(false);
    expect(scheduledOpen(late, utc('2026-01-10T22:30'))).toBe(false); // Saturday night has no window
    expect(nextChangeTo(late, utc('2026-01-09T23:00'), false)).toBe(utc('2026-01-10T02:00'));
  });

  it('closes a holiday all day, including the part of the previous night\'s window that runs into it', () => {
    const hours = schedule('Mon-Fri 09:00-17:00, Thu 22:00-02:00', 'America/Chicago', ['2026-12-25']);
    expect(scheduledOpen(hours, utc('2026-12-25T16:00'))).toBe(false); // Friday 25 December, 10:00
    expect(scheduledOpen(hours, utc('2026-12-25T06:30'))).toBe(false); // 00:30 on the holiday, Thursday's window
    expect(scheduledOpen(hours, utc('2026-12-25T04:30'))).toBe(true); // 22:30 on Thursday
    expect(scheduledOpen(hours, utc('2026-12-24T16:00'))).toBe(true); // Thursday 24th, 10:00
    // Thursday's late window closes at midnight now; Monday is the next opening.
    expect(iso(nextChangeTo(hours, utc('2026-12-25T04:30'), false))).toBe('2026-12-25T06:00');
    expect(iso(nextChangeTo(hours, utc('2026-12-25T04:30'), true))).toBe('2026-12-28T15:00');
  });

  it('with no OPEN_HOURS is open around the clock, except on holidays', () => {
    const always = schedule(undefined, 'Europe/London', ['2026-12-25']);
    expect(scheduledOpen(always, utc('2026-12-24T03:00'))).toBe(true);
    expect(scheduledOpen(always, utc('2026-12-25T12:00'))).toBe(false);
    expect(nextChangeTo(schedule(undefined, 'UTC'), utc('2026-12-24T03:00'), false)).toBeUndefined();
  });
});

describe('the days the clocks change', () => {
  // America/New_York: EST (UTC-5) until 2026-03-08 02:00, then EDT (UTC-4) until 2026-11-01 02:00.
  it('New York, spring forward: a 09:00 opening comes an hour earlier in UTC, and a night window is an hour shorter', () => {
    const ny = schedule('Sat-Sun 09:00-17:00, Sat 22:00-06:00', 'America/New_York');
    expect(iso(nextChangeTo(ny, utc('2026-03-07T12:00'), true))).toBe('2026-03-07T14:00'); // Saturday 09:00 EST
    expect(iso(nextChangeTo(ny, utc('2026-03-08T06:00'), false))).toBe('2026-03-08T10:00'); // Sunday 06:00 EDT
    expect(scheduledOpen(ny, utc('2026-03-08T06:30'))).toBe(true); // 01:30 EST
    expect(scheduledOpen(ny, utc('2026-03-08T07:00'))).toBe(true); // 03:00 EDT: 02:00-03:00 never happened
    expect(iso(nextChangeTo(ny, utc('2026-03-08T10:00'), true))).toBe('2026-03-08T13:00'); // Sunday 09:00 EDT
  });

  it('New York, spring forward: a window starting in the missing hour opens when the clock jumps past its start', () => {
    const gap = schedule('Sun 02:30-04:00', 'America/New_York');
    expect(iso(nextChangeTo(gap, utc('2026-03-08T05:00'), true))).toBe('2026-03-08T07:00'); // 03:00 EDT
    expect(iso(nextChangeTo(gap, utc('2026-03-08T07:00'), false))).toBe('2026-03-08T08:00'); // 04:00 EDT
  });

  it('New York, fall back: 09:00 is an hour later in UTC, and a night window across the change is an hour longer', () => {
    const ny = schedule('Sun 09:00-17:00, Sat 22:00-06:00', 'America/New_York');
    expect(iso(nextChangeTo(ny, utc('2026-10-31T20:00'), true))).toBe('2026-11-01T02:00'); // Saturday 22:00 EDT
    expect(iso(nextChangeTo(ny, utc('2026-11-01T02:00'), false))).toBe('2026-11-01T11:00'); // Sunday 06:00 EST: 9 hours
    expect(iso(nextChangeTo(ny, utc('2026-11-01T11:00'), true))).toBe('2026-11-01T14:00'); // Sunday 09:00 EST
  });

  // Europe/London: GMT until 2026-03-29 01:00 UTC, then BST (UTC+1) until 2026-10-25 01:00 UTC.
  it('London, both changes: local opening hours keep their wall-clock times', () => {
    const london = schedule('Sat-Sun 09:00-17:00, Sat 23:00-03:00', 'Europe/London');
    expect(iso(nextChangeTo(london, utc('2026-03-28T12:00'), false))).toBe('2026-03-28T17:00'); // Saturday 17:00 GMT
    expect(iso(nextChangeTo(london, utc('2026-03-28T17:00'), true))).toBe('2026-03-28T23:00'); // Saturday 23:00 GMT
    expect(iso(nextChangeTo(london, utc('2026-03-28T23:00'), false))).toBe('2026-03-29T02:00'); // Sunday 03:00 BST: 3 hours
    expect(iso(nextChangeTo(london, utc('2026-03-29T02:00'), true))).toBe('2026-03-29T08:00'); // Sunday 09:00 BST
    expect(iso(nextChangeTo(london, utc('2026-10-24T12:00'), false))).toBe('2026-10-24T16:00'); // Saturday 17:00 BST
    expect(iso(nextChangeTo(london, utc('2026-10-24T16:00'), true))).toBe('2026-10-24T22:00'); // Saturday 23:00 BST
    expect(iso(nextChangeTo(london, utc('2026-10-24T22:00'), false))).toBe('2026-10-25T03:00'); // Sunday 03:00 GMT: 5 hours
    expect(iso(nextChangeTo(london, utc('2026-10-25T03:00'), true))).toBe('2026-10-25T09:00'); // Sunday 09:00 GMT
  });
});

describe('overrides: OPEN and CLOSED until the next scheduled change', () => {
  const chicago = schedule('Mon-Fri 09:00-17:00', 'America/Chicago', ['2026-01-07']);
  const monday = (hhmm: string): number => utc(`2026-01-05T${hhmm}`) + 6 * 3_600_000; // Chicago local time on Monday 5 January

  it('CLOSED at 14:00 on a Monday holds until Tuesday\'s opening', () => {
    const until = overrideUntil(chicago, monday('14:00'), false);
    expect(iso(until)).toBe('2026-01-06T15:00'); // Tuesday 09:00 CST
    const override = { open: false, until, by: 'Ann' };
    expect(hoursAt(chicago, monday('14:00'), override)).toEqual({ open: false, until, override });
    expect(hoursAt(chicago, until - 60_000, override).open).toBe(false);
    // Expired: the schedule rules again.
    expect(hoursAt(chicago, until, override)).toEqual({ open: true, until: utc('2026-01-06T23:00'), override: undefined });
  });

  it('OPEN at 20:00 holds until the closing after the next opening', () => {
    const until = overrideUntil(chicago, monday('20:00'), true);
    expect(iso(until)).toBe('2026-01-06T23:00'); // Tuesday 17:00 CST
    const override = { open: true, until, by: 'Bob' };
    expect(hoursAt(chicago, monday('23:30'), override).open).toBe(true);
    expect(hoursAt(chicago, until, override).open).toBe(false);
  });

  it('skips a holiday: CLOSED on Tuesday afternoon holds until Thursday, the day after the holiday', () => {
    expect(iso(overrideUntil(chicago, utc('2026-01-06T20:00'), false))).toBe('2026-01-08T15:00');
  });

  it('OPEN during open hours undoes an earlier CLOSED for the rest of the day; CLOSED after hours undoes an OPEN', () => {
    expect(iso(overrideUntil(chicago, monday('13:00'), true))).toBe('2026-01-05T23:00'); // Monday 17:00
    expect(iso(overrideUntil(chicago, monday('20:00'), false))).toBe('2026-01-06T15:00'); // Tuesday 09:00
  });

  it('with no hours set, CLOSED holds for the longest an override may (14 days) unless someone texts OPEN', () => {
    const always = schedule(undefined, 'UTC');
    expect(overrideUntil(always, utc('2026-01-05T12:00'), false)).toBe(utc('2026-01-19T12:00'));
  });
});

describe('describing the schedule', () => {
  const chicago = schedule('Mon-Fri 09:00-17:00', 'America/Chicago', ['2026-01-01', '2026-12-25']);

  it('says open or closed, until when in the team\'s time zone, and the next holiday', () => {
    expect(describeSchedule(chicago, utc('2026-03-02T16:00'))).toBe('open now, until 17:00 America/Chicago; next holiday 2026-12-25');
    expect(describeSchedule(chicago, utc('2026-03-06T23:30'))).toBe('closed now, until Mon 09:00 America/Chicago; next holiday 2026-12-25');
    expect(describeSchedule(schedule(undefined, 'UTC'), utc('2026-03-02T16:00'))).toBe('open now, around the clock');
  });

  it('names the member whose override is in force', () => {
    const override = { open: false, until: utc('2026-03-03T15:00'), by: 'Ann' };
    expect(describeSchedule(chicago, utc('2026-03-02T20:00'), override))
      .toBe('closed now, until Tue 09:00 America/Chicago (closed by Ann); next holiday 2026-12-25');
  });

  it('writes far-off times with their date, and finds the next holiday from today\'s local date', () => {
    expect(formatLocal(utc('2026-03-20T15:00'), utc('2026-03-02T16:00'), 'America/Chicago')).toBe('2026-03-20 10:00');
    expect(nextHoliday(chicago, utc('2026-01-02T05:00'))).toBe('2026-01-01'); // 23:00 on New Year's Day in Chicago
    expect(nextHoliday(chicago, utc('2026-01-02T07:00'))).toBe('2026-12-25'); // 01:00 on the 2nd
  });
});

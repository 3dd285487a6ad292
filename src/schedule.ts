/**
 * Business hours: when the team's phone is open, in the team's time zone.
 * Pure: every answer is computed from the instant passed in, so tests run on a fixed clock.
 * Local time comes from the runtime's time zone data (Intl), never from offsets worked out by hand,
 * so daylight saving follows the IANA database.
 *
 * Rules:
 * - A window belongs to the day it starts on; one whose end is not after its start runs past midnight
 *   (`Fri 22:00-02:00` is Friday 22:00 to Saturday 02:00). `24:00` ends a window at midnight.
 * - A holiday closes its whole local date, and cancels the windows that start on it.
 * - No OPEN_HOURS: open around the clock, except on holidays.
 * - An override (a member's OPEN or CLOSED) holds until the schedule next changes to the other state:
 *   CLOSED at 14:00 on a Monday holds until Tuesday's opening; OPEN at 20:00 until the closing after the next opening.
 */

export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MINUTES_PER_DAY = 1440;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead a change is looked for; an override never holds longer than this. */
export const HORIZON_DAYS = 14;

export interface Window {
  /** 0 = Monday … 6 = Sunday. */
  day: number;
  /** Minutes after local midnight. */
  start: number;
  /** Minutes after local midnight, up to 1440; not after `start`: the window ends on the next day. */
  end: number;
}

export interface Schedule {
  /** Undefined: open around the clock (holidays still close). */
  windows: readonly Window[] | undefined;
  /** `YYYY-MM-DD` local dates, closed all day. */
  holidays: readonly string[];
  /** An IANA name, e.g. America/Chicago. */
  timeZone: string;
}

/** A member's OPEN or CLOSED, kept in Sync until it expires. */
export interface Override {
  open: boolean;
  /** Epoch milliseconds: the override no longer applies from this instant. */
  until: number;
  /** The member's name. */
  by: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * `Mon-Fri 09:00-17:00, Sat 10:00-14:00`: entries separated by commas, each a day or day range
 * and one or more time ranges (`Mon-Fri 09:00-12:00 13:00-17:00`). Errors quote the part at fault.
 */
export function parseOpenHours(text: string): Parsed<Window[]> {
  const windows: Window[] = [];
  const entries = text.replace(/[\u2013\u2014]/g, '-').split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) return { ok: false, error: 'lists no windows; e.g. Mon-Fri 09:00-17:00' };
  for (const entry of entries) {
    const [dayPart = '', ...timeParts] = entry.split(/\s+/);
    const days = parseDays(dayPart);
    if (!days.ok) return { ok: false, error: `"${entry}": ${days.error}` };
    if (timeParts.length === 0) return { ok: false, error: `"${entry}": give a time range after the days, e.g. ${dayPart} 09:00-17:00` };
    for (const part of timeParts) {
      const range = parseTimeRange(part);
      if (!range.ok) return { ok: false, error: `"${entry}": ${range.error}` };
      for (const day of days.value) windows.push({ day, start: range.value.start, end: range.value.end });
    }
  }
  return { ok: true, value: windows };
}

function parseDays(part: string): Parsed<number[]> {
  const [first = '', last, extra] = part.split('-');
  if (extra !== undefined) return { ok: false, error: `"${part}" is not a day or a day range such as Mon-Fri` };
  const from = dayIndex(first);
  if (from === undefined) return { ok: false, error: `unknown day "${first}" (use ${DAYS.join(', ')})` };
  if (last === undefined) return { ok: true, value: [from] };
  const to = dayIndex(last);
  if (to === undefined) return { ok: false, error: `unknown day "${last}" (use ${DAYS.join(', ')})` };
  const days: number[] = [];
  // A range may wrap round the week end: Fri-Mon is Friday, Saturday, Sunday, Monday.
  for (let d = from; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === to) break;
  }
  return { ok: true, value: days };
}

function dayIndex(name: string): number | undefined {
  const index = DAYS.findIndex((d) => d.toLowerCase() === name.toLowerCase());
  return index < 0 ? undefined : index;
}

function parseTimeRange(part: string): Parsed<{ start: number; end: number }> {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
  if (match === null) return { ok: false, error: `"${part}" is not a time range such as 09:00-17:00` };
  const start = minutesOf(Number(match[1]), Number(match[2]), false);
  if (!start.ok) return { ok: false, error: `start of "${part}": ${start.error}` };
  const end = minutesOf(Number(match[3]), Number(match[4]), true);
  if (!end.ok) return { ok: false, error: `end of "${part}": ${end.error}` };
  if (start.value === end.value) return { ok: false, error: `"${part}" starts and ends at the same time; for a whole day write 00:00-24:00` };
  return { ok: true, value: { start: start.value, end: end.value } };
}

function minutesOf(hour: number, minute: number, isEnd: boolean): Parsed<number> {
  if (isEnd && hour === 24 && minute === 0) return { ok: true, value: MINUTES_PER_DAY };
  if (hour > 23) return { ok: false, error: `hour ${hour} is out of range (00-23${isEnd ? ', or 24:00' : ''})` };
  if (minute > 59) return { ok: false, error: `minute ${minute} is out of range (00-59)` };
  return { ok: true, value: hour * 60 + minute };
}

/** `2026-12-25, 2027-01-01`: real calendar dates only. Sorted, without repeats. */
export function parseHolidays(text: string): Parsed<string[]> {
  const dates = new Set<string>();
  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(entry);
    if (match === null) return { ok: false, error: `"${entry}" is not a date written YYYY-MM-DD` };
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (month < 1 || month > 12) return { ok: false, error: `"${entry}": month ${month} is out of range (01-12)` };
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > days) return { ok: false, error: `"${entry}": day ${day} is out of range (01-${days})` };
    dates.add(entry);
  }
  return { ok: true, value: [...dates].sort() };
}

/** Whether the runtime knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface Local {
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Monday. */
  day: number;
  /** Minutes after local midnight. */
  minute: number;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

function localTime(format: Intl.DateTimeFormat, at: number): Local {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`,
    day: dayIndex(parts.weekday ?? '') ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

function openAt(schedule: Schedule, local: Local): boolean {
  if (schedule.holidays.includes(local.date)) return false;
  if (schedule.windows === undefined) return true;
  const m = local.minute;
  const yesterday = (local.day + 6) % 7;
  return schedule.windows.some((w) => (w.day === local.day && w.start <= m && (w.end <= w.start || m < w.end)))
    || (!schedule.holidays.includes(previousDate(local.date))
      && schedule.windows.some((w) => w.day === yesterday && w.end <= w.start && m < w.end));
}

/** Whether the schedule alone (no override) has the phone open at this instant. */
export function scheduledOpen(schedule: Schedule, at: number): boolean {
  return openAt(schedule, localTime(formatter(schedule.timeZone), at));
}

/**
 * The first instant after `at` when the schedule turns `open` (true: opens, false: closes), within the horizon.
 * Steps from boundary to boundary in local wall-clock time; where a daylight-saving jump moved the
 * boundary, the exact minute is found by bisection, so the answer is always an instant the state really changes.
 */
export function nextChangeTo(schedule: Schedule, at: number, open: boolean, horizonDays = HORIZON_DAYS): number | undefined {
  const format = formatter(schedule.timeZone);
  const isOpen = (t: number): boolean => openAt(schedule, localTime(format, t));
  const boundaries = [...new Set([0, ...(schedule.windows ?? []).flatMap((w) => [w.start, w.end % MINUTES_PER_DAY])])]
    .sort((a, b) => a - b);
  const limit = at + horizonDays * DAY_MS;
  let t = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  let state = isOpen(t);
  while (t < limit) {
    const local = localTime(format, t);
    const next = boundaries.find((b) => b > local.minute) ?? MINUTES_PER_DAY;
    const later = t + (next - local.minute) * MINUTE_MS;
    const laterState = isOpen(later);
    if (laterState !== state) {
      const changed = firstMinute(t, later, (x) => isOpen(x) === laterState);
      if (laterState === open && changed > at) return changed;
      state = laterState;
    }
    t = later;
  }
  return undefined;
}

/** The first whole minute in (low, high] where `test` holds, given that it holds at high and not at low. */
function firstMinute(low: number, high: number, test: (t: number) => boolean): number {
  let lo = low;
  let hi = high;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / MINUTE_MS / 2) * MINUTE_MS;
    if (test(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** When a member's OPEN (open: true) or CLOSED sent at `at` stops applying. */
export function overrideUntil(schedule: Schedule, at: number, open: boolean): number {
  return nextChangeTo(schedule, at, !open) ?? at + HORIZON_DAYS * DAY_MS;
}

export interface Hours {
  open: boolean;
  /** When that changes; undefined when it does not within the horizon. */
  until: number | undefined;
  /** The member's override in force, if any. */
  override: Override | undefined;
}

/** Open or closed at `at`, and until when: a live override wins over the schedule. */
export function hoursAt(schedule: Schedule, at: number, override: Override | undefined): Hours {
  if (override !== undefined && at < override.until) return { open: override.open, until: override.until, override };
  const open = scheduledOpen(schedule, at);
  return { open, until: nextChangeTo(schedule, at, !open), override: undefined };
}

/** A moment in the team's time zone, as short as is clear from `now`: `17:00`, `Tue 09:00`, `2026-12-28 09:00`. */
export function formatLocal(at: number, now: number, timeZone: string): string {
  const format = formatter(timeZone);
  const when = localTime(format, at);
  const hhmm = `${String(Math.floor(when.minute / 60)).padStart(2, '0')}:${String(when.minute % 60).padStart(2, '0')}`;
  if (when.date === localTime(format, now).date) return hhmm;
  if (at - now < 6 * DAY_MS) return `${DAYS[when.day] ?? ''} ${hhmm}`;
  return `${when.date} ${hhmm}`;
}

/** The first holiday on or after today's local date. */
export function nextHoliday(schedule: Schedule, at: number): string | undefined {
  const today = localTime(formatter(schedule.timeZone), at).date;
  return schedule.holidays.find((d) => d >= today);
}

/**
 * The schedule as understood, for the doctor and the logs:
 * "open now, until 17:00 America/Chicago; next holiday 2026-12-25".
 */
export function describeSchedule(schedule: Schedule, at: number, override?: Override): string {
  const hours = hoursAt(schedule, at, override);
  const state = hours.open ? 'open now' : 'closed now';
  const until = hours.until === undefined
    ? (hours.open ? ', around the clock' : `, no opening in the next ${HORIZON_DAYS} days`)
    : `, until ${formatLocal(hours.until, at, schedule.timeZone)} ${schedule.timeZone}`;
  const by = hours.override === undefined ? '' : ` (${hours.open ? 'opened' : 'closed'} by ${hours.override.by})`;
  const holiday = nextHoliday(schedule, at);
  return `${state}${until}${by}${holiday === undefined ? '' : `; next holiday ${holiday}`}`;
}

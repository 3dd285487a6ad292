/** Business hours as the functions use them: the configured schedule, a member's override, and how "until" is written. */
import { Config } from './config';
import { formatLocal, Hours, hoursAt, Override, Schedule } from './schedule';

export function scheduleOf(config: Config): Schedule {
  return { windows: config.openHours, holidays: config.holidays, timeZone: config.timeZone };
}

/** Open or closed at `now`, with the override from Sync when there is one. */
export function currentHours(config: Config, now: number, override: Override | undefined): Hours {
  return hoursAt(scheduleOf(config), now, override);
}

/** Whether members need to hear about hours at all: hours or holidays set, one unreadable, or an override in force. */
export function hoursInUse(config: Config, hours: Hours): boolean {
  return config.openHours !== undefined || config.holidays.length > 0 || config.unreadableHours.length > 0 || hours.override !== undefined;
}

/** "Tue 09:00 America/Chicago": the team's own clock, with its name so nobody converts by hand. */
export function untilText(config: Config, until: number, now: number): string {
  return `${formatLocal(until, now, config.timeZone)} ${config.timeZone}`;
}

import { DateTime } from 'luxon';
import { weekdays, type RecurringSchedule, type Schedule } from '../../common/domain/schedule';

// When a recurring sync runs next. Computed here with luxon rather than by node-schedule's
// recurrence rules: node-schedule skips or doubles runs at DST changes and never fires a rule for
// day 31 in shorter months (see engineering-notes.md). node-schedule only gets one-shot dates.
//
// The rule: each local calendar day that the schedule selects yields exactly one instant, the
// wall-clock time `at` on that day in the schedule's zone.
//  - A time inside a spring-forward gap is moved forward by the gap (02:30 → 03:30).
//  - A time that occurs twice at a fall-back change runs at its first occurrence only.
//  - Monthly days past the month's end run on the month's last day.

export interface ScheduledTime {
  at: Date;
  /** The local wall-clock time the run happens at, e.g. "2026-03-08 03:30 EDT". */
  local: string;
  dst?: { kind: 'shifted' | 'repeated'; note: string };
}

/** Days to look ahead before giving up: a monthly schedule always matches within 31 days. */
const SEARCH_DAYS = 400;

function hourMinute(at: string): { hour: number; minute: number } {
  const [h, m] = at.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

function selectsDay(s: RecurringSchedule, day: DateTime): boolean {
  switch (s.kind) {
    case 'daily':
      return true;
    case 'weekly':
      return weekdays[day.weekday - 1] === s.weekday;
    case 'monthly':
      return day.day === Math.min(s.dayOfMonth, day.daysInMonth ?? 28);
  }
}

/** The instant of wall-clock `at` on the local day `day` (first occurrence when repeated). */
function instantOn(s: RecurringSchedule, day: DateTime): DateTime {
  const { hour, minute } = hourMinute(s.at);
  const wall = { year: day.year, month: day.month, day: day.day, hour, minute };
  // luxon resolves an ambiguous wall time to one of its two instants; take the earlier one.
  const candidate = DateTime.fromObject(wall, { zone: s.timeZone });
  const earlier = candidate.minus({ hours: 1 });
  const sameWall = earlier.hour === hour && earlier.minute === minute && earlier.day === day.day;
  return sameWall ? earlier : candidate;
}

function describe(s: RecurringSchedule, t: DateTime): ScheduledTime {
  const { hour, minute } = hourMinute(s.at);
  const local = t.toFormat('yyyy-LL-dd HH:mm ZZZZ');
  if (t.hour !== hour || t.minute !== minute) {
    return { at: t.toJSDate(), local, dst: { kind: 'shifted', note: `${s.at} does not exist that day (clocks go forward); runs at ${t.toFormat('HH:mm')}` } };
  }
  const later = t.plus({ hours: 1 });
  if (later.hour === hour && later.minute === minute) {
    return { at: t.toJSDate(), local, dst: { kind: 'repeated', note: `${s.at} occurs twice that day (clocks go back); runs once, at the first` } };
  }
  return { at: t.toJSDate(), local };
}

/** The first run strictly after `after`, or null for a one-time sync. */
export function nextRunAfter(schedule: Schedule, after: Date): ScheduledTime | null {
  if (schedule.kind === 'once') return null;
  const from = DateTime.fromJSDate(after, { zone: schedule.timeZone });
  // Start a day early: the zone's previous local day may still hold a later instant near midnight.
  let day = from.startOf('day').minus({ days: 1 });
  for (let i = 0; i < SEARCH_DAYS; i += 1, day = day.plus({ days: 1 })) {
    if (!selectsDay(schedule, day)) continue;
    const t = instantOn(schedule, day);
    if (t.toMillis() > after.getTime()) return describe(schedule, t);
  }
  return null;
}

/** The next `count` runs after `from` (the "next runs" preview in the UI and CLI). */
export function previewRuns(schedule: Schedule, from: Date, count: number): ScheduledTime[] {
  const out: ScheduledTime[] = [];
  let cursor = from;
  while (out.length < count) {
    const next = nextRunAfter(schedule, cursor);
    if (!next) break;
    out.push(next);
    cursor = next.at;
  }
  return out;
}

/**
 * Whether a run came due while ListSync was closed: the stored next run time has passed. Many
 * missed slots still mean one catch-up run, not one per slot.
 */
export function missedRunDue(nextRunAt: string | null, now: Date): boolean {
  return nextRunAt !== null && Date.parse(nextRunAt) <= now.getTime();
}

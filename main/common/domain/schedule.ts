import { z } from 'zod';

// When a sync retrieves data: once (at creation or on demand), or daily / weekly / monthly at a
// wall-clock time in an IANA time zone. The zone is stored with the schedule because a sync's
// time means the user's local time, across DST changes, not a fixed UTC offset.

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Time must be HH:MM on a 24-hour clock, e.g. 09:30');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().min(1).refine(isTimeZone, { message: 'Unknown time zone (use an IANA name such as Europe/Berlin)' });

export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once') }).strict(),
  z.object({ kind: z.literal('daily'), at: timeOfDay, timeZone }).strict(),
  z.object({ kind: z.literal('weekly'), weekday: z.enum(weekdays), at: timeOfDay, timeZone }).strict(),
  z
    .object({
      kind: z.literal('monthly'),
      // 29–31 are allowed: in shorter months the run happens on the month's last day.
      dayOfMonth: z.number().int().min(1, 'Day of month is 1–31').max(31, 'Day of month is 1–31'),
      at: timeOfDay,
      timeZone,
    })
    .strict(),
]);
export type Schedule = z.infer<typeof scheduleSchema>;
export type RecurringSchedule = Exclude<Schedule, { kind: 'once' }>;

export function isRecurring(s: Schedule): s is RecurringSchedule {
  return s.kind !== 'once';
}

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Daily at 09:30 (Asia/Kolkata)" — the words the UI and CLI show. */
export function describeSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'once':
      return 'Retrieve data once';
    case 'daily':
      return `Daily at ${s.at} (${s.timeZone})`;
    case 'weekly':
      return `Weekly on ${capitalize(s.weekday)} at ${s.at} (${s.timeZone})`;
    case 'monthly': {
      const tail = s.dayOfMonth > 28 ? ', or the month’s last day if shorter' : '';
      return `Monthly on the ${ordinal(s.dayOfMonth)}${tail} at ${s.at} (${s.timeZone})`;
    }
  }
}

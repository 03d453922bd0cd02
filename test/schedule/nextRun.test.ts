import { describe, expect, it } from 'vitest';
import { describeSchedule, type Schedule } from '../../main/common/domain/schedule';
import { nextRunAfter, previewRuns } from '../../main/core/schedule/nextRun';

const iso = (runs: { at: Date }[]) => runs.map((r) => r.at.toISOString());

describe('next run times', () => {
  it('a one-time sync has no next run', () => {
    expect(nextRunAfter({ kind: 'once' }, new Date())).toBeNull();
  });

  it('daily in a zone without DST (Asia/Kolkata)', () => {
    const s: Schedule = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' };
    expect(iso(previewRuns(s, new Date('2026-01-01T03:30:00Z'), 3))).toEqual([
      '2026-01-02T03:30:00.000Z', '2026-01-03T03:30:00.000Z', '2026-01-04T03:30:00.000Z',
    ]);
    // Just before the slot, the slot itself is next.
    expect(nextRunAfter(s, new Date('2026-01-01T03:29:59Z'))?.at.toISOString()).toBe('2026-01-01T03:30:00.000Z');
  });

  it('America/New_York: a time in the spring gap runs once, shifted; a repeated autumn time runs once, at the first', () => {
    const s: Schedule = { kind: 'daily', at: '02:30', timeZone: 'America/New_York' };
    const spring = previewRuns(s, new Date('2026-03-07T12:00:00Z'), 3);
    expect(iso(spring)).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
    expect(spring[0]?.dst?.kind).toBe('shifted');
    expect(spring[0]?.local).toBe('2026-03-08 03:30 EDT');

    const a: Schedule = { kind: 'daily', at: '01:30', timeZone: 'America/New_York' };
    const autumn = previewRuns(a, new Date('2026-10-31T12:00:00Z'), 3);
    expect(iso(autumn)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', '2026-11-03T06:30:00.000Z']);
    expect(autumn[0]?.dst?.kind).toBe('repeated');
    // From between the two 01:30s, the second one is not a new run.
    expect(nextRunAfter(a, new Date('2026-11-01T05:45:00Z'))?.at.toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });

  it('Europe/Berlin across both changes', () => {
    const s: Schedule = { kind: 'daily', at: '02:30', timeZone: 'Europe/Berlin' };
    expect(iso(previewRuns(s, new Date('2026-03-28T12:00:00Z'), 2))).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(iso(previewRuns(s, new Date('2026-10-24T12:00:00Z'), 2))).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('Australia/Sydney (southern hemisphere: DST ends in April, starts in October)', () => {
    const s: Schedule = { kind: 'daily', at: '02:30', timeZone: 'Australia/Sydney' };
    const april = previewRuns(s, new Date('2026-04-04T00:00:00Z'), 2);
    expect(iso(april)).toEqual(['2026-04-04T15:30:00.000Z', '2026-04-05T16:30:00.000Z']);
    expect(april[0]?.dst?.kind).toBe('repeated');
    const october = previewRuns(s, new Date('2026-10-03T00:00:00Z'), 2);
    expect(iso(october)).toEqual(['2026-10-03T16:30:00.000Z', '2026-10-04T15:30:00.000Z']);
    expect(october[0]?.dst?.kind).toBe('shifted');
  });

  it('weekly on a weekday', () => {
    const s: Schedule = { kind: 'weekly', weekday: 'monday', at: '08:00', timeZone: 'Europe/Berlin' };
    // 2026-11-25 is a Wednesday.
    expect(iso(previewRuns(s, new Date('2026-11-25T10:00:00Z'), 2))).toEqual(['2026-11-30T07:00:00.000Z', '2026-12-07T07:00:00.000Z']);
  });

  it('monthly on the 29th–31st runs on the last day of shorter months, once per month', () => {
    const m31: Schedule = { kind: 'monthly', dayOfMonth: 31, at: '10:00', timeZone: 'UTC' };
    expect(iso(previewRuns(m31, new Date('2026-01-01T00:00:00Z'), 5))).toEqual([
      '2026-01-31T10:00:00.000Z', '2026-02-28T10:00:00.000Z', '2026-03-31T10:00:00.000Z', '2026-04-30T10:00:00.000Z', '2026-05-31T10:00:00.000Z',
    ]);
    const m29: Schedule = { kind: 'monthly', dayOfMonth: 29, at: '10:00', timeZone: 'UTC' };
    expect(iso(previewRuns(m29, new Date('2028-01-30T00:00:00Z'), 2))).toEqual(['2028-02-29T10:00:00.000Z', '2028-03-29T10:00:00.000Z']);
    expect(iso(previewRuns(m29, new Date('2027-01-30T00:00:00Z'), 2))).toEqual(['2027-02-28T10:00:00.000Z', '2027-03-29T10:00:00.000Z']);
    const m30: Schedule = { kind: 'monthly', dayOfMonth: 30, at: '23:30', timeZone: 'Asia/Kolkata' };
    expect(iso(previewRuns(m30, new Date('2026-02-01T00:00:00Z'), 2))).toEqual(['2026-02-28T18:00:00.000Z', '2026-03-30T18:00:00.000Z']);
  });

  it('describes schedules in the product’s words', () => {
    expect(describeSchedule({ kind: 'once' })).toBe('Retrieve data once');
    expect(describeSchedule({ kind: 'weekly', weekday: 'friday', at: '07:15', timeZone: 'Asia/Kolkata' })).toBe('Weekly on Friday at 07:15 (Asia/Kolkata)');
    expect(describeSchedule({ kind: 'monthly', dayOfMonth: 31, at: '10:00', timeZone: 'UTC' })).toMatch(/^Monthly on the 31st, or the month’s last day/);
  });
});

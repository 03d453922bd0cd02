// Time zones under the names people know (Chromium and Node list ICU's older ones).
import { describe, expect, it } from 'vitest';
import { currentZoneName, timeZones } from './timeZones';

describe('time zones', () => {
  it('offers today\'s IANA names instead of the renamed ones', () => {
    const zones = timeZones();
    for (const [old, current] of [['Asia/Calcutta', 'Asia/Kolkata'], ['Europe/Kiev', 'Europe/Kyiv'], ['Asia/Saigon', 'Asia/Ho_Chi_Minh']]) {
      expect(zones).toContain(current);
      expect(zones).not.toContain(old);
      expect(currentZoneName(old!)).toBe(current);
    }
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect([...zones].sort((a, b) => a.localeCompare(b))).toEqual(zones);
    expect(new Set(zones).size).toBe(zones.length);
  });

  it('leaves names that were never renamed alone', () => {
    expect(currentZoneName('Europe/Berlin')).toBe('Europe/Berlin');
    expect(currentZoneName('Not/AZone')).toBe('Not/AZone');
  });
});

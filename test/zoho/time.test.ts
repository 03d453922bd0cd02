import { describe, expect, it } from 'vitest';
import { formatZohoTime, parseZohoTime } from '../../main/core/zoho';

describe('Zoho timestamps', () => {
  const instant = Date.UTC(2013, 9, 7, 12, 54, 51); // 2013-10-07T18:24:51+0530

  it('reads Zoho\'s offset without a colon and the ISO forms', () => {
    expect(parseZohoTime('2013-10-07T18:24:51+0530')).toBe(instant);
    expect(parseZohoTime('2013-10-07T18:24:51+05:30')).toBe(instant);
    expect(parseZohoTime('2013-10-07T12:54:51Z')).toBe(instant);
    expect(parseZohoTime('2013-10-07T12:54:51.250Z')).toBe(instant + 250);
    expect(parseZohoTime('2013-10-07T05:54:51-0700')).toBe(instant);
    expect(parseZohoTime('2013-10-07T12:54:51')).toBe(instant); // no offset: UTC
    expect(parseZohoTime('2013-10-07')).toBe(Date.UTC(2013, 9, 7));
  });

  it('gives NaN for anything else', () => {
    for (const bad of ['', 'yesterday', '2013-02-30T00:00:00Z', '2013-13-01', '07/10/2013', null, undefined]) {
      expect(parseZohoTime(bad)).toBeNaN();
    }
  });

  it('formats like Zoho, and reads back what it wrote', () => {
    expect(formatZohoTime(instant, 330)).toBe('2013-10-07T18:24:51+0530');
    expect(formatZohoTime(instant, -420)).toBe('2013-10-07T05:54:51-0700');
    expect(formatZohoTime(instant, 0)).toBe('2013-10-07T12:54:51+0000');
    for (const offset of [-600, -210, 0, 60, 345, 540]) expect(parseZohoTime(formatZohoTime(instant, offset))).toBe(instant);
  });
});

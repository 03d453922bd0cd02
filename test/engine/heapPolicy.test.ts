// The sync process asks V8 to collect its old generation sooner (main/core/heapPolicy.ts): the
// figure comes from the code unless LISTSYNC_HEAP_GROWING_PERCENT gives a whole number.
import { describe, expect, it } from 'vitest';
import { defaultHeapGrowingPercent, heapGrowingPercentFrom } from '../../main/core/heapPolicy';

describe('heap growing percent', () => {
  it('is the default without an override', () => {
    expect(heapGrowingPercentFrom({})).toBe(defaultHeapGrowingPercent);
    expect(defaultHeapGrowingPercent).toBeGreaterThan(0);
  });

  it("takes a whole number, 0 meaning V8's own heuristics", () => {
    expect(heapGrowingPercentFrom({ LISTSYNC_HEAP_GROWING_PERCENT: '100' })).toBe(100);
    expect(heapGrowingPercentFrom({ LISTSYNC_HEAP_GROWING_PERCENT: ' 0 ' })).toBe(0);
  });

  it('ignores anything else rather than passing it to V8', () => {
    for (const text of ['', 'fast', '-5', '1.5', '50 --expose-gc', '99999']) {
      expect(heapGrowingPercentFrom({ LISTSYNC_HEAP_GROWING_PERCENT: text })).toBe(defaultHeapGrowingPercent);
    }
  });
});

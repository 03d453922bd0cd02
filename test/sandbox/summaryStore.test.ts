import { describe, expect, it } from 'vitest';
import { SummaryStore } from '../../main/core/sandbox/summaryStore';

describe('SummaryStore', () => {
  it('gives back each slot\'s bytes across chunk boundaries, after overwrites and deletions', () => {
    const store = new SummaryStore();
    const texts = new Map<number, string>();
    // ~3 MB of mixed ASCII and multi-byte text: several chunks (256 KB, 512 KB, 1 MB, 2 MB).
    for (let slot = 0; slot < 12_000; slot += 1) {
      const text = JSON.stringify({ slot, name: `Zoë ${'ü'.repeat(slot % 50)} 名前 ${slot}`, pad: 'x'.repeat(slot % 200) });
      texts.set(slot * 3, text); // sparse slots
      expect(store.set(slot * 3, text).toString('utf8')).toBe(text);
    }
    for (const slot of [0, 30, 3_000, 35_997]) {
      const text = `{"changed":${slot}}`;
      store.delete(slot);
      expect(store.get(slot)).toBeNull();
      store.set(slot, text);
      texts.set(slot, text);
    }
    store.delete(6);
    texts.delete(6);
    for (let slot = 0; slot < 36_010; slot += 1) {
      const got = store.get(slot);
      expect(got === null ? null : got.toString('utf8')).toBe(texts.get(slot) ?? null);
    }
    const expectedBytes = [...texts.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
    expect(store.bytes).toBe(expectedBytes);
  });
});

// The run's compact set of seen IDs and addresses must behave exactly like a Set of strings.
import { describe, expect, it } from 'vitest';
import { CompactStringSet } from '../../main/core/sync/compactSet';

describe('CompactStringSet', () => {
  it('agrees with a Set<string> through growth, ASCII or not', () => {
    const compact = new CompactStringSet();
    const reference = new Set<string>();
    let seed = 11;
    const random = () => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
      return seed / 2 ** 32;
    };
    const value = () => {
      const n = Math.floor(random() * 50_000);
      const r = random();
      if (r < 0.01) return `jöhn${n}@münchen.de`;
      if (r < 0.02) return 'x'.repeat(250 + (n % 10));
      if (r < 0.03) return '';
      return r < 0.5 ? String(460_000_000_000_000 + n) : `person${n}@example${n % 7}.org`;
    };
    for (let i = 0; i < 60_000; i += 1) {
      const v = value();
      expect(compact.add(v)).toBe(!reference.has(v));
      reference.add(v);
      const q = value();
      expect(compact.has(q)).toBe(reference.has(q));
    }
    expect(compact.size).toBe(reference.size);
    for (const v of reference) expect(compact.has(v)).toBe(true);
    // In order, a chunk at a time: short ASCII ones by byte (SQLite's order), then the others.
    const plain = (v: string) => v.length <= 255 && [...v].every((ch) => ch.charCodeAt(0) < 128);
    const chunks = [...compact.sortedChunks(1000)];
    expect(chunks.every((c) => c.length <= 1000)).toBe(true);
    expect(chunks.flat()).toEqual([...[...reference].filter(plain).sort(), ...[...reference].filter((v) => !plain(v)).sort()]);
    compact.clear();
    expect(compact.size).toBe(0);
    expect([...compact.sortedChunks(10)]).toEqual([]);
    for (const v of reference) expect(compact.has(v)).toBe(false);
    expect(compact.add('again@example.com')).toBe(true);
    expect([...compact.sortedChunks(10)]).toEqual([['again@example.com']]);
  });
});

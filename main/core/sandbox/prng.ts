/*
 * Deterministic randomness for generated organizations. Every field of contact i is derived from
 * (seed, i, field) alone, so any contact can be produced on demand without generating the others:
 * that is what lets a 1M-contact organization start instantly and hold almost nothing in memory.
 * Never Math.random: the same seed must give the same organization on every machine.
 */

/** A 32-bit avalanche mix (murmur3's finalizer). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Combines values into one well-mixed 32-bit hash. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix32(h ^ mix32((p >>> 0) + Math.floor(p / 4294967296)));
  return h;
}

/** Field streams, so adding a field never changes the values of the others. */
export const stream = {
  category: 1,
  country: 2,
  person: 3,
  company: 4,
  email: 5,
  kind: 6,
  time: 7,
  phone: 8,
  address: 9,
  custom: 10,
  misc: 11,
  duplicate: 12,
  notes: 13,
  persons: 14,
  web: 15,
} as const;

/** mulberry32: a small, fast, good-enough PRNG for test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [0, 1) for one field of one contact. */
export function uniform(seed: number, index: number, field: number): number {
  return hash32(seed, index, field) / 4294967296;
}

/** A PRNG for one field of one contact, when the field needs several draws. */
export function fieldRng(seed: number, index: number, field: number): () => number {
  return mulberry32(hash32(seed, index, field));
}

export function pick<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))] as T;
}

/** Picks by weight; `r` in [0, 1). */
export function pickWeighted<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1] as T;
}

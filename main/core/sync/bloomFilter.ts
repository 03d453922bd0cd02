/**
 * A Bloom filter over strings: "certainly not added" or "maybe added". A run's seen-sets put it in
 * front of their part on disk, so the common answer (not seen yet) costs no SQLite lookup. Written
 * here rather than taken from npm: it must hash strings the way the rest of the run's sets do
 * (without encoding them first), and it is a few lines over a typed array.
 */
export class BloomFilter {
  private readonly bits: Int32Array;
  private readonly size: number;

  /**
   * Sized for `capacity` entries at 10 bits each (a false "maybe" about 1 in 100 at capacity);
   * past capacity it stays correct and grows less selective.
   */
  constructor(capacity: number, private readonly hashes = 7) {
    this.size = Math.max(1024, Math.ceil(capacity * 10 / 32) * 32);
    this.bits = new Int32Array(this.size >>> 5);
  }

  add(value: string): void {
    const [a, b] = hashPair(value);
    this.addHashed(a, b);
  }

  mightHave(value: string): boolean {
    const [a, b] = hashPair(value);
    return this.mightHaveHashed(a, b);
  }

  /** add() with the value's hashPair() computed once by the caller (a value tested against several filters). */
  addHashed(a: number, b: number): void {
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = this.bitOf(a, b, i);
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  mightHaveHashed(a: number, b: number): boolean {
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = this.bitOf(a, b, i);
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** The i-th probe, scaled onto the bits by multiplication (no power-of-two size needed). */
  private bitOf(a: number, b: number, i: number): number {
    return Math.floor((((a + Math.imul(i, b)) >>> 0) * this.size) / 4294967296);
  }
}

const pair: [number, number] = [0, 0];

/**
 * Two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a multiply-xorshift), the
 * second made odd so the probe sequence (Kirsch–Mitzenmacher double hashing) visits distinct bits.
 * Returns a shared tuple: read it before the next call.
 */
export function hashPair(value: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  pair[0] = h1 >>> 0;
  pair[1] = (h2 | 1) >>> 0;
  return pair;
}

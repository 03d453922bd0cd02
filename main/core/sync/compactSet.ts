/**
 * An exact set of short strings with no JS object per entry: ASCII strings' characters in one
 * growing Uint8Array, an open-addressing table of their offsets and lengths in typed arrays. A run
 * remembers up to hundreds of thousands of Zoho IDs and addresses; as a Set<string> they cost
 * ~70 bytes each in the V8 heap and, long-lived among a run's garbage, make the heap grow several
 * times their size. Here they cost their bytes plus ~11, outside the heap. The rare string that is
 * not short ASCII goes to an ordinary Set.
 */
export class CompactStringSet {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Offset + 1 of each slot's entry (0: empty). */
  private offsets = new Int32Array(1 << 12);
  private lengths = new Uint8Array(1 << 12);
  /** Each entry's length in the order added: with `bytes`, the entries in that order. */
  private addedLengths = new Uint8Array(1 << 12);
  private entries = 0;
  private readonly others = new Set<string>();

  get size(): number {
    return this.entries + this.others.size;
  }

  has(value: string): boolean {
    if (!isShortAscii(value)) return this.others.has(value);
    return this.offsets[this.find(value, hash(value))] !== 0;
  }

  /** Adds `value`; false when it was there already. */
  add(value: string): boolean {
    if (!isShortAscii(value)) {
      if (this.others.has(value)) return false;
      this.others.add(value);
      return true;
    }
    let slot = this.find(value, hash(value));
    if (this.offsets[slot] !== 0) return false;
    if ((this.entries + 1) * 2 > this.offsets.length) {
      this.grow();
      slot = this.find(value, hash(value));
    }
    if (this.used + value.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + value.length));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    for (let i = 0; i < value.length; i += 1) this.bytes[this.used + i] = value.charCodeAt(i);
    this.offsets[slot] = this.used + 1;
    this.lengths[slot] = value.length;
    if (this.entries === this.addedLengths.length) {
      const longer = new Uint8Array(this.addedLengths.length * 2);
      longer.set(this.addedLengths);
      this.addedLengths = longer;
    }
    this.addedLengths[this.entries] = value.length;
    this.used += value.length;
    this.entries += 1;
    return true;
  }

  /**
   * Every value in ascending order (the ASCII ones by byte, as SQLite's BINARY collation orders
   * them; then the others), `size` at a time. The values become strings for the sort: V8's own
   * comparison of one-byte strings beats a JS comparator over the stored bytes (a flush of 100,000
   * addresses took a third of the time, bench/), for a few MB held during the flush. They are
   * sorted from the order they were added in: Zoho IDs, read by creation time, arrive nearly in
   * order, which V8's merge sort takes in one linear pass (1M IDs alone: ~0.5 s less, bench/).
   */
  *sortedChunks(size: number): IterableIterator<string[]> {
    const bytes = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.used);
    const values: string[] = [];
    for (let i = 0, at = 0; i < this.entries; i += 1) {
      const length = this.addedLengths[i] as number;
      values.push(bytes.toString('latin1', at, at + length));
      at += length;
    }
    // Default sort compares UTF-16 code units: byte order for ASCII.
    values.sort();
    for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
    const others = [...this.others].sort();
    for (let i = 0; i < others.length; i += size) yield others.slice(i, i + size);
  }

  /** Empties the set, keeping its grown buffers for the values that follow. */
  clear(): void {
    this.offsets.fill(0);
    this.used = 0;
    this.entries = 0;
    this.others.clear();
  }

  /** The slot holding `value`, or the empty slot where it would go (linear probing). */
  private find(value: string, h: number): number {
    const mask = this.offsets.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.offsets[slot] as number;
      if (at === 0) return slot;
      if (this.lengths[slot] === value.length && this.equals(at - 1, value)) return slot;
    }
  }

  private equals(offset: number, value: string): boolean {
    for (let i = 0; i < value.length; i += 1) if (this.bytes[offset + i] !== value.charCodeAt(i)) return false;
    return true;
  }

  private grow(): void {
    const oldOffsets = this.offsets;
    const oldLengths = this.lengths;
    this.offsets = new Int32Array(oldOffsets.length * 2);
    this.lengths = new Uint8Array(oldOffsets.length * 2);
    const mask = this.offsets.length - 1;
    for (let i = 0; i < oldOffsets.length; i += 1) {
      const at = oldOffsets[i] as number;
      if (at === 0) continue;
      const length = oldLengths[i] as number;
      let h = 0x811c9dc5;
      for (let k = 0; k < length; k += 1) h = Math.imul(h ^ (this.bytes[at - 1 + k] as number), 0x01000193);
      let slot = (h >>> 0) & mask;
      while (this.offsets[slot] !== 0) slot = (slot + 1) & mask;
      this.offsets[slot] = at;
      this.lengths[slot] = length;
    }
  }
}

/** ASCII and at most 255 characters (the length fits a byte; addresses are at most 254). */
function isShortAscii(value: string): boolean {
  if (value.length > 255) return false;
  for (let i = 0; i < value.length; i += 1) if (value.charCodeAt(i) > 127) return false;
  return true;
}

/** FNV-1a over the characters (the same as over the stored bytes, for ASCII). */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

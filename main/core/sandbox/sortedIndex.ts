/**
 * Contact slots kept in one sort order. Built once per organization and column (on first use),
 * then kept in order by single inserts and removals as contacts change, so a request never re-sorts
 * a million contacts.
 */
export class SortedIndex {
  private slots: Uint32Array;
  private size: number;

  /** `sorted` must already be in order under `compare`. */
  constructor(sorted: Uint32Array, private readonly compare: (a: number, b: number) => number) {
    this.slots = sorted;
    this.size = sorted.length;
  }

  get length(): number {
    return this.size;
  }

  at(position: number): number {
    return this.slots[position] as number;
  }

  /** The slots in order (a view; do not keep it across changes). */
  view(): Uint32Array {
    return this.slots.subarray(0, this.size);
  }

  insert(slot: number): void {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.slots[mid] as number, slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (this.size === this.slots.length) {
      const grown = new Uint32Array(Math.max(16, Math.ceil(this.slots.length * 1.5)));
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots.copyWithin(lo + 1, lo, this.size);
    this.slots[lo] = slot;
    this.size += 1;
  }

  remove(slot: number): boolean {
    const at = this.view().indexOf(slot);
    if (at < 0) return false;
    this.slots.copyWithin(at, at + 1, this.size);
    this.size -= 1;
    return true;
  }
}

/** Sorts slots by precomputed keys, ties by slot (so the order is total and stable). */
export function sortSlots(slots: Uint32Array, keys: ArrayLike<number> | readonly string[]): Uint32Array {
  const order = Array.from(slots, (_, position) => position);
  const k = keys as ArrayLike<number | string>;
  order.sort((a, b) => {
    const x = k[a] as number | string;
    const y = k[b] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
    return (slots[a] as number) - (slots[b] as number);
  });
  const out = new Uint32Array(order.length);
  for (let p = 0; p < order.length; p += 1) out[p] = slots[order[p] as number] as number;
  return out;
}

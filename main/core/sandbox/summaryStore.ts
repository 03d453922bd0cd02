/**
 * Serialized contacts by slot, packed into a few large buffers: a million small Buffers would be a
 * million objects for the sandbox process's garbage collector to walk on every major collection,
 * and its replies would stall behind it (measured: seconds idle in a 1M-contact import). Append
 * only: a changed contact's old bytes stay unused in their chunk until the store is dropped.
 */
const firstChunkBytes = 256 * 1024;
const maxChunkBytes = 16 * 1024 * 1024;

export class SummaryStore {
  private readonly chunks: Buffer[] = [];
  private used = 0;
  private chunkSize = 0; // no chunk yet
  private chunkOf = new Int32Array(0);
  private offsetOf = new Uint32Array(0);
  private lengthOf = new Uint32Array(0);
  /** Bytes of the summaries currently stored (changed contacts' old bytes not counted). */
  bytes = 0;

  get(slot: number): Buffer | null {
    if (slot >= this.chunkOf.length) return null;
    const chunk = this.chunkOf[slot]!;
    if (chunk === 0) return null;
    const at = this.offsetOf[slot]!;
    return this.chunks[chunk - 1]!.subarray(at, at + this.lengthOf[slot]!);
  }

  set(slot: number, text: string): Buffer {
    const length = Buffer.byteLength(text, 'utf8');
    if (length > maxChunkBytes) return Buffer.from(text, 'utf8');
    if (this.used + length > this.chunkSize) {
      // Chunks double up to 16 MB: a demo organization's few thousand contacts take one small one.
      this.chunkSize = Math.min(maxChunkBytes, Math.max(firstChunkBytes, this.chunkSize * 2, length));
      this.chunks.push(Buffer.allocUnsafe(this.chunkSize));
      this.used = 0;
    }
    this.grow(slot + 1);
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk.write(text, this.used, 'utf8');
    this.chunkOf[slot] = this.chunks.length; // 1-based: 0 is "none"
    this.offsetOf[slot] = this.used;
    this.lengthOf[slot] = length;
    this.used += length;
    this.bytes += length;
    return chunk.subarray(this.used - length, this.used);
  }

  delete(slot: number): void {
    if (slot >= this.chunkOf.length || this.chunkOf[slot] === 0) return;
    this.bytes -= this.lengthOf[slot]!;
    this.chunkOf[slot] = 0;
  }

  private grow(size: number): void {
    if (size <= this.chunkOf.length) return;
    const capacity = Math.max(size, this.chunkOf.length * 2, 1024);
    const grown = <T extends Int32Array | Uint32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.chunkOf = grown(this.chunkOf, new Int32Array(capacity));
    this.offsetOf = grown(this.offsetOf, new Uint32Array(capacity));
    this.lengthOf = grown(this.lengthOf, new Uint32Array(capacity));
  }
}

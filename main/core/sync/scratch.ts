import type { Database, Statement } from 'better-sqlite3';
import { BloomFilter, hashPair } from './bloomFilter';
import { CompactStringSet } from './compactSet';

/**
 * Entries a run keeps in memory per set before they go to its TEMP table: ~9 MB for the IDs and
 * addresses of 100,000 contacts, outside the V8 heap.
 */
export const scratchMemoryEntries = 100_000;

/** The TEMP database's page cache, KiB. */
const tempCacheKiB = 2048;

/**
 * Generations a set writes before its later flushes share one last generation: a value that may
 * be on disk is tested against every generation's filter, so their number stays bounded (past 16
 * flushes, 1.6M values at the default bound, the last generation takes its values out of key
 * order, as a single table did).
 */
const maxGenerations = 16;

/** Values that may be on disk, filed by the generation whose filter might hold them. */
type Candidates = Map<number, string[]>;

/**
 * One set of strings a run has seen (Zoho contact IDs, or addresses), exact, with memory bounded
 * however large the organization: the newest `memoryLimit` values in a compact in-memory set; when
 * that fills, they go to the set's TEMP table as a new generation, sorted, keyed by (generation,
 * value): each flush appends after the last one's rows, every B-tree page is written once, and a
 * flush costs the same however much is already on disk. (Keyed by value alone, each flush reached
 * into the pages of all before it: 80 ms for the first 100,000 addresses, 220 ms for the tenth.
 * A run's seen-sets for 1M contacts: 4.3–4.8 s instead of 5.3–7.2; measured, bench/.) A Bloom
 * filter over all generations, then one per generation, keep a lookup of a value never seen
 * (nearly every lookup) off the disk. Lookups and inserts take a whole page or batch: one
 * statement per generation that might hold one of them.
 */
class SeenSet {
  private readonly memory = new CompactStringSet();
  /** Whether any generation might hold a value (sized for ten flushes; past that less selective, never wrong). */
  private anyGeneration: BloomFilter | null = null;
  /** Each generation's filter, oldest first (the last may be shared, see maxGenerations). */
  private readonly generations: BloomFilter[] = [];
  private readonly insert: Statement;
  private readonly known: Statement;

  constructor(db: Database, table: string, column: string, private readonly key: string, private readonly memoryLimit: number) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO temp.${table} (run_key, generation, ${column}) SELECT ?, ?, value FROM json_each(?)`,
    );
    this.known = db.prepare(
      `SELECT ${column} FROM temp.${table} WHERE ${column} IN (SELECT value FROM json_each(?)) AND run_key = ? AND generation = ?`,
    ).pluck();
  }

  /** Which of `values` are in the set. */
  has(values: readonly string[]): Set<string> {
    const found = new Set<string>();
    const onDisk: Candidates | null = this.anyGeneration ? new Map() : null;
    for (const v of values) {
      if (this.memory.has(v)) found.add(v);
      else if (onDisk) this.fileCandidate(v, onDisk);
    }
    if (onDisk) this.lookUp(onDisk, found);
    return found;
  }

  /** Adds `values`; returns those that were not in the set yet (a value given twice counts once). */
  addNew(values: readonly string[]): Set<string> {
    const fresh = new Set<string>();
    if (this.anyGeneration === null && this.memory.size + values.length <= this.memoryLimit) {
      // All of them fit in memory and none is on disk: one lookup each.
      for (const v of values) if (this.memory.add(v)) fresh.add(v);
      return fresh;
    }
    // One pass: a value in memory is known, one no filter has seen is fresh, and only the rest
    // (a few per page) are looked up on disk.
    const onDisk: Candidates | null = this.anyGeneration ? new Map() : null;
    const maybe: string[] = [];
    for (const v of values) {
      if (this.memory.has(v)) continue;
      if (onDisk && this.fileCandidate(v, onDisk)) maybe.push(v);
      else fresh.add(v);
    }
    if (onDisk && maybe.length > 0) {
      const known = new Set<string>();
      this.lookUp(onDisk, known);
      for (const v of maybe) if (!known.has(v)) fresh.add(v);
    }
    this.add([...fresh]);
    return fresh;
  }

  /** Adds `values` (one already on disk may be written again: a later generation holds it twice, harmlessly). */
  add(values: readonly string[]): void {
    for (const v of values) {
      // Below the limit, add() itself skips a value already there (one lookup instead of two).
      if (this.memory.size >= this.memoryLimit && !this.memory.has(v)) this.flush();
      this.memory.add(v);
    }
  }

  /** Files `value` under each generation whose filter might hold it; whether any might. */
  private fileCandidate(value: string, into: Candidates): boolean {
    const [a, b] = hashPair(value);
    if (!this.anyGeneration!.mightHaveHashed(a, b)) return false;
    let maybe = false;
    for (let g = 0; g < this.generations.length; g += 1) {
      if (!this.generations[g]!.mightHaveHashed(a, b)) continue;
      const list = into.get(g);
      if (list) list.push(value);
      else into.set(g, [value]);
      maybe = true;
    }
    return maybe;
  }

  /** Adds to `found` the values each generation holds of those filed under it. */
  private lookUp(candidates: Candidates, found: Set<string>): void {
    for (const [generation, values] of candidates) {
      for (const v of this.known.all(JSON.stringify(values), this.key, generation) as string[]) found.add(v);
    }
  }

  /**
   * Moves the in-memory values to the TEMP table as the next generation, in key order, a few
   * thousand per statement (one JSON text of all of them cost SQLite as many megabytes to parse).
   */
  private flush(): void {
    const generation = Math.min(this.generations.length, maxGenerations - 1);
    const filter = this.generations[generation] ?? new BloomFilter(this.memoryLimit * (generation < maxGenerations - 1 ? 1 : maxGenerations));
    this.generations[generation] = filter;
    const any = (this.anyGeneration ??= new BloomFilter(this.memoryLimit * 10));
    for (const chunk of this.memory.sortedChunks(2000)) {
      for (const v of chunk) {
        const [a, b] = hashPair(v);
        filter.addHashed(a, b);
        any.addHashed(a, b);
      }
      this.insert.run(this.key, generation, JSON.stringify(chunk));
    }
    this.memory.clear();
  }
}

/**
 * Run-scoped scratch state: which Zoho contacts and which addresses this run has seen. Up to
 * `memoryEntries` of each are held in memory (a lookup there costs a fraction of a statement), the
 * rest in SQLite TEMP tables, which live outside the database file (a dry run still writes nothing
 * to it) and on disk, so memory does not grow with the organization's size past that bound.
 */
export class RunScratch {
  private static counter = 0;
  readonly key: string;
  private readonly ids: SeenSet;
  private readonly emails: SeenSet;
  private readonly sources: Statement;
  private readonly contactsOf: Statement;

  constructor(private readonly db: Database, memoryEntries = scratchMemoryEntries) {
    this.key = `${process.pid}-${++RunScratch.counter}`;
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS run_seen_ids (
        run_key TEXT NOT NULL, generation INTEGER NOT NULL, source_id TEXT NOT NULL, PRIMARY KEY (run_key, generation, source_id)
      ) WITHOUT ROWID;
      CREATE TEMP TABLE IF NOT EXISTS run_seen_emails (
        run_key TEXT NOT NULL, generation INTEGER NOT NULL, email TEXT NOT NULL, PRIMARY KEY (run_key, generation, email)
      ) WITHOUT ROWID;
    `);
    // The TEMP database's rollback journal in memory: by default every write statement creates and
    // deletes a journal file (measured: 4× the cost of the insert). Scratch data needs no crash safety.
    db.pragma('temp.journal_mode = MEMORY');
    // The TEMP database's own page cache, which better-sqlite3 builds with a 16 MB default: the
    // scratch of a 1M-contact run filled it, ~15 MB of the malloc heap that a 100k run never uses
    // (nothing spills below 100k). Flushes write its pages in key order and a lookup reaches it
    // only past the Bloom filter; the temporary file stays in the OS's cache.
    db.pragma(`temp.cache_size = -${tempCacheKiB}`);
    this.ids = new SeenSet(db, 'run_seen_ids', 'source_id', this.key, memoryEntries);
    this.emails = new SeenSet(db, 'run_seen_emails', 'email', this.key, memoryEntries);
    // IDs alone: nearly all are seen, and only the unseen ones need their contact (a row array for
    // each of a 1M map's rows cost the deletion check ~0.2 s; measured, bench/).
    this.sources = db.prepare('SELECT source_id FROM sync_sources WHERE sync_id = ? AND source_id > ? ORDER BY source_id LIMIT ?').pluck();
    this.contactsOf = db.prepare(
      'SELECT source_id, contact_id FROM sync_sources WHERE sync_id = ? AND source_id IN (SELECT value FROM json_each(?))',
    ).raw();
  }

  /**
   * Marks Zoho contacts as seen; returns those this run had not seen yet (a page can shift while
   * Zoho's data changes, and show a contact again).
   */
  markSeen(sourceIds: readonly string[]): Set<string> {
    if (sourceIds.length === 0) return new Set();
    return this.ids.addNew(sourceIds);
  }

  earlierAddresses(emails: readonly string[]): Set<string> {
    if (emails.length === 0) return new Set();
    return this.emails.has(emails);
  }

  rememberAddresses(emails: readonly string[]): void {
    if (emails.length > 0) this.emails.add(emails);
  }

  /**
   * The sync's known Zoho contacts that this run did not see: candidates for Deleted. In source_id
   * order, from just after `after` (keyset paging: each call reads on from where the last stopped).
   */
  unseenSources(syncId: string, limit: number, after = ''): Array<{ source_id: string; contact_id: number }> {
    const unseen: Array<{ source_id: string; contact_id: number }> = [];
    const chunk = 2000;
    let cursor = after;
    while (unseen.length < limit) {
      const ids = this.sources.all(syncId, cursor, chunk) as string[];
      if (ids.length === 0) break;
      cursor = ids[ids.length - 1]!;
      const seen = this.ids.has(ids);
      const missing: string[] = [];
      for (const id of ids) {
        if (seen.has(id)) continue;
        missing.push(id);
        if (unseen.length + missing.length >= limit) break;
      }
      if (missing.length > 0) {
        const contactOf = new Map(this.contactsOf.all(syncId, JSON.stringify(missing)) as Array<[string, number]>);
        for (const id of missing) unseen.push({ source_id: id, contact_id: contactOf.get(id)! });
      }
      if (ids.length < chunk) break;
    }
    return unseen;
  }

  dispose(): void {
    if (!this.db.open) return;
    this.db.prepare('DELETE FROM temp.run_seen_ids WHERE run_key = ?').run(this.key);
    this.db.prepare('DELETE FROM temp.run_seen_emails WHERE run_key = ?').run(this.key);
  }
}

import type { Database, Statement } from 'better-sqlite3';
import { BloomFilter } from './bloomFilter';
import { CompactStringSet } from './compactSet';

/**
 * Entries a run keeps in memory per set before they go to its TEMP table: ~9 MB for the IDs and
 * addresses of 100,000 contacts, outside the V8 heap.
 */
export const scratchMemoryEntries = 100_000;

/** The TEMP database's page cache, KiB. */
const tempCacheKiB = 2048;

/**
 * One set of strings a run has seen (Zoho contact IDs, or addresses), exact, with memory bounded
 * however large the organization: the newest `memoryLimit` values in a compact in-memory set; when
 * that fills, its values go to a TEMP table in one sorted insert (in key order each B-tree page is
 * written once per flush; the same values one batch at a time in arrival order dirtied a random
 * page each) and a Bloom filter learns them, so a lookup of a value never seen (nearly every
 * lookup) does not touch the disk. Lookups and inserts take a whole page or batch: one statement
 * for the part on disk, if any.
 */
class SeenSet {
  private readonly memory = new CompactStringSet();
  private onDisk: BloomFilter | null = null;
  private readonly insert: Statement;
  private readonly known: Statement;

  constructor(db: Database, table: string, column: string, private readonly key: string, private readonly memoryLimit: number) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO temp.${table} (run_key, ${column}) SELECT ?, value FROM json_each(?)`);
    this.known = db.prepare(`SELECT ${column} FROM temp.${table} WHERE run_key = ? AND ${column} IN (SELECT value FROM json_each(?))`).pluck();
  }

  /** Which of `values` are in the set. */
  has(values: readonly string[]): Set<string> {
    const found = new Set<string>();
    const maybeOnDisk: string[] = [];
    for (const v of values) {
      if (this.memory.has(v)) found.add(v);
      else if (this.onDisk?.mightHave(v)) maybeOnDisk.push(v);
    }
    if (maybeOnDisk.length > 0) for (const v of this.known.all(this.key, JSON.stringify(maybeOnDisk)) as string[]) found.add(v);
    return found;
  }

  /** Adds `values`; returns those that were not in the set yet (a value given twice counts once). */
  addNew(values: readonly string[]): Set<string> {
    const fresh = new Set<string>();
    if (this.onDisk === null && this.memory.size + values.length <= this.memoryLimit) {
      // All of them fit in memory and none is on disk: one lookup each.
      for (const v of values) if (this.memory.add(v)) fresh.add(v);
      return fresh;
    }
    const onDisk = this.has(values.filter((v) => !this.memory.has(v)));
    for (const v of values) {
      if (!this.memory.has(v) && !onDisk.has(v)) fresh.add(v);
    }
    this.add([...fresh]);
    return fresh;
  }

  /** Adds `values` (one already on disk may be written again: the insert ignores it). */
  add(values: readonly string[]): void {
    for (const v of values) {
      // Below the limit, add() itself skips a value already there (one lookup instead of two).
      if (this.memory.size >= this.memoryLimit && !this.memory.has(v)) this.flush();
      this.memory.add(v);
    }
  }

  /**
   * Moves the in-memory values to the TEMP table in key order, a few thousand per statement (one
   * JSON text of all of them cost SQLite as many megabytes to parse).
   */
  private flush(): void {
    // Sized for ten flushes; past that it grows less selective, never wrong.
    this.onDisk ??= new BloomFilter(this.memoryLimit * 10);
    for (const chunk of this.memory.sortedChunks(2000)) {
      for (const v of chunk) this.onDisk.add(v);
      this.insert.run(this.key, JSON.stringify(chunk));
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

  constructor(private readonly db: Database, memoryEntries = scratchMemoryEntries) {
    this.key = `${process.pid}-${++RunScratch.counter}`;
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS run_seen_ids (run_key TEXT NOT NULL, source_id TEXT NOT NULL, PRIMARY KEY (run_key, source_id)) WITHOUT ROWID;
      CREATE TEMP TABLE IF NOT EXISTS run_seen_emails (run_key TEXT NOT NULL, email TEXT NOT NULL, PRIMARY KEY (run_key, email)) WITHOUT ROWID;
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
    // Rows as arrays: nearly all are seen, and only the unseen ones need an object.
    this.sources = db.prepare(
      'SELECT source_id, contact_id FROM sync_sources WHERE sync_id = ? AND source_id > ? ORDER BY source_id LIMIT ?',
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
      const rows = this.sources.all(syncId, cursor, chunk) as Array<[string, number]>;
      if (rows.length === 0) break;
      const ids = rows.map((r) => r[0]);
      cursor = ids[ids.length - 1]!;
      const seen = this.ids.has(ids);
      for (const [sourceId, contactId] of rows) {
        if (seen.has(sourceId)) continue;
        unseen.push({ source_id: sourceId, contact_id: contactId });
        if (unseen.length >= limit) break;
      }
      if (rows.length < chunk) break;
    }
    return unseen;
  }

  dispose(): void {
    if (!this.db.open) return;
    this.db.prepare('DELETE FROM temp.run_seen_ids WHERE run_key = ?').run(this.key);
    this.db.prepare('DELETE FROM temp.run_seen_emails WHERE run_key = ?').run(this.key);
  }
}

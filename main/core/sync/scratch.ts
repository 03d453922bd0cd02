import type { Database } from 'better-sqlite3';

/**
 * Run-scoped scratch state in SQLite TEMP tables: which Zoho contacts and which addresses this
 * run has seen. TEMP tables live outside the database file (a dry run still writes nothing to it)
 * and on disk, so memory does not grow with the organization's size.
 */
export class RunScratch {
  private static counter = 0;
  readonly key: string;
  private readonly insertId;
  private readonly insertEmail;
  private readonly knownEmails;

  constructor(private readonly db: Database) {
    this.key = `${process.pid}-${++RunScratch.counter}`;
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS run_seen_ids (run_key TEXT NOT NULL, source_id TEXT NOT NULL, PRIMARY KEY (run_key, source_id)) WITHOUT ROWID;
      CREATE TEMP TABLE IF NOT EXISTS run_seen_emails (run_key TEXT NOT NULL, email TEXT NOT NULL, PRIMARY KEY (run_key, email)) WITHOUT ROWID;
    `);
    this.insertId = db.prepare('INSERT OR IGNORE INTO temp.run_seen_ids (run_key, source_id) VALUES (?, ?)');
    this.insertEmail = db.prepare('INSERT OR IGNORE INTO temp.run_seen_emails (run_key, email) VALUES (?, ?)');
    this.knownEmails = db.prepare(
      'SELECT email FROM temp.run_seen_emails WHERE run_key = ? AND email IN (SELECT value FROM json_each(?))',
    ).pluck();
  }

  /** Marks a Zoho contact as seen; false when this run already had it (a page that shifted). */
  markSeen(sourceId: string): boolean {
    return this.insertId.run(this.key, sourceId).changes > 0;
  }

  earlierAddresses(emails: readonly string[]): Set<string> {
    if (emails.length === 0) return new Set();
    return new Set(this.knownEmails.all(this.key, JSON.stringify(emails)) as string[]);
  }

  rememberAddresses(emails: readonly string[]): void {
    for (const email of emails) this.insertEmail.run(this.key, email);
  }

  /** The sync's known Zoho contacts that this run did not see: candidates for Deleted. */
  unseenSources(syncId: string, limit: number): Array<{ source_id: string; contact_id: number }> {
    return this.db
      .prepare(
        `SELECT ss.source_id, ss.contact_id FROM sync_sources ss
         WHERE ss.sync_id = ? AND NOT EXISTS (
           SELECT 1 FROM temp.run_seen_ids t WHERE t.run_key = ? AND t.source_id = ss.source_id)
         ORDER BY ss.source_id LIMIT ?`,
      )
      .all(syncId, this.key, limit) as Array<{ source_id: string; contact_id: number }>;
  }

  dispose(): void {
    if (!this.db.open) return;
    this.db.prepare('DELETE FROM temp.run_seen_ids WHERE run_key = ?').run(this.key);
    this.db.prepare('DELETE FROM temp.run_seen_emails WHERE run_key = ?').run(this.key);
  }
}

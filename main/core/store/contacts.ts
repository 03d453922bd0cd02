import type { Database, Statement } from 'better-sqlite3';
import type { ContactState } from '../../common/domain/contact';
import type { ContactField } from '../../common/domain/mapping';

export interface ContactRow {
  id: number;
  email: string;
  state: ContactState;
  first_name: string;
  last_name: string;
  fields: string;
  created_at: string;
  updated_at: string;
}

export class ContactsRepo {
  private byEmailsStmt: Statement | null = null;

  constructor(private readonly db: Database) {}

  byEmail(normalizedEmail: string): ContactRow | null {
    return (this.db.prepare('SELECT * FROM contacts WHERE email = ?').get(normalizedEmail) as ContactRow | undefined) ?? null;
  }

  /** The contacts among `emails` (normalized), in one query: the engine's per-page lookup. */
  byEmails(emails: readonly string[]): Map<string, ContactRow> {
    // Rows as arrays, made into objects here: better-sqlite3 builds each row object property by
    // property through the native API, which measured about twice the cost of this literal.
    this.byEmailsStmt ??= this.db.prepare(
      `SELECT id, email, state, first_name, last_name, fields, created_at, updated_at FROM contacts
       WHERE email IN (SELECT value FROM json_each(?))`,
    ).raw();
    const rows = this.byEmailsStmt.all(JSON.stringify(emails)) as Array<[number, string, ContactRow['state'], string, string, string, string, string]>;
    const found = new Map<string, ContactRow>();
    for (const r of rows) {
      found.set(r[1], { id: r[0], email: r[1], state: r[2], first_name: r[3], last_name: r[4], fields: r[5], created_at: r[6], updated_at: r[7] });
    }
    return found;
  }

  /**
   * Marks an address bounced, do-not-mail or active. An unknown address is created with that
   * state (suppression before first import), so a later sync ignores it instead of adding it.
   */
  mark(normalizedEmail: string, state: Exclude<ContactState, 'deleted'>, now: string): { created: boolean; previous: ContactState | null } {
    const existing = this.byEmail(normalizedEmail);
    if (existing) {
      // Stamped after the contact's last write even within the same millisecond: undo tells a
      // change by hand from a run's own write by this order.
      const stamp = existing.updated_at < now ? now : new Date(Date.parse(existing.updated_at) + 1).toISOString();
      this.db.prepare('UPDATE contacts SET state = ?, updated_at = ? WHERE id = ?').run(state, stamp, existing.id);
      return { created: false, previous: existing.state };
    }
    this.db
      .prepare('INSERT INTO contacts (email, state, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .run(normalizedEmail, state, now, now);
    return { created: true, previous: null };
  }

  /** About how many contacts there are, without counting them (the highest ID: a lookup, not a scan). */
  sizeEstimate(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM contacts').pluck().get() as number);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM contacts').get() as { n: number }).n;
  }

  fields(): ContactField[] {
    return (this.db.prepare('SELECT key, label, builtin FROM contact_fields ORDER BY builtin DESC, label').all() as Array<{
      key: string; label: string; builtin: number;
    }>).map((r) => ({ key: r.key, label: r.label, builtin: r.builtin === 1 }));
  }

  /** "New field" from the mapping step: a same-named ListSync field created on the spot. */
  addField(key: string, label: string): ContactField {
    this.db.prepare('INSERT OR IGNORE INTO contact_fields (key, label, builtin) VALUES (?, ?, 0)').run(key, label);
    const row = this.db.prepare('SELECT key, label, builtin FROM contact_fields WHERE key = ?').get(key) as {
      key: string; label: string; builtin: number;
    };
    return { key: row.key, label: row.label, builtin: row.builtin === 1 };
  }

  fieldExists(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM contact_fields WHERE key = ?').get(key) !== undefined;
  }
}

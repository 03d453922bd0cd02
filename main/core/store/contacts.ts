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

/**
 * A run's hold on the address index: while it holds, the index is not there and the run's own
 * checks keep addresses unique (deferAddressIndex).
 */
export interface AddressIndexDeferral {
  /** Whether the index is still deferred for this run (anyone else's lookup by address ends it). */
  readonly holds: boolean;
  /** The contacts among `emails` that the book held when the run began (read fresh, by ID). */
  lookup(emails: readonly string[]): Map<string, ContactRow>;
  /** Builds the index (once; later calls do nothing). */
  end(): void;
}

/** The most contacts a book may hold for a run to defer its address index (their addresses are kept in memory). */
export const deferrableBookSize = 10_000;

/** What a lookup through the source map can tell on the way (ContactsRepo.byEmailsViaSources). */
export interface LearnedOnLookup {
  /** Source ID → contact ID, for the batch's records the sync maps (and has not marked exited). */
  mapped?: Map<string, number>;
  /** Contact ID → when marked exited (null: not), for the contacts found that are members of `listId`. */
  members?: { listId: string; exitedAt: Map<number, string | null> };
}

/** A contact as a row of values; made into an object by contactOf. */
type RawContact = [number, string, ContactRow['state'], string, string, string, string, string];

// Rows as arrays, made into objects here: better-sqlite3 builds each row object property by
// property through the native API, which measured about twice the cost of this literal.
/** A contact from its row as an array (the columns of RawContact first; any after them are ignored). */
function contactOf(r: readonly [...RawContact, ...unknown[]]): ContactRow {
  return { id: r[0], email: r[1], state: r[2], first_name: r[3], last_name: r[4], fields: r[5], created_at: r[6], updated_at: r[7] };
}

const createAddressIndex = 'CREATE UNIQUE INDEX IF NOT EXISTS contacts_email ON contacts(email)';

export class ContactsRepo {
  private byEmailsStmt: Statement | null = null;
  private bySourcesStmt: Statement | null = null;
  private deferral: { holds: boolean } | null = null;

  constructor(private readonly db: Database) {
    // A run that was killed before it built the address index: built now, before any lookup.
    db.exec(createAddressIndex);
  }

  /**
   * A sync's first import into an empty or small address book (the engine asks only then) writes its contacts
   * without the address index and builds it at its end: keeping a unique index up to date batch
   * by batch rewrites, once it outgrows the page cache, about one index page per new address at
   * every commit (measured on 1M random addresses in batches of 2,000: 28 s with the index in
   * place, 2.4 s without it plus 0.8 s to build it after). Safe because the run knows every contact: the
   * book's few from before (up to `deferrableBookSize`, e.g. addresses suppressed before the first
   * import) by address in memory, the ones it inserts through its scratch (a second record of an
   * address is a file duplicate). Anything else that looks up or adds an address meanwhile (a
   * mark by hand, a review decision, another sync's run) builds the index first, through
   * `ensureAddressIndex`, and the import goes on with lookups. A crash leaves the index to this
   * repository's constructor. Null when the book is larger or another run holds the deferral.
   */
  deferAddressIndex(): AddressIndexDeferral | null {
    // IDs are distinct positive integers, so the highest bounds the count: one lookup rules out a large book.
    if (this.deferral !== null || this.sizeEstimate() > deferrableBookSize) return null;
    const known = new Map(this.db.prepare('SELECT email, id FROM contacts').raw().all() as Array<[string, number]>);
    this.db.exec('DROP INDEX IF EXISTS contacts_email');
    const deferral = { holds: true };
    this.deferral = deferral;
    const byIds = this.db.prepare(
      `SELECT id, email, state, first_name, last_name, fields, created_at, updated_at FROM contacts
       WHERE id IN (SELECT value FROM json_each(?))`,
    ).raw();
    return {
      get holds() {
        return deferral.holds;
      },
      lookup: (emails) => {
        const found = new Map<string, ContactRow>();
        const ids: number[] = [];
        for (const e of emails) {
          const id = known.get(e);
          if (id !== undefined) ids.push(id);
        }
        if (ids.length === 0) return found;
        for (const r of byIds.all(JSON.stringify(ids)) as RawContact[]) found.set(r[1], contactOf(r));
        return found;
      },
      end: () => {
        if (this.deferral === deferral) this.ensureAddressIndex();
      },
    };
  }

  /** Builds the address index if a run deferred it; that run then looks addresses up. */
  ensureAddressIndex(): void {
    if (this.deferral === null) return;
    // The build sorts the addresses in a buffer the size of the page cache: a small cache for it
    // keeps the end of a 1M import 6 MB lower at its peak, in the same time (measured, bench/).
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma('cache_size = -2048');
    try {
      this.db.exec(createAddressIndex);
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
    this.deferral.holds = false;
    this.deferral = null;
  }

  byEmail(normalizedEmail: string): ContactRow | null {
    this.ensureAddressIndex();
    return (this.db.prepare('SELECT * FROM contacts WHERE email = ?').get(normalizedEmail) as ContactRow | undefined) ?? null;
  }

  /** The contacts among `emails` (normalized), in one query: the engine's per-page lookup. */
  byEmails(emails: readonly string[]): Map<string, ContactRow> {
    this.ensureAddressIndex();
    this.byEmailsStmt ??= this.db.prepare(
      `SELECT id, email, state, first_name, last_name, fields, created_at, updated_at FROM contacts
       WHERE email IN (SELECT value FROM json_each(?))`,
    ).raw();
    const found = new Map<string, ContactRow>();
    for (const r of this.byEmailsStmt.all(JSON.stringify(emails)) as RawContact[]) found.set(r[1], contactOf(r));
    return found;
  }

  /**
   * The same answer as byEmails, found first through the Zoho contacts that `syncId` mapped
   * (`sourceIds`: the batch's records), then by address for the rest. A re-run meets its contacts
   * in the order it first mapped them, so the first query walks the source map and the contacts
   * table nearly in order, where address lookups land all over the address index (measured on 1M
   * contacts in batches of 10,000: 3.3 s instead of 6.2–7.2 s). Also learned on the way, when asked:
   * `mapped` receives each of `sourceIds` that the sync maps (and has not marked exited) with its
   * contact's ID (a write that finds its mapping already there need not repeat it); `members`
   * receives, for each contact found that way which is a member of `listId`, when it was marked
   * exited (null: not), which is all the re-subscription guard asks of a member (ReviewRepo.guardFacts).
   */
  byEmailsViaSources(
    syncId: string, sourceIds: readonly string[], emails: readonly string[],
    learn: LearnedOnLookup = {},
  ): Map<string, ContactRow> {
    this.ensureAddressIndex();
    const { mapped, members } = learn;
    // Membership comes with the same row walk; without `members` the join matches no list.
    this.bySourcesStmt ??= this.db.prepare(
      `SELECT c.id, c.email, c.state, c.first_name, c.last_name, c.fields, c.created_at, c.updated_at,
              s.source_id, s.exited_at IS NULL, m.contact_id IS NOT NULL, m.exited_at
       FROM sync_sources s JOIN contacts c ON c.id = s.contact_id
       LEFT JOIN list_members m ON m.list_id = @listId AND m.contact_id = c.id
       WHERE s.sync_id = @syncId AND s.source_id IN (SELECT value FROM json_each(@sourceIds))`,
    ).raw();
    const rows = this.bySourcesStmt.all({ syncId, sourceIds: JSON.stringify(sourceIds), listId: members?.listId ?? null }) as Array<
      [...RawContact, sourceId: string, mapped: number, member: number, exitedAt: string | null]
    >;
    const wanted = new Set(emails);
    const found = new Map<string, ContactRow>();
    for (const r of rows) {
      if (mapped && r[9] === 1) mapped.set(r[8], r[0]);
      if (!wanted.has(r[1])) continue;
      found.set(r[1], contactOf(r));
      if (members && r[10] === 1) members.exitedAt.set(r[0], r[11]);
    }
    if (found.size === wanted.size) return found;
    const rest: string[] = [];
    for (const e of wanted) if (!found.has(e)) rest.push(e);
    for (const [email, contact] of this.byEmails(rest)) found.set(email, contact);
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

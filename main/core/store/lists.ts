import type { Database } from 'better-sqlite3';
import type { ContactState } from '../../common/domain/contact';
import type { ListMember, MailingList } from '../../common/domain/mailingList';
import type { Subscription } from '../../common/domain/sync';
import { newId } from './ids';

interface ListRow { id: string; name: string; created_at: string; member_count: number }

interface MemberRow {
  contact_id: number;
  email: string;
  first_name: string;
  last_name: string;
  state: ContactState;
  fields: string;
  added_at: string;
  sync_name: string | null;
  subscription: string | null;
  exited_at: string | null;
}

const selectLists = `
  SELECT l.id, l.name, l.created_at,
    (SELECT COUNT(*) FROM list_members m WHERE m.list_id = l.id) AS member_count
  FROM mailing_lists l`;

const toList = (r: ListRow): MailingList => ({ id: r.id, name: r.name, createdAt: r.created_at, memberCount: r.member_count });

function toMember(r: MemberRow): ListMember {
  return {
    contactId: r.contact_id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    state: r.state,
    fields: JSON.parse(r.fields) as Record<string, string>,
    addedAt: r.added_at,
    addedBySync: r.sync_name,
    subscription: r.subscription === null ? null : (JSON.parse(r.subscription) as Subscription),
    exitedAt: r.exited_at,
  };
}

export class ListsRepo {
  constructor(private readonly db: Database) {}

  create(name: string, now: string): MailingList {
    const id = newId('list');
    this.db.prepare('INSERT INTO mailing_lists (id, name, created_at) VALUES (?, ?, ?)').run(id, name, now);
    return this.get(id)!;
  }

  list(): MailingList[] {
    return (this.db.prepare(`${selectLists} ORDER BY l.name`).all() as ListRow[]).map(toList);
  }

  get(id: string): MailingList | null {
    const row = this.db.prepare(`${selectLists} WHERE l.id = ?`).get(id) as ListRow | undefined;
    return row ? toList(row) : null;
  }

  find(idOrName: string): MailingList | null {
    const row = this.db
      .prepare(`${selectLists} WHERE l.id = ? OR l.name = ? COLLATE NOCASE ORDER BY l.id = ? DESC LIMIT 1`)
      .get(idOrName, idOrName, idOrName) as ListRow | undefined;
    return row ? toList(row) : null;
  }

  nameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM mailing_lists WHERE name = ? COLLATE NOCASE').get(name) !== undefined;
  }

  /** One page of a list's contacts, newest first; `search` matches email or name. Paged in SQL. */
  members(listId: string, opts: { search?: string; offset: number; limit: number }): { total: number; members: ListMember[] } {
    const where = ['m.list_id = @listId'];
    const params: Record<string, unknown> = { listId, offset: opts.offset, limit: opts.limit };
    if (opts.search && opts.search.trim() !== '') {
      where.push(`(c.email LIKE @q ESCAPE '\\' OR c.first_name LIKE @q ESCAPE '\\' OR c.last_name LIKE @q ESCAPE '\\')`);
      params.q = `%${opts.search.trim().toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    }
    const from = `FROM list_members m JOIN contacts c ON c.id = m.contact_id LEFT JOIN syncs s ON s.id = m.sync_id WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT c.id AS contact_id, c.email, c.first_name, c.last_name, c.state, c.fields, m.added_at, s.name AS sync_name, m.subscription, m.exited_at
         ${from} ORDER BY m.added_at DESC, c.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params) as MemberRow[];
    return { total, members: rows.map(toMember) };
  }

  /** Every member, streamed in email order, for CSV export. */
  *iterateMembers(listId: string): IterableIterator<ListMember> {
    const stmt = this.db.prepare(
      `SELECT c.id AS contact_id, c.email, c.first_name, c.last_name, c.state, c.fields, m.added_at, s.name AS sync_name, m.subscription, m.exited_at
       FROM list_members m JOIN contacts c ON c.id = m.contact_id LEFT JOIN syncs s ON s.id = m.sync_id
       WHERE m.list_id = ? ORDER BY c.email`,
    );
    for (const row of stmt.iterate(listId) as IterableIterator<MemberRow>) yield toMember(row);
  }

  removeMember(listId: string, contactId: number): boolean {
    return this.db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?').run(listId, contactId).changes > 0;
  }

  /**
   * The user takes contacts out of a list. The removal is remembered, so no sync puts them back
   * silently (the re-subscription guard). Returns how many were members.
   */
  removeMembersByUser(listId: string, contactIds: readonly number[], now: string): number {
    const leave = this.db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?');
    const remember = this.db.prepare(
      `INSERT INTO list_removals (list_id, contact_id, removed_at) VALUES (?, ?, ?)
       ON CONFLICT (list_id, contact_id) DO UPDATE SET removed_at = excluded.removed_at, cause = 'user', undone_run = NULL`,
    );
    return this.db.transaction(() => {
      let removed = 0;
      for (const id of contactIds) {
        if (leave.run(listId, id).changes > 0) {
          remember.run(listId, id, now);
          removed += 1;
        }
      }
      return removed;
    })();
  }
}

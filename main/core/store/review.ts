import type { Database, Statement } from 'better-sqlite3';
import type { ReviewCause, ReviewItem, ReviewStatus } from '../../common/domain/review';
import type { ContactRow } from './contacts';

/** What the re-subscription guard needs to know about one existing contact, for one sync. */
export interface GuardFacts {
  /** Whether the contact is a member of the sync's list, and since when it is marked exited. */
  member: boolean;
  exitedAt: string | null;
  /** When the contact left the sync's list while staying active (a list_removals row), if so. */
  removedAt: string | null;
  /** Why: the user took it out, a deletion in Zoho Invoice did (another list kept it), or an undo did. */
  removalCause: RemovalCause | null;
  /** Cause 'undo': the run whose undo took it out. */
  undoneRun: number | null;
  /** The pending review entry for the contact in this list (whichever sync queued it), if any. */
  pending: { id: number; heldAt: string } | null;
  /** The latest review decision on the contact for this list (whichever sync asked), if any. */
  lastDecision: { id: number; status: Exclude<ReviewStatus, 'pending'>; decidedAt: string } | null;
}

/** Why an active contact left a list (list_removals.cause). */
export type RemovalCause = 'user' | 'deleted' | 'undo';

/** A returning contact held back by a run, as written into the queue. */
export interface HoldWrite {
  syncId: string;
  listId: string;
  contactId: number;
  runId: number;
  sourceId: string | null;
  sourceName: string | null;
  cause: ReviewCause;
  leftAt: string | null;
  /** The mapped values the run read (email included). */
  values: Record<string, string>;
  heldAt: string;
}

/** A pending entry with its contact, ready for a decision. */
export interface PendingEntry {
  id: number;
  syncId: string;
  contact: ContactRow;
  sourceId: string | null;
  values: Record<string, string>;
}

interface ItemRow {
  id: number; sync_id: string; sync_name: string; list_id: string; list_name: string; contact_id: number; email: string;
  source_id: string | null; source_name: string | null; cause: ReviewCause; left_at: string | null; run_id: number;
  held_at: string; status: ReviewStatus; decided_at: string | null; decided_by: string | null;
}

const toItem = (r: ItemRow): ReviewItem => ({
  id: r.id, syncId: r.sync_id, syncName: r.sync_name, listId: r.list_id, listName: r.list_name, contactId: r.contact_id,
  email: r.email, sourceContactId: r.source_id, sourceName: r.source_name, cause: r.cause, leftAt: r.left_at, runId: r.run_id,
  heldAt: r.held_at, status: r.status, decidedAt: r.decided_at, decidedBy: r.decided_by,
});

/** The review queue of the re-subscription guard, and the facts the guard reads per page. */
export class ReviewRepo {
  private membershipStmt: Statement | null = null;
  private queueStmt: Statement | null = null;
  private holdStmt: Statement | null = null;

  constructor(private readonly db: Database) {}

  /**
   * The guard's facts for a page's existing contacts: two queries per page. Membership and
   * removals are primary-key lookups; the queue is read only for contacts outside the list. The
   * queue is read per list: a decision holds whichever sync brings the contact back.
   * `knownMembers`: contacts already known to be members, with when each was marked exited (the
   * engine learns them with its contact lookup, ContactsRepo.byEmailsViaSources): a member needs
   * nothing more, so a re-run whose contacts are all in the list makes neither query.
   */
  guardFacts(listId: string, contactIds: readonly number[], knownMembers?: ReadonlyMap<number, string | null>): Map<number, GuardFacts> {
    const facts = new Map<number, GuardFacts>();
    let unknown: readonly number[] = contactIds;
    if (knownMembers && knownMembers.size > 0) {
      const rest: number[] = [];
      for (const id of contactIds) {
        const exitedAt = knownMembers.get(id);
        if (exitedAt === undefined) rest.push(id);
        else facts.set(id, { member: true, exitedAt, removedAt: null, removalCause: null, undoneRun: null, pending: null, lastDecision: null });
      }
      unknown = rest;
    }
    if (unknown.length === 0) return facts;
    this.membershipStmt ??= this.db.prepare(
      `SELECT j.value AS contact_id, m.contact_id IS NOT NULL AS member, m.exited_at, r.removed_at, r.cause, r.undone_run
       FROM json_each(?) j
       LEFT JOIN list_members m ON m.list_id = ? AND m.contact_id = j.value
       LEFT JOIN list_removals r ON r.list_id = ? AND r.contact_id = j.value`,
    ).raw(); // rows as arrays: a row object per contact measured about twice the cost
    const rows = this.membershipStmt.all(JSON.stringify(unknown), listId, listId) as Array<
      [contactId: number, member: number, exitedAt: string | null, removedAt: string | null, cause: RemovalCause | null, undoneRun: number | null]
    >;
    const outside: number[] = [];
    for (const [contactId, member, exitedAt, removedAt, removalCause, undoneRun] of rows) {
      facts.set(contactId, { member: member === 1, exitedAt, removedAt, removalCause, undoneRun, pending: null, lastDecision: null });
      if (member !== 1) outside.push(contactId);
    }
    if (outside.length === 0) return facts;
    this.queueStmt ??= this.db.prepare(
      `SELECT id, contact_id, status, held_at, decided_at FROM review_queue
       WHERE list_id = ? AND contact_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    );
    const entries = this.queueStmt.all(listId, JSON.stringify(outside)) as Array<{
      id: number; contact_id: number; status: ReviewStatus; held_at: string; decided_at: string | null;
    }>;
    for (const e of entries) {
      const f = facts.get(e.contact_id)!;
      // In id order, so the last decision seen is the latest.
      if (e.status === 'pending') f.pending = { id: e.id, heldAt: e.held_at };
      else f.lastDecision = { id: e.id, status: e.status, decidedAt: e.decided_at ?? e.held_at };
    }
    return facts;
  }

  /** Queues a returning contact; returns the entry's id. */
  hold(h: HoldWrite): number {
    this.holdStmt ??= this.db.prepare(
      `INSERT INTO review_queue (sync_id, list_id, contact_id, run_id, source_id, source_name, cause, left_at, source_values, held_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return Number(
      this.holdStmt.run(
        h.syncId, h.listId, h.contactId, h.runId, h.sourceId, h.sourceName, h.cause, h.leftAt, JSON.stringify(h.values), h.heldAt,
      ).lastInsertRowid,
    );
  }

  /** A pending entry that became moot: the sync's policy now lets the contact join at once. */
  dropPending(id: number): void {
    this.db.prepare(`DELETE FROM review_queue WHERE id = ? AND status = 'pending'`).run(id);
  }

  /** One page of entries, newest first, paged in SQL; `pending` counts the pending ones of the same sync filter. */
  list(filter: { syncId?: string; status?: ReviewStatus }, opts: { offset: number; limit: number }): {
    total: number; pending: number; items: ReviewItem[];
  } {
    const where: string[] = [];
    const params: Record<string, unknown> = { offset: opts.offset, limit: opts.limit };
    if (filter.syncId !== undefined) { where.push('q.sync_id = @syncId'); params.syncId = filter.syncId; }
    const pendingWhere = [...where, `q.status = 'pending'`];
    if (filter.status !== undefined) { where.push('q.status = @status'); params.status = filter.status; }
    const clause = (w: string[]) => (w.length > 0 ? `WHERE ${w.join(' AND ')}` : '');
    const count = (w: string[]) => this.db.prepare(`SELECT COUNT(*) FROM review_queue q ${clause(w)}`).pluck().get(params) as number;
    const rows = this.db
      .prepare(
        `SELECT q.id, q.sync_id, s.name AS sync_name, q.list_id, l.name AS list_name, q.contact_id, c.email, q.source_id,
           q.source_name, q.cause, q.left_at, q.run_id, q.held_at, q.status, q.decided_at, q.decided_by
         FROM review_queue q
         JOIN syncs s ON s.id = q.sync_id JOIN mailing_lists l ON l.id = q.list_id JOIN contacts c ON c.id = q.contact_id
         ${clause(where)} ORDER BY q.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params) as ItemRow[];
    return { total: count(where), pending: count(pendingWhere), items: rows.map(toItem) };
  }

  /** The ids of every pending entry, of one sync or all. */
  pendingIds(syncId?: string): number[] {
    return (syncId === undefined
      ? this.db.prepare(`SELECT id FROM review_queue WHERE status = 'pending' ORDER BY id`).pluck().all()
      : this.db.prepare(`SELECT id FROM review_queue WHERE sync_id = ? AND status = 'pending' ORDER BY id`).pluck().all(syncId)) as number[];
  }

  /** The entries among `ids` that are still pending, with their contacts, in id order. */
  pendingEntries(ids: readonly number[]): PendingEntry[] {
    const rows = this.db
      .prepare(
        `SELECT q.id AS queue_id, q.sync_id, q.source_id, q.source_values, c.*
         FROM review_queue q JOIN contacts c ON c.id = q.contact_id
         WHERE q.id IN (SELECT value FROM json_each(?)) AND q.status = 'pending' ORDER BY q.id`,
      )
      .all(JSON.stringify(ids)) as Array<ContactRow & { queue_id: number; sync_id: string; source_id: string | null; source_values: string }>;
    return rows.map(({ queue_id, sync_id, source_id, source_values, ...contact }) => ({
      id: queue_id, syncId: sync_id, sourceId: source_id, values: JSON.parse(source_values) as Record<string, string>, contact,
    }));
  }

  decide(id: number, status: Exclude<ReviewStatus, 'pending'>, now: string, by: string): void {
    this.db
      .prepare(`UPDATE review_queue SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'`)
      .run(status, now, by, id);
  }
}

import type { Database, Statement } from 'better-sqlite3';
import type { Subscription } from '../../common/domain/sync';
import type { OutcomeWrite } from '../store';

/** A list membership as it was before a run changed it: what undo puts back. */
export interface MemberSnapshot {
  syncId: string | null;
  addedRunId: number | null;
  addedAt: string;
  subscription: Subscription | null;
  exitedAt: string | null;
}

/** Reads one list membership as a snapshot. */
export class MemberReader {
  private readonly stmt: Statement;

  constructor(db: Database) {
    this.stmt = db.prepare('SELECT sync_id, added_run_id, added_at, subscription, exited_at FROM list_members WHERE list_id = ? AND contact_id = ?');
  }

  get(listId: string, contactId: number): MemberSnapshot | null {
    const row = this.stmt.get(listId, contactId) as
      | { sync_id: string | null; added_run_id: number | null; added_at: string; subscription: string | null; exited_at: string | null }
      | undefined;
    if (!row) return null;
    return {
      syncId: row.sync_id, addedRunId: row.added_run_id, addedAt: row.added_at,
      subscription: row.subscription === null ? null : (JSON.parse(row.subscription) as Subscription), exitedAt: row.exited_at,
    };
  }
}

/** What a deletion changed, for undo. */
export interface DeletionUndo {
  left: true;
  previousState: string;
  markedDeleted: boolean;
  sourceId: string;
  member: MemberSnapshot;
  /** It stayed active on another list: a list_removals row (cause 'deleted') now keeps it from rejoining silently. */
  wroteRemoval: boolean;
  /** When the batch was written. */
  at: string;
}

/**
 * Deleted: contacts this sync brought into its list that no longer exist in Zoho Invoice.
 * They leave the list; the contact is marked deleted unless another list still holds it, and then
 * its removal from this list is remembered, so that the re-subscription guard sees it return.
 */
export class DeletionWriter {
  private readonly members: MemberReader;
  private readonly otherSource: Statement;
  private readonly leave: Statement;
  private readonly otherList: Statement;
  private readonly contact: Statement;
  private readonly markDeleted: Statement;
  private readonly forget: Statement;
  private readonly remember: Statement;

  constructor(db: Database, private readonly sync: { id: string; listId: string }) {
    this.members = new MemberReader(db);
    this.otherSource = db.prepare('SELECT 1 FROM sync_sources WHERE sync_id = ? AND contact_id = ? AND source_id <> ? LIMIT 1');
    this.leave = db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?');
    this.otherList = db.prepare('SELECT 1 FROM list_members WHERE contact_id = ? LIMIT 1');
    this.contact = db.prepare('SELECT email, state FROM contacts WHERE id = ?');
    this.markDeleted = db.prepare(`UPDATE contacts SET state = 'deleted', updated_at = ? WHERE id = ? AND state = 'active'`);
    this.forget = db.prepare('DELETE FROM sync_sources WHERE sync_id = ? AND source_id = ?');
    this.remember = db.prepare(
      `INSERT INTO list_removals (list_id, contact_id, removed_at, cause) VALUES (?, ?, ?, 'deleted') ON CONFLICT (list_id, contact_id) DO NOTHING`,
    );
  }

  apply(gone: ReadonlyArray<{ source_id: string; contact_id: number }>, now: string): OutcomeWrite[] {
    const outcomes: OutcomeWrite[] = [];
    for (const { source_id: sourceId, contact_id: contactId } of gone) {
      const member = this.members.get(this.sync.listId, contactId);
      // Another Zoho contact of this sync still carries the address: it stays.
      const stillSourced = this.otherSource.get(this.sync.id, contactId, sourceId) !== undefined;
      this.forget.run(this.sync.id, sourceId);
      if (!member || member.syncId !== this.sync.id || stillSourced) continue;
      this.leave.run(this.sync.listId, contactId);
      const contact = this.contact.get(contactId) as { email: string; state: string };
      const undo = { left: true as const, previousState: contact.state, sourceId, member, at: now };
      const markedDeleted = this.otherList.get(contactId) === undefined && this.markDeleted.run(now, contactId).changes > 0;
      const wroteRemoval = !markedDeleted && contact.state === 'active' && this.remember.run(this.sync.listId, contactId, now).changes > 0;
      outcomes.push({
        outcome: 'deleted', reason: null, email: contact.email, sourceId, sourceName: null, contactId,
        detail: markedDeleted ? 'No longer in Zoho Invoice: left the list and marked deleted' : 'No longer in Zoho Invoice: left the list (still on another list)',
        undo: JSON.stringify({ ...undo, markedDeleted, wroteRemoval } satisfies DeletionUndo),
      });
    }
    return outcomes;
  }
}

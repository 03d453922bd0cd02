import type { Database, Statement } from 'better-sqlite3';
import type { OutcomeWrite } from '../store';

/**
 * Deleted: contacts this sync brought into its list that no longer exist in Zoho Invoice.
 * They leave the list; the contact is marked deleted unless another list still holds it.
 */
export class DeletionWriter {
  private readonly membership: Statement;
  private readonly otherSource: Statement;
  private readonly leave: Statement;
  private readonly otherList: Statement;
  private readonly contact: Statement;
  private readonly markDeleted: Statement;
  private readonly forget: Statement;

  constructor(db: Database, private readonly sync: { id: string; listId: string }) {
    this.membership = db.prepare('SELECT sync_id FROM list_members WHERE list_id = ? AND contact_id = ?');
    this.otherSource = db.prepare('SELECT 1 FROM sync_sources WHERE sync_id = ? AND contact_id = ? AND source_id <> ? LIMIT 1');
    this.leave = db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?');
    this.otherList = db.prepare('SELECT 1 FROM list_members WHERE contact_id = ? LIMIT 1');
    this.contact = db.prepare('SELECT email, state FROM contacts WHERE id = ?');
    this.markDeleted = db.prepare(`UPDATE contacts SET state = 'deleted', updated_at = ? WHERE id = ? AND state = 'active'`);
    this.forget = db.prepare('DELETE FROM sync_sources WHERE sync_id = ? AND source_id = ?');
  }

  apply(gone: ReadonlyArray<{ source_id: string; contact_id: number }>, now: string): OutcomeWrite[] {
    const outcomes: OutcomeWrite[] = [];
    for (const { source_id: sourceId, contact_id: contactId } of gone) {
      const member = this.membership.get(this.sync.listId, contactId) as { sync_id: string | null } | undefined;
      // Another Zoho contact of this sync still carries the address: it stays.
      const stillSourced = this.otherSource.get(this.sync.id, contactId, sourceId) !== undefined;
      this.forget.run(this.sync.id, sourceId);
      if (!member || member.sync_id !== this.sync.id || stillSourced) continue;
      this.leave.run(this.sync.listId, contactId);
      const contact = this.contact.get(contactId) as { email: string; state: string };
      const markedDeleted = this.otherList.get(contactId) === undefined && this.markDeleted.run(now, contactId).changes > 0;
      outcomes.push({
        outcome: 'deleted', reason: null, email: contact.email, sourceId, sourceName: null, contactId,
        detail: markedDeleted ? 'No longer in Zoho Invoice: left the list and marked deleted' : 'No longer in Zoho Invoice: left the list (still on another list)',
        undo: JSON.stringify({ left: true, previousState: contact.state, markedDeleted, sourceId }),
      });
    }
    return outcomes;
  }
}

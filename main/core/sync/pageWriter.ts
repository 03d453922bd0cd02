import type { Database, Statement } from 'better-sqlite3';
import { mergeFieldValue, type UpdatePolicy } from '../../common/domain/mapping';
import type { ReviewCause } from '../../common/domain/review';
import type { Subscription } from '../../common/domain/sync';
import type { ContactRow, OutcomeWrite } from '../store';
import type { ReviewRepo } from '../store/review';
import type { CandidateRecord, Decision } from './classify';

/** The parts of a sync the writer needs. */
export interface WriterSync {
  id: string;
  listId: string;
  updatePolicy: UpdatePolicy;
  updateEmptyValues: boolean;
  /** Recorded with each membership the sync creates. */
  subscription: Subscription;
}

const columnFields = new Set(['first_name', 'last_name']);

interface ContactValues { first_name: string; last_name: string; fields: Record<string, string> }

function split(values: Record<string, string>): ContactValues {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k !== 'email' && !columnFields.has(k)) fields[k] = v;
  return { first_name: values.first_name ?? '', last_name: values.last_name ?? '', fields };
}

/** Merges mapped values into an existing contact per the update policy; returns what changed. */
function merge(sync: WriterSync, contact: ContactRow, values: Record<string, string>) {
  const current: Record<string, string> = {
    ...(JSON.parse(contact.fields) as Record<string, string>),
    first_name: contact.first_name,
    last_name: contact.last_name,
  };
  const changes: Record<string, [string, string]> = {};
  for (const [key, incoming] of Object.entries(values)) {
    if (key === 'email') continue;
    const before = current[key] ?? '';
    const after = mergeFieldValue(sync.updatePolicy, sync.updateEmptyValues, before, incoming);
    if (after !== before) {
      changes[key] = [before, after];
      current[key] = after;
    }
  }
  return { next: split(current), changes };
}

/** What letting a returning or approved contact in changed, for the outcome's undo record. */
export interface Admission {
  changes: Record<string, [string, string]>;
  joined: boolean;
  /** When the user had removed the contact from this list: that removal is now cleared. */
  removedByUserAt: string | null;
}

/**
 * Applies a batch of decisions (one page or several) inside the caller's transaction: contacts,
 * list memberships, the sync's source map and the review queue, through statements prepared once
 * per run (measured: one prepared statement per row beats multi-row statements with RETURNING
 * here). Returns the outcome rows, which the caller writes in bulk. The review queue's approvals
 * use the same writer (`admit`), without a run.
 */
export class PageWriter {
  private readonly insertContact: Statement;
  private readonly updateContact: Statement;
  private readonly joinList: Statement;
  private readonly clearExited: Statement;
  private readonly forgetRemoval: Statement;
  private readonly rememberSource: Statement;
  private readonly subscription: string;

  constructor(db: Database, private readonly sync: WriterSync, private readonly runId: number | null, private readonly review: ReviewRepo) {
    this.insertContact = db.prepare(
      `INSERT INTO contacts (email, state, first_name, last_name, fields, created_at, updated_at)
       VALUES (?, 'active', ?, ?, ?, ?, ?)`,
    );
    this.updateContact = db.prepare(
      'UPDATE contacts SET state = ?, first_name = ?, last_name = ?, fields = ?, updated_at = ? WHERE id = ?',
    );
    // A member keeps the subscription it joined with; only a contact joining now gets the sync's.
    this.joinList = db.prepare(
      `INSERT OR IGNORE INTO list_members (list_id, contact_id, sync_id, added_run_id, added_at, subscription) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.clearExited = db.prepare('UPDATE list_members SET exited_at = NULL WHERE list_id = ? AND contact_id = ?');
    this.forgetRemoval = db.prepare('DELETE FROM list_removals WHERE list_id = ? AND contact_id = ? RETURNING removed_at').pluck();
    // An unchanged mapping is not rewritten: a second run would otherwise dirty every page of the table.
    this.rememberSource = db.prepare(
      `INSERT INTO sync_sources (sync_id, source_id, contact_id) VALUES (?, ?, ?)
       ON CONFLICT (sync_id, source_id) DO UPDATE SET contact_id = excluded.contact_id WHERE contact_id IS NOT excluded.contact_id`,
    );
    this.subscription = JSON.stringify(sync.subscription);
  }

  /** Writes the decisions; returns the outcome rows to insert, in the decisions' order. */
  apply(decisions: readonly Decision[], now: string): OutcomeWrite[] {
    const outcomes: OutcomeWrite[] = [];
    for (const d of decisions) {
      const base = { email: d.email, sourceId: d.record.sourceId, sourceName: d.record.sourceName, detail: d.detail };
      switch (d.kind) {
        case 'ignored':
          // Ignored records are never written as contacts; only the outcome is kept.
          outcomes.push({ ...base, outcome: 'ignored', reason: d.reason, contactId: d.contact?.id ?? null, undo: null });
          continue;
        case 'held': {
          // Contact and list stay as they are: the person decides in the review queue.
          const reviewId = d.hold.write ? this.hold(d.contact.id, d.record, d.hold.cause, d.hold.leftAt, now) : d.hold.reviewId;
          outcomes.push({ ...base, outcome: 'held', reason: null, contactId: d.contact.id, undo: JSON.stringify({ held: true, reviewId }) });
          continue;
        }
        case 'new': {
          const v = split(d.record.values);
          const contactId = Number(this.insertContact.run(d.email, v.first_name, v.last_name, JSON.stringify(v.fields), now, now).lastInsertRowid);
          const joined = this.join(contactId, now);
          this.rememberSource.run(this.sync.id, d.record.sourceId, contactId);
          outcomes.push({ ...base, outcome: 'new', reason: null, contactId, undo: JSON.stringify({ created: true, joined }) });
          continue;
        }
        case 'readded': {
          if (d.pendingId !== null) this.review.dropPending(d.pendingId);
          const a = this.admit(d.contact, d.record.values, d.record.sourceId, now);
          const undo = { previousState: d.contact.state, changes: a.changes, joined: a.joined, ...(a.removedByUserAt ? { removedByUserAt: a.removedByUserAt } : {}) };
          outcomes.push({ ...base, outcome: 'readded', reason: null, contactId: d.contact.id, undo: JSON.stringify(undo) });
          continue;
        }
        case 'duplicate': {
          const { next, changes } = merge(this.sync, d.contact, d.record.values);
          if (Object.keys(changes).length > 0) {
            this.updateContact.run('active', next.first_name, next.last_name, JSON.stringify(next.fields), now, d.contact.id);
          }
          const joined = this.join(d.contact.id, now);
          // Matching again ends a member's "no longer matches" mark.
          if (d.exitedAt !== null) this.clearExited.run(this.sync.listId, d.contact.id);
          this.rememberSource.run(this.sync.id, d.record.sourceId, d.contact.id);
          const undo = { previousState: d.contact.state, changes, joined, ...(d.exitedAt !== null ? { previousExitedAt: d.exitedAt } : {}) };
          outcomes.push({ ...base, outcome: 'duplicate', reason: null, contactId: d.contact.id, undo: JSON.stringify(undo) });
          continue;
        }
      }
    }
    return outcomes;
  }

  /**
   * Lets a returning contact in (re-added by a run, or approved in review): active again, the
   * values merged per the update policy, in the list with the sync's subscription, its source
   * mapped, and the user's earlier removal from this list cleared.
   */
  admit(contact: ContactRow, values: Record<string, string>, sourceId: string | null, now: string): Admission {
    const { next, changes } = merge(this.sync, contact, values);
    this.updateContact.run('active', next.first_name, next.last_name, JSON.stringify(next.fields), now, contact.id);
    const joined = this.join(contact.id, now);
    const removedByUserAt = (this.forgetRemoval.get(this.sync.listId, contact.id) as string | undefined) ?? null;
    if (sourceId !== null) this.rememberSource.run(this.sync.id, sourceId, contact.id);
    return { changes, joined, removedByUserAt };
  }

  private join(contactId: number, now: string): boolean {
    return this.joinList.run(this.sync.listId, contactId, this.sync.id, this.runId, now, this.subscription).changes > 0;
  }

  private hold(contactId: number, record: CandidateRecord, cause: ReviewCause, leftAt: string | null, now: string): number {
    if (this.runId === null) throw new Error('A contact is held only by a run');
    return this.review.hold({
      syncId: this.sync.id, listId: this.sync.listId, contactId, runId: this.runId, sourceId: record.sourceId,
      sourceName: record.sourceName, cause, leftAt, values: record.values, heldAt: now,
    });
  }
}

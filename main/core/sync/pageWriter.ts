import type { Database, Statement } from 'better-sqlite3';
import { mergeFieldValue, type UpdatePolicy } from '../../common/domain/mapping';
import type { ReviewCause } from '../../common/domain/review';
import type { Subscription } from '../../common/domain/sync';
import type { ContactRow, OutcomeWrite } from '../store';
import type { RemovalCause, ReviewRepo } from '../store/review';
import type { CandidateRecord, Decision } from './classify';

/** The undo record of most outcomes of a second run: nothing changed, nothing joined (built once). */
const plainDuplicateUndo = JSON.stringify({ previousState: 'active', changes: {}, joined: false });

/**
 * An outcome row of a decision, as one object literal: `{ ...base, outcome, … }` (the shape this
 * replaced) made V8 build each row in dictionary mode, ~1.4 KB instead of ~90 bytes, and a
 * batch's rows live until the batch is written: without them a 100k import's young-generation
 * collections copy about half as much (--trace-gc-nvp).
 */
function outcomeOf(d: Decision, outcome: OutcomeWrite['outcome'], reason: OutcomeWrite['reason'], contactId: number | null, undo: string | null): OutcomeWrite {
  return {
    outcome, reason, email: d.email, sourceId: d.record.sourceId, sourceName: d.record.sourceName, contactId, detail: d.detail, undo,
  };
}

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
  // for…in over a plain object: the same keys in the same order as Object.entries, without its arrays.
  for (const k in values) if (k !== 'email' && !columnFields.has(k)) fields[k] = values[k]!;
  return { first_name: values.first_name ?? '', last_name: values.last_name ?? '', fields };
}

/**
 * Merges mapped values into an existing contact per the update policy: what changed, and the
 * contact's values after it, or null when nothing changed (most duplicates of a re-run): then no
 * new object is built, and the stored extra fields are parsed only if a mapped one needs them.
 */
function merge(sync: WriterSync, contact: ContactRow, values: Record<string, string>): {
  changes: Record<string, [string, string]>;
  next: ContactValues | null;
} {
  let stored: Record<string, string> | null = null;
  let changes: Record<string, [string, string]> | null = null;
  for (const key in values) {
    if (key === 'email') continue;
    const before = key === 'first_name' ? contact.first_name
      : key === 'last_name' ? contact.last_name
        : ((stored ??= JSON.parse(contact.fields) as Record<string, string>)[key] ?? '');
    const after = mergeFieldValue(sync.updatePolicy, sync.updateEmptyValues, before, values[key]!);
    if (after !== before) (changes ??= {})[key] = [before, after];
  }
  if (changes === null) return { changes: {}, next: null };
  const current: Record<string, string> = {
    ...(stored ?? (JSON.parse(contact.fields) as Record<string, string>)),
    first_name: contact.first_name,
    last_name: contact.last_name,
  };
  for (const key in changes) current[key] = changes[key]![1];
  return { changes, next: split(current) };
}

/**
 * The undo records of new contacts, JSON.stringify({ created: true, joined, at }), built once per
 * batch. `at` (in every record that changed something) is when the batch was written: undo
 * compares it with the contact's last change to find changes by hand, even during the run.
 */
function createdRecords(at: string): { joined: string; notJoined: string } {
  const tail = `,"at":${JSON.stringify(at)}}`;
  return { joined: `{"created":true,"joined":true${tail}`, notJoined: `{"created":true,"joined":false${tail}` };
}

/** A list_removals row that letting a contact in cleared, for undo to put back. */
export interface ClearedRemoval {
  at: string;
  cause: RemovalCause;
  undoneRun: number | null;
}

/** What letting a returning or approved contact in changed, for the outcome's undo record. */
export interface Admission {
  changes: Record<string, [string, string]>;
  joined: boolean;
  /** When the contact had left this list while staying active (removed by the user, …): that removal is now cleared. */
  removal: ClearedRemoval | null;
}

/** The undo record's account of a cleared removal: the user's as `removedByUserAt`, others as `removal`. */
function removalUndo(r: ClearedRemoval | null): { removedByUserAt: string } | { removal: ClearedRemoval } | Record<string, never> {
  if (r === null) return {};
  return r.cause === 'user' ? { removedByUserAt: r.at } : { removal: r };
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
    this.forgetRemoval = db.prepare('DELETE FROM list_removals WHERE list_id = ? AND contact_id = ? RETURNING removed_at, cause, undone_run');
    // An unchanged mapping is not rewritten: a second run would otherwise dirty every page of the
    // table. A source that had exited and matches again is the sync's again.
    this.rememberSource = db.prepare(
      `INSERT INTO sync_sources (sync_id, source_id, contact_id) VALUES (?, ?, ?)
       ON CONFLICT (sync_id, source_id) DO UPDATE SET contact_id = excluded.contact_id, exited_at = NULL
       WHERE contact_id IS NOT excluded.contact_id OR exited_at IS NOT NULL`,
    );
    this.subscription = JSON.stringify(sync.subscription);
  }

  /**
   * Writes the decisions; returns the outcome rows to insert, in the decisions' order. `mapped`:
   * the batch's Zoho contacts the sync already maps, with their contact (read in the same
   * synchronous step as the decisions), whose mapping a duplicate need not write again.
   */
  apply(decisions: readonly Decision[], now: string, mapped: ReadonlyMap<string, number> = new Map()): OutcomeWrite[] {
    const outcomes: OutcomeWrite[] = [];
    let created: { joined: string; notJoined: string } | null = null;
    for (const d of decisions) {
      switch (d.kind) {
        case 'ignored':
          // Ignored records are never written as contacts; only the outcome is kept.
          outcomes.push(outcomeOf(d, 'ignored', d.reason, d.contact?.id ?? null, null));
          continue;
        case 'held': {
          // Contact and list stay as they are: the person decides in the review queue.
          const reviewId = d.hold.write ? this.hold(d.contact.id, d.record, d.hold.cause, d.hold.leftAt, now) : d.hold.reviewId;
          outcomes.push(outcomeOf(d, 'held', null, d.contact.id, JSON.stringify({ held: true, reviewId, at: now })));
          continue;
        }
        case 'new': {
          const v = split(d.record.values);
          const contactId = Number(this.insertContact.run(d.email, v.first_name, v.last_name, JSON.stringify(v.fields), now, now).lastInsertRowid);
          const joined = this.join(contactId, now);
          this.rememberSource.run(this.sync.id, d.record.sourceId, contactId);
          created ??= createdRecords(now);
          outcomes.push(outcomeOf(d, 'new', null, contactId, joined ? created.joined : created.notJoined));
          continue;
        }
        case 'readded': {
          if (d.pendingId !== null) this.review.dropPending(d.pendingId);
          const a = this.admit(d.contact, d.record.values, d.record.sourceId, now);
          const undo = { previousState: d.contact.state, changes: a.changes, joined: a.joined, ...removalUndo(a.removal), at: now };
          outcomes.push(outcomeOf(d, 'readded', null, d.contact.id, JSON.stringify(undo)));
          continue;
        }
        case 'duplicate': {
          const { next, changes } = merge(this.sync, d.contact, d.record.values);
          if (next !== null) {
            this.updateContact.run('active', next.first_name, next.last_name, JSON.stringify(next.fields), now, d.contact.id);
          }
          const joined = !d.member && this.join(d.contact.id, now);
          // Matching again ends a member's "no longer matches" mark.
          if (d.exitedAt !== null) this.clearExited.run(this.sync.listId, d.contact.id);
          if (mapped.get(d.record.sourceId) !== d.contact.id) this.rememberSource.run(this.sync.id, d.record.sourceId, d.contact.id);
          // A plain duplicate (nothing changed, not joined) carries no `at`: undo skips it.
          const plain = !joined && d.exitedAt === null && next === null;
          const undo = plain && d.contact.state === 'active'
            ? plainDuplicateUndo
            : JSON.stringify({ previousState: d.contact.state, changes, joined, ...(d.exitedAt !== null ? { previousExitedAt: d.exitedAt } : {}), ...(plain ? {} : { at: now }) });
          outcomes.push(outcomeOf(d, 'duplicate', null, d.contact.id, undo));
          continue;
        }
      }
    }
    return outcomes;
  }

  /**
   * Lets a returning contact in (re-added by a run, or approved in review): active again, the
   * values merged per the update policy, in the list with the sync's subscription, its source
   * mapped, and its earlier removal from this list (by the user, a deletion, an undo) cleared.
   */
  admit(contact: ContactRow, values: Record<string, string>, sourceId: string | null, now: string): Admission {
    const { next, changes } = merge(this.sync, contact, values);
    // Active again whether or not a value changed (the stored fields as they are when none did).
    this.updateContact.run(
      'active', next?.first_name ?? contact.first_name, next?.last_name ?? contact.last_name,
      next ? JSON.stringify(next.fields) : contact.fields, now, contact.id,
    );
    const joined = this.join(contact.id, now);
    const row = this.forgetRemoval.get(this.sync.listId, contact.id) as { removed_at: string; cause: RemovalCause; undone_run: number | null } | undefined;
    if (sourceId !== null) this.rememberSource.run(this.sync.id, sourceId, contact.id);
    return { changes, joined, removal: row ? { at: row.removed_at, cause: row.cause, undoneRun: row.undone_run } : null };
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

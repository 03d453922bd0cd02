import type { Database, Statement } from 'better-sqlite3';
import { ContractError, type UndoCheck } from '../../common/contract';
import { outcomeLabels, type OutcomeKind } from '../../common/domain/outcome';
import type { Run } from '../../common/domain/run';
import type { OutcomeWrite, Store, SyncRecord } from '../store';
import type { MemberSnapshot } from './deletions';
import type { ClearedRemoval } from './pageWriter';

/** One outcome row of the run being undone, as stored. */
interface OutcomeRow {
  id: number;
  outcome: OutcomeKind;
  email: string | null;
  source_id: string | null;
  source_name: string | null;
  contact_id: number | null;
  undo: string | null;
}

/**
 * The undo records the writers leave, read loosely: pageWriter.ts (new, re-added, duplicate,
 * held), deletions.ts (DeletionUndo) and exits.ts (ExitUndo).
 */
interface UndoRecord {
  created?: boolean;
  joined?: boolean;
  previousState?: string;
  changes?: Record<string, [string, string]>;
  removedByUserAt?: string;
  /** A removal other than the user's (a deletion's, an undo's) that the run cleared. */
  removal?: ClearedRemoval;
  previousExitedAt?: string;
  held?: boolean;
  reviewId?: number;
  left?: boolean;
  marked?: boolean;
  markedDeleted?: boolean;
  wroteRemoval?: boolean;
  sourceId?: string;
  member?: MemberSnapshot | null;
  /** When the batch was written; older records have none (the run's end stands in). */
  at?: string;
}

/** An outcome the undo reverts. */
interface Step {
  row: OutcomeRow & { contact_id: number };
  undo: UndoRecord;
}

/**
 * SQL: outcome `o` left the contact as it was, a duplicate that changed nothing and did not join
 * (no undo record, or one with joined false, changes {} and no previousExitedAt). Filtered in SQL:
 * most outcomes of a repeated run are such duplicates.
 */
const plainDuplicate = (o: string) =>
  `(${o}.outcome = 'duplicate' AND (${o}.undo IS NULL OR (COALESCE(json_extract(${o}.undo, '$.joined'), 0) = 0
     AND COALESCE(json_extract(${o}.undo, '$.changes'), '{}') = '{}' AND json_extract(${o}.undo, '$.previousExitedAt') IS NULL)))`;

/**
 * SQL: outcome `s` of run @run is one the undo reverts. A held outcome counts only when the run
 * itself queued the entry and it still waits.
 */
const isStep = `s.run_id = @run AND s.contact_id IS NOT NULL AND s.undo IS NOT NULL AND s.outcome NOT IN ('ignored', 'reverted')
  AND NOT ${plainDuplicate('s')}
  AND (s.outcome <> 'held' OR EXISTS (SELECT 1 FROM review_queue q WHERE q.id = json_extract(s.undo, '$.reviewId') AND q.run_id = s.run_id AND q.status = 'pending'))`;

/**
 * Undo a run: reverts what one finished run did to its list (additions, re-additions, removals,
 * exits, field changes, review holds) from the undo records its outcomes carry, as long as no
 * later run and no change by hand touched the same contacts. The undo is a run of its own, with
 * one Reverted outcome per contact it put back.
 */
export class RunUndo {
  constructor(private readonly store: Store, private readonly isRunning: (syncId: string) => boolean) {}

  check(runId: number): UndoCheck {
    const { refusal, contacts } = this.plan(this.run(runId));
    return { undoable: refusal === null, reason: refusal, contacts };
  }

  /** Undoes the run in one transaction; returns the undo run. Refused (conflict) with the reason. */
  undo(runId: number, now: string): Run {
    const { store } = this;
    const undoRunId = store.transaction(() => {
      const run = this.run(runId);
      const { refusal, sync } = this.plan(run);
      if (refusal !== null || !sync) throw new ContractError({ code: 'conflict', message: refusal ?? `Run #${run.id} has no sync` });
      const steps = this.steps(run.id);
      const id = Number(
        store.db
          .prepare(`INSERT INTO runs (sync_id, trigger, status, full_read, started_at, finished_at, undo_of) VALUES (?, 'manual', 'succeeded', 0, ?, ?, ?)`)
          .run(sync.id, now, now, run.id).lastInsertRowid,
      );
      const writer = new Reverter(store.db, sync, run.id, now);
      const outcomes: OutcomeWrite[] = [];
      // Last change first: the state before the run comes back in reverse order.
      for (const step of [...steps].reverse()) {
        const detail = writer.revert(step);
        if (detail === null) continue;
        outcomes.push({
          outcome: 'reverted', reason: null, email: step.row.email, sourceId: step.row.source_id, sourceName: step.row.source_name,
          contactId: step.row.contact_id, detail: `Undid ${outcomeLabels[step.row.outcome]} of run #${run.id}: ${detail}`,
          undo: JSON.stringify({ outcomeId: step.row.id }),
        });
      }
      store.runs.insertOutcomes(id, outcomes);
      store.db.prepare('UPDATE runs SET reverted = ? WHERE id = ?').run(outcomes.length, id);
      store.db.prepare('UPDATE runs SET undone_by = ? WHERE id = ?').run(id, run.id);
      return id;
    });
    return store.runs.get(undoRunId)!;
  }

  private run(runId: number): Run {
    const run = this.store.runs.get(runId);
    if (!run) throw new ContractError({ code: 'not-found', message: `No run ${runId}` });
    return run;
  }

  /** Whether the run can be undone, and how many contacts the undo would touch, read in SQL. */
  private plan(run: Run): { refusal: string | null; sync: SyncRecord | null; contacts: number } {
    const sync = this.store.syncs.get(run.syncId);
    const contacts = this.store.db.prepare(`SELECT COUNT(DISTINCT s.contact_id) FROM run_outcomes s WHERE ${isStep}`).pluck().get({ run: run.id }) as number;
    const refusal = this.refusal(run, sync, contacts);
    return { refusal, sync, contacts };
  }

  /** The run's outcomes that changed something, in the order they were written. */
  private steps(runId: number): Step[] {
    const rows = this.store.db
      .prepare(`SELECT s.id, s.outcome, s.email, s.source_id, s.source_name, s.contact_id, s.undo FROM run_outcomes s WHERE ${isStep} ORDER BY s.id`)
      .all({ run: runId }) as Array<OutcomeRow & { contact_id: number; undo: string }>;
    return rows.map((row) => ({ row, undo: JSON.parse(row.undo) as UndoRecord }));
  }

  private refusal(run: Run, sync: SyncRecord | null, contacts: number): string | null {
    const name = `Run #${run.id}`;
    if (run.undoOf !== null) return `${name} is itself the undo of run #${run.undoOf}; it cannot be undone.`;
    if (run.undoneBy !== null) return `${name} was already undone by run #${run.undoneBy}.`;
    if (run.status === 'running') return `${name} is still running; undo it when it has finished.`;
    if (run.status === 'skipped') return `${name} was skipped: it changed nothing.`;
    if (!sync) return `${name} belongs to a sync that no longer exists.`;
    if (this.isRunning(sync.id)) return `"${sync.name}" is running; undo ${name} when it has finished.`;
    if (contacts === 0) return `${name} changed no contact; there is nothing to undo.`;
    return this.laterRuns(run) ?? this.changedByHand(run);
  }

  /**
   * A later run that changed one of the same contacts (anything but a plain duplicate). Runs that
   * were undone since, and their undo runs, changed nothing that remains. Decided by the first such
   * outcome; the counts for the message are read only then.
   */
  private laterRuns(run: Run): string | null {
    const from = `FROM run_outcomes o JOIN runs x ON x.id = o.run_id
      WHERE o.contact_id IN (SELECT s.contact_id FROM run_outcomes s WHERE ${isStep}) AND o.run_id > @run
        AND x.undone_by IS NULL AND (x.undo_of IS NULL OR x.undo_of < @run) AND NOT ${plainDuplicate('o')}`;
    const { db } = this.store;
    const first = db
      .prepare(`SELECT o.run_id, o.outcome, (SELECT email FROM contacts WHERE id = o.contact_id) AS email ${from} ORDER BY o.run_id, o.id LIMIT 1`)
      .get({ run: run.id }) as { run_id: number; outcome: OutcomeKind; email: string } | undefined;
    if (!first) return null;
    const { contacts, runs } = db
      .prepare(`SELECT COUNT(DISTINCT o.contact_id) AS contacts, COUNT(DISTINCT o.run_id) AS runs ${from}`)
      .get({ run: run.id }) as { contacts: number; runs: number };
    const by = runs === 1 ? `run #${first.run_id}` : `${runs} later runs (first #${first.run_id})`;
    const which = contacts === 1 ? 'one of its contacts' : `${contacts} of its contacts`;
    return `Run #${run.id} cannot be undone: ${by} changed ${which} since, e.g. ${first.email} (${outcomeLabels[first.outcome]}).`;
  }

  /**
   * A contact whose last change came after the run wrote it (the undo record's `at`; older records:
   * the run's end), also while the run still went on, and that no later run's write explains:
   * changed by hand (marked, approved in review).
   */
  private changedByHand(run: Run): string | null {
    const from = `FROM (SELECT s.contact_id, MAX(COALESCE(json_extract(s.undo, '$.at'), @finished)) AS at FROM run_outcomes s WHERE ${isStep} GROUP BY s.contact_id) t
      JOIN contacts c ON c.id = t.contact_id
      WHERE c.updated_at > t.at
        AND c.updated_at > COALESCE((SELECT MAX(COALESCE(json_extract(l.undo, '$.at'), x.finished_at)) FROM run_outcomes l JOIN runs x ON x.id = l.run_id
                                     WHERE l.contact_id = c.id AND l.run_id > @run AND l.outcome NOT IN ('ignored', 'held') AND NOT ${plainDuplicate('l')}), '')`;
    const { db } = this.store;
    const params = { run: run.id, finished: run.finishedAt };
    const first = db.prepare(`SELECT c.email ${from} ORDER BY c.updated_at, c.id LIMIT 1`).pluck().get(params) as string | undefined;
    if (first === undefined) return null;
    const count = db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(params) as number;
    return `Run #${run.id} cannot be undone: ${count === 1 ? 'one of its contacts was' : `${count} of its contacts were`} changed by hand since, e.g. ${first} (its state or fields).`;
  }
}

interface ContactNow { state: string; first_name: string; last_name: string; fields: string }

/** Writes the reverse of each outcome; returns what it put back in words, or null when nothing. */
class Reverter {
  private readonly contact: Statement;
  private readonly setContact: Statement;
  private readonly leaveList: Statement;
  private readonly onAnyList: Statement;
  private readonly rejoinList: Statement;
  private readonly setExited: Statement;
  private readonly forgetSourceRow: Statement;
  private readonly rememberSource: Statement;
  private readonly restoreRemoval: Statement;
  private readonly forgetDeletionRemoval: Statement;
  private readonly dropHeld: Statement;

  constructor(db: Database, private readonly sync: SyncRecord, private readonly runId: number, private readonly now: string) {
    this.contact = db.prepare('SELECT state, first_name, last_name, fields FROM contacts WHERE id = ?');
    this.setContact = db.prepare('UPDATE contacts SET state = ?, first_name = ?, last_name = ?, fields = ?, updated_at = ? WHERE id = ?');
    this.leaveList = db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?');
    this.onAnyList = db.prepare('SELECT 1 FROM list_members WHERE contact_id = ? LIMIT 1');
    this.rejoinList = db.prepare(
      `INSERT OR IGNORE INTO list_members (list_id, contact_id, sync_id, added_run_id, added_at, subscription, exited_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.setExited = db.prepare('UPDATE list_members SET exited_at = ? WHERE list_id = ? AND contact_id = ?');
    this.forgetSourceRow = db.prepare('DELETE FROM sync_sources WHERE sync_id = ? AND source_id = ?');
    this.rememberSource = db.prepare(
      `INSERT INTO sync_sources (sync_id, source_id, contact_id) VALUES (?, ?, ?)
       ON CONFLICT (sync_id, source_id) DO UPDATE SET contact_id = excluded.contact_id, exited_at = NULL`,
    );
    this.restoreRemoval = db.prepare(
      `INSERT INTO list_removals (list_id, contact_id, removed_at, cause, undone_run) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (list_id, contact_id) DO UPDATE SET removed_at = excluded.removed_at, cause = excluded.cause, undone_run = excluded.undone_run`,
    );
    this.forgetDeletionRemoval = db.prepare(`DELETE FROM list_removals WHERE list_id = ? AND contact_id = ? AND cause = 'deleted'`);
    this.dropHeld = db.prepare(`DELETE FROM review_queue WHERE id = ? AND run_id = ? AND status = 'pending'`);
  }

  revert({ row, undo }: Step): string | null {
    const id = row.contact_id;
    const done: string[] = [];
    // A bounced or do-not-mail address keeps its state and is never put back in the list.
    const suppressed = this.isSuppressed(id);
    switch (row.outcome) {
      case 'new': {
        const left = this.leave(id);
        if (left) done.push('left the list');
        this.forgetSource(row.source_id);
        // Deleted, not forgotten: a later read brings it back through the re-subscription guard.
        if (!suppressed && this.onAnyList.get(id) === undefined && this.setState(id, 'deleted')) done.push('marked deleted');
        else if (left) this.rememberTakenOut(id);
        break;
      }
      case 'readded':
      case 'duplicate': {
        const left = undo.joined === true && this.leave(id);
        if (left) {
          done.push('left the list');
          this.forgetSource(row.source_id);
        }
        const restored = this.restoreFields(id, undo.changes ?? {}, suppressed ? undefined : undo.previousState);
        if (restored) done.push(restored);
        if (undo.removedByUserAt) {
          this.restoreRemoval.run(this.sync.listId, id, undo.removedByUserAt, 'user', null);
          done.push('your removal from the list stands again');
        } else if (undo.removal) {
          this.restoreRemoval.run(this.sync.listId, id, undo.removal.at, undo.removal.cause, undo.removal.undoneRun);
          done.push('its earlier removal from the list stands again');
        } else if (left) {
          this.rememberTakenOut(id);
        }
        if (undo.previousExitedAt && this.setExited.run(undo.previousExitedAt, this.sync.listId, id).changes > 0) {
          done.push('marked "no longer matches" again');
        }
        break;
      }
      case 'held':
        // Dropped, not rejected: a rejection would keep the contact out for good (the guard's rule).
        if (this.dropHeld.run(undo.reviewId, this.runId).changes > 0) done.push('taken out of the review queue');
        break;
      case 'deleted':
        if (!suppressed && this.rejoin(id, undo.member)) done.push('back in the list');
        if (!suppressed && undo.wroteRemoval) this.forgetDeletionRemoval.run(this.sync.listId, id);
        if (undo.markedDeleted && undo.previousState && this.setState(id, undo.previousState, 'deleted')) done.push(`${undo.previousState} again`);
        if (undo.sourceId) this.rememberSource.run(this.sync.id, undo.sourceId, id);
        break;
      case 'exited':
        if (undo.left && !suppressed && this.rejoin(id, undo.member)) done.push('back in the list');
        if (undo.marked && this.setExited.run(undo.member?.exitedAt ?? null, this.sync.listId, id).changes > 0) {
          done.push('"no longer matches" mark cleared');
        }
        if (undo.sourceId) this.rememberSource.run(this.sync.id, undo.sourceId, id);
        if (done.length === 0) done.push('counted as matching the sync again');
        break;
      default:
        return null;
    }
    return done.length > 0 ? done.join(', ') : null;
  }

  private isSuppressed(contactId: number): boolean {
    const c = this.contact.get(contactId) as ContactNow | undefined;
    return c?.state === 'bounced' || c?.state === 'do-not-mail';
  }

  /**
   * The undo took a contact out of the list and it stays (active, or suppressed): remembered, so
   * that no sync puts it back silently (the re-subscription guard names this undo).
   */
  private rememberTakenOut(contactId: number): void {
    const c = this.contact.get(contactId) as ContactNow | undefined;
    if (!c || c.state === 'deleted') return;
    this.restoreRemoval.run(this.sync.listId, contactId, this.now, 'undo', this.runId);
  }

  private leave(contactId: number): boolean {
    return this.leaveList.run(this.sync.listId, contactId).changes > 0;
  }

  private forgetSource(sourceId: string | null): void {
    if (sourceId !== null) this.forgetSourceRow.run(this.sync.id, sourceId);
  }

  /** Puts a membership back as it was (a record from before the snapshot: as this sync's, now). */
  private rejoin(contactId: number, member: MemberSnapshot | null | undefined): boolean {
    const m = member ?? { syncId: this.sync.id, addedRunId: null, addedAt: this.now, subscription: null, exitedAt: null };
    const subscription = m.subscription === null ? null : JSON.stringify(m.subscription);
    return this.rejoinList.run(this.sync.listId, contactId, m.syncId, m.addedRunId, m.addedAt, subscription, m.exitedAt).changes > 0;
  }

  /** Sets the state (only from `from`, when given); true when it changed. */
  private setState(contactId: number, state: string, from?: string): boolean {
    const c = this.contact.get(contactId) as ContactNow | undefined;
    if (!c || c.state === state || (from !== undefined && c.state !== from)) return false;
    this.setContact.run(state, c.first_name, c.last_name, c.fields, this.now, contactId);
    return true;
  }

  /** Puts back the values a run changed, and the state before it; returns what, in words. */
  private restoreFields(contactId: number, changes: Record<string, [string, string]>, previousState: string | undefined): string | null {
    const c = this.contact.get(contactId) as ContactNow | undefined;
    if (!c) return null;
    const next = { first_name: c.first_name, last_name: c.last_name, fields: JSON.parse(c.fields) as Record<string, string> };
    const keys = Object.keys(changes);
    for (const key of keys) {
      const before = changes[key]![0];
      if (key === 'first_name' || key === 'last_name') next[key] = before;
      // A field the run filled in was absent before (merge reads absent as empty).
      else if (before === '') delete next.fields[key];
      else next.fields[key] = before;
    }
    const state = previousState ?? c.state;
    if (keys.length === 0 && state === c.state) return null;
    this.setContact.run(state, next.first_name, next.last_name, JSON.stringify(next.fields), this.now, contactId);
    const parts: string[] = [];
    if (state !== c.state) parts.push(`${state} again`);
    if (keys.length > 0) parts.push(`${keys.join(', ')} restored`);
    return parts.join(', ');
  }
}

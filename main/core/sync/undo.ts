import type { Database, Statement } from 'better-sqlite3';
import { ContractError, type UndoCheck } from '../../common/contract';
import { outcomeLabels, type OutcomeKind } from '../../common/domain/outcome';
import type { Run } from '../../common/domain/run';
import type { OutcomeWrite, Store, SyncRecord } from '../store';
import type { MemberSnapshot } from './deletions';

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
  previousExitedAt?: string;
  held?: boolean;
  reviewId?: number;
  left?: boolean;
  marked?: boolean;
  markedDeleted?: boolean;
  sourceId?: string;
  member?: MemberSnapshot | null;
}

/** An outcome the undo reverts. */
interface Step {
  row: OutcomeRow & { contact_id: number };
  undo: UndoRecord;
}

/** A later outcome that leaves the contact as it was: a duplicate that changed nothing and did not join. */
function isPlainDuplicate(outcome: OutcomeKind, undo: string | null): boolean {
  if (outcome !== 'duplicate') return false;
  const u = (undo ? JSON.parse(undo) : {}) as UndoRecord;
  return u.joined !== true && Object.keys(u.changes ?? {}).length === 0 && u.previousExitedAt === undefined;
}

/**
 * Undo a run: reverts what one finished run did to its list (additions, re-additions, removals,
 * exits, field changes, review holds) from the undo records its outcomes carry, as long as no
 * later run and no change by hand touched the same contacts. The undo is a run of its own, with
 * one Reverted outcome per contact it put back.
 */
export class RunUndo {
  constructor(private readonly store: Store, private readonly isRunning: (syncId: string) => boolean) {}

  check(runId: number): UndoCheck {
    const { steps, refusal } = this.plan(this.run(runId));
    return { undoable: refusal === null, reason: refusal, contacts: new Set(steps.map((s) => s.row.contact_id)).size };
  }

  /** Undoes the run in one transaction; returns the undo run. Refused (conflict) with the reason. */
  undo(runId: number, now: string): Run {
    const { store } = this;
    const undoRunId = store.transaction(() => {
      const run = this.run(runId);
      const { steps, refusal, sync } = this.plan(run);
      if (refusal !== null || !sync) throw new ContractError({ code: 'conflict', message: refusal ?? `Run #${run.id} has no sync` });
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

  private plan(run: Run): { steps: Step[]; refusal: string | null; sync: SyncRecord | null } {
    const sync = this.store.syncs.get(run.syncId);
    const steps = this.steps(run.id);
    const refusal = this.refusal(run, sync, steps);
    return { steps, refusal, sync };
  }

  /** The run's outcomes that changed something, in the order they were written. */
  private steps(runId: number): Step[] {
    const rows = this.store.db
      .prepare(`SELECT id, outcome, email, source_id, source_name, contact_id, undo FROM run_outcomes WHERE run_id = ? AND contact_id IS NOT NULL AND undo IS NOT NULL ORDER BY id`)
      .all(runId) as Array<OutcomeRow & { contact_id: number; undo: string }>;
    const steps: Step[] = [];
    for (const row of rows) {
      if (row.outcome === 'ignored' || row.outcome === 'reverted' || isPlainDuplicate(row.outcome, row.undo)) continue;
      const undo = JSON.parse(row.undo) as Step['undo'];
      if (row.outcome === 'held' && !this.heldByRun(undo.reviewId, runId)) continue;
      steps.push({ row, undo });
    }
    return steps;
  }

  /** A held outcome is undone only when the run itself queued the entry and it still waits. */
  private heldByRun(reviewId: number | undefined, runId: number): boolean {
    if (reviewId === undefined) return false;
    return this.store.db.prepare(`SELECT 1 FROM review_queue WHERE id = ? AND run_id = ? AND status = 'pending'`).get(reviewId, runId) !== undefined;
  }

  private refusal(run: Run, sync: SyncRecord | null, steps: readonly Step[]): string | null {
    const name = `Run #${run.id}`;
    if (run.undoOf !== null) return `${name} is itself the undo of run #${run.undoOf}; it cannot be undone.`;
    if (run.undoneBy !== null) return `${name} was already undone by run #${run.undoneBy}.`;
    if (run.status === 'running') return `${name} is still running; undo it when it has finished.`;
    if (run.status === 'skipped') return `${name} was skipped: it changed nothing.`;
    if (!sync) return `${name} belongs to a sync that no longer exists.`;
    if (this.isRunning(sync.id)) return `"${sync.name}" is running; undo ${name} when it has finished.`;
    if (steps.length === 0) return `${name} changed no contact; there is nothing to undo.`;
    const ids = JSON.stringify([...new Set(steps.map((s) => s.row.contact_id))]);
    return this.laterRuns(run, ids) ?? this.changedByHand(run, ids);
  }

  /**
   * A later run that changed one of the same contacts (anything but a plain duplicate). Runs that
   * were undone since, and their undo runs, changed nothing that remains.
   */
  private laterRuns(run: Run, contactIds: string): string | null {
    const rows = this.store.db
      .prepare(
        `SELECT o.run_id, o.outcome, o.undo, o.contact_id, c.email
         FROM json_each(?) j
         JOIN run_outcomes o ON o.contact_id = j.value AND o.run_id > ?
         JOIN runs x ON x.id = o.run_id
         JOIN contacts c ON c.id = o.contact_id
         WHERE x.undone_by IS NULL AND (x.undo_of IS NULL OR x.undo_of < ?)
         ORDER BY o.run_id, o.id`,
      )
      .all(contactIds, run.id, run.id) as Array<{ run_id: number; outcome: OutcomeKind; undo: string | null; contact_id: number; email: string }>;
    const changed = rows.filter((r) => !isPlainDuplicate(r.outcome, r.undo));
    if (changed.length === 0) return null;
    const first = changed[0]!;
    const contacts = new Set(changed.map((r) => r.contact_id)).size;
    const runs = [...new Set(changed.map((r) => r.run_id))];
    const by = runs.length === 1 ? `run #${first.run_id}` : `${runs.length} later runs (first #${first.run_id})`;
    const which = contacts === 1 ? 'one of its contacts' : `${contacts} of its contacts`;
    return `Run #${run.id} cannot be undone: ${by} changed ${which} since, e.g. ${first.email} (${outcomeLabels[first.outcome]}).`;
  }

  /** A contact whose last change came after the run and from no run: changed by hand (marked, approved in review). */
  private changedByHand(run: Run, contactIds: string): string | null {
    if (run.finishedAt === null) return null;
    const rows = this.store.db
      .prepare(
        `SELECT c.email FROM json_each(?) j JOIN contacts c ON c.id = j.value
         WHERE c.updated_at > ?
           AND c.updated_at > COALESCE((SELECT MAX(x.finished_at) FROM run_outcomes o JOIN runs x ON x.id = o.run_id
                                        WHERE o.contact_id = c.id AND o.run_id > ?), '')
         ORDER BY c.updated_at, c.id`,
      )
      .pluck()
      .all(contactIds, run.finishedAt, run.id) as string[];
    if (rows.length === 0) return null;
    return `Run #${run.id} cannot be undone: ${rows.length === 1 ? 'one of its contacts was' : `${rows.length} of its contacts were`} changed by hand since, e.g. ${rows[0]} (its state or fields).`;
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
       ON CONFLICT (sync_id, source_id) DO UPDATE SET contact_id = excluded.contact_id`,
    );
    this.restoreRemoval = db.prepare(
      `INSERT INTO list_removals (list_id, contact_id, removed_at) VALUES (?, ?, ?)
       ON CONFLICT (list_id, contact_id) DO UPDATE SET removed_at = excluded.removed_at`,
    );
    this.dropHeld = db.prepare(`DELETE FROM review_queue WHERE id = ? AND run_id = ? AND status = 'pending'`);
  }

  revert({ row, undo }: Step): string | null {
    const id = row.contact_id;
    const done: string[] = [];
    switch (row.outcome) {
      case 'new':
        if (this.leave(id)) done.push('left the list');
        this.forgetSource(row.source_id);
        // Deleted, not forgotten: a later read brings it back through the re-subscription guard.
        if (this.onAnyList.get(id) === undefined && this.setState(id, 'deleted')) done.push('marked deleted');
        break;
      case 'readded':
      case 'duplicate': {
        if (undo.joined && this.leave(id)) {
          done.push('left the list');
          this.forgetSource(row.source_id);
        }
        const restored = this.restoreFields(id, undo.changes ?? {}, undo.previousState);
        if (restored) done.push(restored);
        if (undo.removedByUserAt) {
          this.restoreRemoval.run(this.sync.listId, id, undo.removedByUserAt);
          done.push('your removal from the list stands again');
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
        if (this.rejoin(id, undo.member)) done.push('back in the list');
        if (undo.markedDeleted && undo.previousState && this.setState(id, undo.previousState, 'deleted')) done.push(`${undo.previousState} again`);
        if (undo.sourceId) this.rememberSource.run(this.sync.id, undo.sourceId, id);
        break;
      case 'exited':
        if (undo.left && this.rejoin(id, undo.member)) done.push('back in the list');
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

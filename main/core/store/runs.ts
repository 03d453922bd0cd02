import type { Database, Statement } from 'better-sqlite3';
import type { IgnoreReason, OutcomeKind, OutcomeRecord, RunCounts } from '../../common/domain/outcome';
import type { Run, RunStatus, RunTrigger } from '../../common/domain/run';
import { BulkStatement } from './bulk';

interface RunRow {
  id: number;
  sync_id: string;
  trigger: RunTrigger;
  status: RunStatus;
  full_read: number;
  started_at: string;
  finished_at: string | null;
  total: number; new: number; readded: number; held: number; duplicate: number; ignored: number; deleted: number;
  exited: number; reverted: number; retries: number; undo_of: number | null; undone_by: number | null;
  ign_bounced: number; ign_do_not_mail: number; ign_group: number; ign_file_duplicate: number; ign_invalid: number; ign_empty: number;
  pages: number;
  requests: number;
  error_kind: string | null;
  error: string | null;
}

interface OutcomeRow {
  id: number;
  outcome: OutcomeKind;
  reason: IgnoreReason | null;
  email: string | null;
  source_id: string | null;
  source_name: string | null;
  detail: string | null;
}

/** An outcome as the engine writes it. `undo` holds what the run changed, for a later undo. */
export interface OutcomeWrite {
  outcome: OutcomeKind;
  reason: IgnoreReason | null;
  email: string | null;
  sourceId: string | null;
  sourceName: string | null;
  contactId: number | null;
  detail: string | null;
  undo: string | null;
}

function countsOf(r: RunRow): RunCounts {
  return {
    total: r.total, new: r.new, readded: r.readded, held: r.held, duplicate: r.duplicate, ignored: r.ignored,
    deleted: r.deleted, exited: r.exited, reverted: r.reverted,
    ignored_by_reason: {
      bounced: r.ign_bounced, do_not_mail: r.ign_do_not_mail, group: r.ign_group,
      file_duplicate: r.ign_file_duplicate, invalid: r.ign_invalid, empty: r.ign_empty,
    },
  };
}

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    syncId: r.sync_id,
    trigger: r.trigger,
    status: r.status,
    fullRead: r.full_read === 1,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counts: countsOf(r),
    pages: r.pages,
    requests: r.requests,
    error: r.error,
    errorKind: r.error_kind,
    retries: r.retries,
    undoOf: r.undo_of,
    undoneBy: r.undone_by,
  };
}

const toOutcome = (r: OutcomeRow): OutcomeRecord => ({
  id: r.id, outcome: r.outcome, reason: r.reason, email: r.email,
  sourceContactId: r.source_id, sourceName: r.source_name, detail: r.detail,
});

export interface OutcomeFilter {
  outcome?: OutcomeKind;
  reason?: IgnoreReason;
}

/** How many outcome rows a run has for a filter, from its stored counts (saved with the rows, in one transaction). */
function storedTotal(counts: RunCounts, filter: OutcomeFilter): number {
  if (filter.reason) return filter.outcome === undefined || filter.outcome === 'ignored' ? counts.ignored_by_reason[filter.reason] : 0;
  if (filter.outcome) return counts[filter.outcome];
  return counts.total + counts.deleted + counts.exited + counts.reverted;
}

export class RunsRepo {
  // Statements of the per-page path, prepared once (the engine calls these for every batch).
  private progressStmt: Statement | null = null;
  private outcomesBulk: BulkStatement | null = null;

  constructor(private readonly db: Database) {}

  create(syncId: string, trigger: RunTrigger, fullRead: boolean, readFrom: string | null, now: string): number {
    return Number(
      this.db
        .prepare(`INSERT INTO runs (sync_id, trigger, status, full_read, read_from, started_at) VALUES (?, ?, 'running', ?, ?, ?)`)
        .run(syncId, trigger, fullRead ? 1 : 0, readFrom, now).lastInsertRowid,
    );
  }

  get(id: number): Run | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  runningFor(syncId: string): Run | null {
    const row = this.db.prepare(`SELECT * FROM runs WHERE sync_id = ? AND status = 'running'`).get(syncId) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  /** Saves the counts reached so far; called inside each page's transaction. */
  saveProgress(id: number, counts: RunCounts, pages: number, requests: number, retries = 0): void {
    const i = counts.ignored_by_reason;
    this.progressStmt ??= this.db.prepare(
      `UPDATE runs SET total = ?, new = ?, readded = ?, held = ?, duplicate = ?, ignored = ?, deleted = ?, exited = ?, reverted = ?,
         ign_bounced = ?, ign_do_not_mail = ?, ign_group = ?, ign_file_duplicate = ?, ign_invalid = ?, ign_empty = ?,
         pages = ?, requests = ?, retries = ? WHERE id = ?`,
    );
    this.progressStmt.run(
      counts.total, counts.new, counts.readded, counts.held, counts.duplicate, counts.ignored, counts.deleted, counts.exited,
      counts.reverted, i.bounced, i.do_not_mail, i.group, i.file_duplicate, i.invalid, i.empty, pages, requests, retries, id,
    );
  }

  finish(id: number, status: Exclude<RunStatus, 'running'>, now: string, error?: { kind: string; message: string }): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, error_kind = ?, error = ? WHERE id = ?')
      .run(status, now, error?.kind ?? null, error?.message ?? null, id);
  }

  /** A scheduled run that found its sync busy: recorded so the history shows why nothing ran. */
  recordSkipped(syncId: string, trigger: RunTrigger, now: string, reason: string): number {
    return Number(
      this.db
        .prepare(`INSERT INTO runs (sync_id, trigger, status, started_at, finished_at, error_kind, error) VALUES (?, ?, 'skipped', ?, ?, 'busy', ?)`)
        .run(syncId, trigger, now, now, reason).lastInsertRowid,
    );
  }

  /** At start-up: runs left 'running' by a crash or kill are marked interrupted. */
  markInterrupted(now: string): number {
    return this.db
      .prepare(`UPDATE runs SET status = 'interrupted', finished_at = ?, error = 'ListSync stopped during this run' WHERE status = 'running'`)
      .run(now).changes;
  }

  /** A sync's runs, newest first, paged in SQL. */
  history(syncId: string, opts: { offset: number; limit: number }): { total: number; runs: Run[] } {
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE sync_id = ?').get(syncId) as { n: number }).n;
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE sync_id = ? ORDER BY id DESC LIMIT ? OFFSET ?')
      .all(syncId, opts.limit, opts.offset) as RunRow[];
    return { total, runs: rows.map(toRun) };
  }

  lastSucceeded(syncId: string): Run | null {
    const row = this.db
      .prepare(`SELECT * FROM runs WHERE sync_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`)
      .get(syncId) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  /** Writes a run's outcome rows in bulk (multi-row statements), in the order given. */
  insertOutcomes(runId: number, outcomes: readonly OutcomeWrite[]): void {
    if (outcomes.length === 0) return;
    this.outcomesBulk ??= new BulkStatement(
      this.db, 'INSERT INTO run_outcomes (run_id, outcome, reason, email, source_id, source_name, contact_id, detail, undo)', 9,
    );
    const values: unknown[] = [];
    for (const o of outcomes) values.push(runId, o.outcome, o.reason, o.email, o.sourceId, o.sourceName, o.contactId, o.detail, o.undo);
    this.outcomesBulk.run(values);
  }

  private filterSql(filter: OutcomeFilter): { where: string; params: unknown[] } {
    const clauses = ['run_id = ?'];
    const params: unknown[] = [];
    if (filter.outcome) { clauses.push('outcome = ?'); params.push(filter.outcome); }
    if (filter.reason) { clauses.push('reason = ?'); params.push(filter.reason); }
    return { where: clauses.join(' AND '), params };
  }

  /**
   * One page of a run's outcomes, in id order. The (run_id) and (run_id, outcome, reason, id)
   * indexes keep a page fast at a million rows (`afterId` gives keyset paging); `total` comes
   * from the run's stored counts, written with the rows, instead of counting a million rows.
   */
  outcomes(runId: number, filter: OutcomeFilter, opts: { afterId?: number; offset?: number; limit: number }): {
    total: number;
    outcomes: OutcomeRecord[];
  } {
    const { where, params } = this.filterSql(filter);
    const run = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    const total = run ? storedTotal(countsOf(run), filter) : 0;
    const after = opts.afterId !== undefined ? ' AND id > ?' : '';
    const rows = this.db
      .prepare(
        `SELECT id, outcome, reason, email, source_id, source_name, detail FROM run_outcomes
         WHERE ${where}${after} ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(runId, ...params, ...(opts.afterId !== undefined ? [opts.afterId] : []), opts.limit, opts.offset ?? 0) as OutcomeRow[];
    return { total, outcomes: rows.map(toOutcome) };
  }

  *iterateOutcomes(runId: number, filter: OutcomeFilter): IterableIterator<OutcomeRecord> {
    const { where, params } = this.filterSql(filter);
    const stmt = this.db.prepare(
      `SELECT id, outcome, reason, email, source_id, source_name, detail FROM run_outcomes WHERE ${where} ORDER BY id`,
    );
    for (const row of stmt.iterate(runId, ...params) as IterableIterator<OutcomeRow>) yield toOutcome(row);
  }
}

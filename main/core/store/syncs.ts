import type { Database } from 'better-sqlite3';
import type { ImportOption } from '../../common/domain/criteria';
import type { FieldMapping, UpdatePolicy } from '../../common/domain/mapping';
import type { Schedule } from '../../common/domain/schedule';
import { defaultSubscription, type ExitPolicy, type NewSyncInput, type ReaddPolicy, type RetrievalStart, type Subscription, type Sync, type SyncEditable } from '../../common/domain/sync';
import { newId } from './ids';

interface SyncRow {
  id: string;
  name: string;
  account_id: string;
  account_name: string;
  organization_id: string;
  organization_name: string;
  import_option: string;
  list_id: string;
  list_name: string;
  mapping: string;
  update_policy: UpdatePolicy;
  update_empty_values: number;
  schedule: string;
  retrieval_start: string;
  active: number;
  inactive_reason: string | null;
  cursor_at: string | null;
  last_full_read_at: string | null;
  next_run_at: string | null;
  created_at: string;
  subscription: string;
  readd_policy: ReaddPolicy;
  exit_policy: ExitPolicy;
  paused: number;
  paused_reason: string | null;
  failure_streak: number;
  waiting_reason: string | null;
  waiting_until: string | null;
  pending_review: number;
  last_run_id: number | null;
  last_run_status: string | null;
  last_run_started_at: string | null;
  last_run_finished_at: string | null;
}

/** The engine's view of a sync: the domain object plus its read cursor. */
export interface SyncRecord extends Sync {
  cursorAt: string | null;
  lastFullReadAt: string | null;
}

const select = `
  SELECT s.*, a.name AS account_name, l.name AS list_name,
    r.id AS last_run_id, r.status AS last_run_status, r.started_at AS last_run_started_at, r.finished_at AS last_run_finished_at,
    (SELECT COUNT(*) FROM review_queue q WHERE q.sync_id = s.id AND q.status = 'pending') AS pending_review
  FROM syncs s
  JOIN accounts a ON a.id = s.account_id
  JOIN mailing_lists l ON l.id = s.list_id
  LEFT JOIN runs r ON r.id = (SELECT MAX(id) FROM runs WHERE sync_id = s.id)`;

function toSync(r: SyncRow): SyncRecord {
  return {
    id: r.id,
    name: r.name,
    accountId: r.account_id,
    accountName: r.account_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    importOption: JSON.parse(r.import_option) as ImportOption,
    listId: r.list_id,
    listName: r.list_name,
    mapping: JSON.parse(r.mapping) as FieldMapping,
    updatePolicy: r.update_policy,
    updateEmptyValues: r.update_empty_values === 1,
    schedule: JSON.parse(r.schedule) as Schedule,
    retrievalStart: JSON.parse(r.retrieval_start) as RetrievalStart,
    subscription: JSON.parse(r.subscription) as Subscription,
    readdPolicy: r.readd_policy,
    exitPolicy: r.exit_policy,
    active: r.active === 1,
    inactiveReason: r.inactive_reason,
    paused: r.paused === 1,
    pausedReason: r.paused_reason,
    failureStreak: r.failure_streak,
    waiting: r.waiting_reason !== null && r.waiting_until !== null ? { reason: r.waiting_reason, until: r.waiting_until } : null,
    pendingReview: r.pending_review,
    running: r.last_run_status === 'running',
    nextRunAt: r.next_run_at,
    lastRun:
      r.last_run_id === null
        ? null
        : { id: r.last_run_id, status: r.last_run_status!, startedAt: r.last_run_started_at!, finishedAt: r.last_run_finished_at },
    createdAt: r.created_at,
    cursorAt: r.cursor_at,
    lastFullReadAt: r.last_full_read_at,
  };
}

export class SyncsRepo {
  constructor(private readonly db: Database) {}

  /** The subscription and safety options may be left out (their defaults apply), as in the contract. */
  create(input: NewSyncInput & { organizationName: string }, now: string): SyncRecord {
    const id = newId('sync');
    this.db
      .prepare(
        `INSERT INTO syncs (id, name, account_id, organization_id, organization_name, import_option, list_id, mapping,
           update_policy, update_empty_values, schedule, retrieval_start, subscription, readd_policy, exit_policy,
           active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(
        id, input.name, input.accountId, input.organizationId, input.organizationName,
        JSON.stringify(input.importOption), input.listId, JSON.stringify(input.mapping), input.updatePolicy,
        input.updateEmptyValues ? 1 : 0, JSON.stringify(input.schedule), JSON.stringify(input.retrievalStart),
        JSON.stringify(input.subscription ?? defaultSubscription()), input.readdPolicy ?? 'join', input.exitPolicy ?? 'keep', now, now,
      );
    return this.get(id)!;
  }

  list(): SyncRecord[] {
    return (this.db.prepare(`${select} ORDER BY s.created_at, s.id`).all() as SyncRow[]).map(toSync);
  }

  byAccount(accountId: string): SyncRecord[] {
    return (this.db.prepare(`${select} WHERE s.account_id = ? ORDER BY s.created_at`).all(accountId) as SyncRow[]).map(toSync);
  }

  get(id: string): SyncRecord | null {
    const row = this.db.prepare(`${select} WHERE s.id = ?`).get(id) as SyncRow | undefined;
    return row ? toSync(row) : null;
  }

  find(idOrName: string): SyncRecord | null {
    const row = this.db
      .prepare(`${select} WHERE s.id = ? OR s.name = ? COLLATE NOCASE ORDER BY s.id = ? DESC LIMIT 1`)
      .get(idOrName, idOrName, idOrName) as SyncRow | undefined;
    return row ? toSync(row) : null;
  }

  /** Edit mapping and retrieval details; the import option is not editable (a trigger guards it too). */
  update(id: string, edit: SyncEditable, now: string): void {
    this.db
      .prepare(
        `UPDATE syncs SET name = ?, mapping = ?, update_policy = ?, update_empty_values = ?, schedule = ?,
           retrieval_start = ?, subscription = ?, readd_policy = ?, exit_policy = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        edit.name, JSON.stringify(edit.mapping), edit.updatePolicy, edit.updateEmptyValues ? 1 : 0,
        JSON.stringify(edit.schedule), JSON.stringify(edit.retrievalStart), JSON.stringify(edit.subscription),
        edit.readdPolicy, edit.exitPolicy, now, id,
      );
  }

  /** Pause / Resume (apart from active): resuming clears the failure streak and any wait. */
  setPaused(id: string, paused: boolean, reason: string | null, now: string): void {
    this.db
      .prepare(
        `UPDATE syncs SET paused = ?, paused_reason = ?, updated_at = ?,
           failure_streak = CASE WHEN ? THEN failure_streak ELSE 0 END WHERE id = ?`,
      )
      .run(paused ? 1 : 0, paused ? reason : null, now, paused ? 1 : 0, id);
  }

  /** After a run: a failed scheduled run adds one to the streak, a succeeded run clears it. Returns the streak. */
  recordRunOutcome(id: string, failedScheduled: boolean): number {
    this.db
      .prepare('UPDATE syncs SET failure_streak = CASE WHEN ? THEN failure_streak + 1 ELSE 0 END WHERE id = ?')
      .run(failedScheduled ? 1 : 0, id);
    return this.db.prepare('SELECT failure_streak FROM syncs WHERE id = ?').pluck().get(id) as number;
  }

  /** A due run held back (today's API budget), with why and until when; null clears it. */
  setWaiting(id: string, waiting: { reason: string; until: string } | null): void {
    this.db.prepare('UPDATE syncs SET waiting_reason = ?, waiting_until = ? WHERE id = ?').run(waiting?.reason ?? null, waiting?.until ?? null, id);
  }

  /** Topic names used by any sync (a topic in use cannot be deleted). */
  topicsInUse(): Set<string> {
    const rows = this.db.prepare('SELECT subscription FROM syncs').pluck().all() as string[];
    return new Set(rows.flatMap((r) => (JSON.parse(r) as Subscription).topics.map((t) => t.toLowerCase())));
  }

  setActive(id: string, active: boolean, reason: string | null, now: string): void {
    this.db
      .prepare('UPDATE syncs SET active = ?, inactive_reason = ?, updated_at = ? WHERE id = ?')
      .run(active ? 1 : 0, active ? null : reason, now, id);
  }

  /** Deactivates every active sync of an account, with the reason shown to the user. Returns their ids. */
  deactivateAccount(accountId: string, reason: string, now: string): string[] {
    const ids = this.db.prepare('SELECT id FROM syncs WHERE account_id = ? AND active = 1').pluck().all(accountId) as string[];
    this.db
      .prepare('UPDATE syncs SET active = 0, inactive_reason = ?, updated_at = ? WHERE account_id = ? AND active = 1')
      .run(reason, now, accountId);
    return ids;
  }

  setNextRunAt(id: string, at: string | null): void {
    this.db.prepare('UPDATE syncs SET next_run_at = ? WHERE id = ?').run(at, id);
  }

  /** After a succeeded run: where the next incremental read starts. */
  advanceCursor(id: string, cursorAt: string, fullRead: boolean): void {
    this.db
      .prepare(
        `UPDATE syncs SET cursor_at = ?, last_full_read_at = CASE WHEN ? THEN ? ELSE last_full_read_at END WHERE id = ?`,
      )
      .run(cursorAt, fullRead ? 1 : 0, cursorAt, id);
  }

  /** Whether any Zoho contact is mapped to the sync (none before its first import). */
  hasSources(id: string): boolean {
    return this.db.prepare('SELECT EXISTS (SELECT 1 FROM sync_sources WHERE sync_id = ?)').pluck().get(id) === 1;
  }

  delete(id: string): void {
    this.db.transaction(() => {
      // Outcomes first in bulk: cascading a million rows row by row is slow.
      this.db.prepare('DELETE FROM run_outcomes WHERE run_id IN (SELECT id FROM runs WHERE sync_id = ?)').run(id);
      this.db.prepare('DELETE FROM syncs WHERE id = ?').run(id);
    })();
  }
}

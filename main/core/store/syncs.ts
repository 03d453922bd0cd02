import type { Database } from 'better-sqlite3';
import type { ImportOption } from '../../common/domain/criteria';
import type { FieldMapping, UpdatePolicy } from '../../common/domain/mapping';
import type { Schedule } from '../../common/domain/schedule';
import type { NewSync, RetrievalStart, Sync, SyncEditable } from '../../common/domain/sync';
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
    r.id AS last_run_id, r.status AS last_run_status, r.started_at AS last_run_started_at, r.finished_at AS last_run_finished_at
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
    active: r.active === 1,
    inactiveReason: r.inactive_reason,
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

  create(input: NewSync & { organizationName: string }, now: string): SyncRecord {
    const id = newId('sync');
    this.db
      .prepare(
        `INSERT INTO syncs (id, name, account_id, organization_id, organization_name, import_option, list_id, mapping,
           update_policy, update_empty_values, schedule, retrieval_start, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(
        id, input.name, input.accountId, input.organizationId, input.organizationName,
        JSON.stringify(input.importOption), input.listId, JSON.stringify(input.mapping), input.updatePolicy,
        input.updateEmptyValues ? 1 : 0, JSON.stringify(input.schedule), JSON.stringify(input.retrievalStart), now, now,
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
           retrieval_start = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        edit.name, JSON.stringify(edit.mapping), edit.updatePolicy, edit.updateEmptyValues ? 1 : 0,
        JSON.stringify(edit.schedule), JSON.stringify(edit.retrievalStart), now, id,
      );
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

  delete(id: string): void {
    this.db.transaction(() => {
      // Outcomes first in bulk: cascading a million rows row by row is slow.
      this.db.prepare('DELETE FROM run_outcomes WHERE run_id IN (SELECT id FROM runs WHERE sync_id = ?)').run(id);
      this.db.prepare('DELETE FROM syncs WHERE id = ?').run(id);
    })();
  }
}

import type { Statement } from 'better-sqlite3';
import type { Store, SyncRecord } from '../store';
import { nextUsageDay, usageDay } from '../store/accounts';
import { defaultReadPolicy, planRead, type ReadPolicy } from '../sync/readPlan';

// Zoho caps API calls per organization per day (UTC days here). ListSync counts every request it
// makes and holds a scheduled run back rather than meet Zoho's 429s halfway through it.

type BudgetSync = Pick<SyncRecord, 'accountId' | 'organizationId'>;

export interface BudgetStatus {
  /** Requests counted today for the sync's organization. */
  used: number;
  /** The account's daily cap. */
  cap: number;
  /** Today's use has reached the cap: a run started now would stop at its first request. */
  exhausted: boolean;
  /** Start of the next UTC day, when the count starts again. */
  resetsAt: string;
}

export interface BudgetWait {
  reason: string;
  until: string;
}

const formatCount = (n: number): string => n.toLocaleString('en-US');

/** Today's use of the sync's organization against its account's cap. */
export function budgetStatus(store: Store, sync: BudgetSync, now: Date): BudgetStatus {
  const { used, cap } = store.accounts.usageToday(sync.accountId, sync.organizationId, now);
  return { used, cap, exhausted: used >= cap, resetsAt: nextUsageDay(now).toISOString() };
}

/**
 * Requests the sync's next run is expected to need: those of its last succeeded run of the same
 * read mode (a full read costs far more than an incremental one), or 1 when there is none yet.
 */
export function estimatedRequests(store: Store, sync: SyncRecord, now: Date, policy: ReadPolicy = defaultReadPolicy): number {
  const full = planRead(sync, now, policy).mode === 'full';
  const requests = store.db
    .prepare(`SELECT requests FROM runs WHERE sync_id = ? AND status = 'succeeded' AND full_read = ? AND undo_of IS NULL ORDER BY id DESC LIMIT 1`)
    .pluck()
    .get(sync.id, full ? 1 : 0) as number | undefined;
  return Math.max(1, requests ?? 1);
}

export function waitingReason(status: BudgetStatus, organizationName: string, needs: number | null): string {
  const need = needs === null ? '' : `; this run needs about ${formatCount(needs)}`;
  return `Waiting for today's API budget: ${formatCount(status.used)} of ${formatCount(status.cap)} requests used for ` +
    `${organizationName}${need}. It runs when the budget resets at 00:00 UTC.`;
}

/** The failure message of a run stopped (or not started) because the budget ran out. */
export function budgetStopMessage(status: Pick<BudgetStatus, 'used' | 'cap'>, organizationName: string, started: boolean): string {
  const what = started ? 'the run stopped and keeps what it wrote' : 'the run did not start';
  return `Today's API budget for ${organizationName} is used up (${formatCount(status.used)} of ${formatCount(status.cap)} ` +
    `requests); ${what}. The budget resets at 00:00 UTC.`;
}

/**
 * Whether a scheduled or catch-up run must wait for tomorrow's budget, and why. A run starts when
 * today's use plus its estimate fits the cap. On a day with no use yet it always starts, even when
 * its estimate is above the whole cap: it would otherwise never run (it stops at the cap instead).
 */
export function budgetHold(store: Store, sync: SyncRecord, now: Date, policy?: ReadPolicy): BudgetWait | null {
  const status = budgetStatus(store, sync, now);
  const needs = estimatedRequests(store, sync, now, policy);
  if (!status.exhausted && (status.used === 0 || status.used + needs <= status.cap)) return null;
  return { reason: waitingReason(status, sync.organizationName, needs), until: status.resetsAt };
}

/** The wait after a run that ran out of budget: until the next UTC day. */
export function budgetWaitAfterStop(store: Store, sync: SyncRecord, now: Date): BudgetWait {
  const status = budgetStatus(store, sync, now);
  return { reason: waitingReason(status, sync.organizationName, null), until: status.resetsAt };
}

/**
 * Counts a run's requests against today's budget of its organization (one prepared statement for
 * the reading side; AccountsRepo.countRequest keeps its own for the writing side).
 */
export class BudgetMeter {
  private readonly read: Statement;

  constructor(private readonly store: Store, private readonly sync: BudgetSync) {
    this.read = store.db.prepare(
      `SELECT (SELECT requests FROM api_usage WHERE account_id = ? AND organization_id = ? AND day = ?) AS used,
              (SELECT daily_cap FROM accounts WHERE id = ?) AS cap`,
    );
  }

  /** Counts one request made at `at`; returns today's use after it and the cap. */
  count(at: Date): { used: number; cap: number } {
    const { accountId, organizationId } = this.sync;
    this.store.accounts.countRequest(accountId, organizationId, at);
    const row = this.read.get(accountId, organizationId, usageDay(at), accountId) as { used: number | null; cap: number | null };
    return { used: row.used ?? 0, cap: row.cap ?? 0 };
  }
}

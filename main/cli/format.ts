import type { Account } from '../common/domain/account';
import { describeImportOption } from '../common/domain/criteria';
import type { MailingList } from '../common/domain/mailingList';
import type { RunCounts } from '../common/domain/outcome';
import type { Run } from '../common/domain/run';
import { describeSchedule } from '../common/domain/schedule';
import type { Sync } from '../common/domain/sync';

/** The CLI's JSON shapes: snake_case, stable for scripts, secrets reduced to the last four characters. */
export const accountJson = (a: Account) => ({
  id: a.id, name: a.name, data_center: a.dataCenter, base_url: a.baseUrl, key_last4: a.keyLast4,
  demo: a.isDemo, syncs: a.syncCount, inactive_syncs: a.inactiveSyncCount, created_at: a.createdAt,
  api_budget: {
    plan: a.budget.plan, daily_cap: a.budget.dailyCap, resets_at: a.budget.resetsAt,
    used_today: a.budget.usage.map((u) => ({ organization_id: u.organizationId, requests: u.used })),
  },
});

export const listJson = (l: MailingList) => ({ id: l.id, name: l.name, members: l.memberCount, created_at: l.createdAt });

export const syncJson = (s: Sync) => ({
  id: s.id, name: s.name, account_id: s.accountId, account: s.accountName, organization_id: s.organizationId,
  organization: s.organizationName, list_id: s.listId, list: s.listName, import_option: s.importOption,
  mapping: s.mapping, update_policy: s.updatePolicy, update_empty_values: s.updateEmptyValues, schedule: s.schedule,
  retrieval_start: s.retrievalStart,
  subscription: { type: s.subscription.type, topics: s.subscription.topics, lawful_basis: s.subscription.lawfulBasis },
  readd_policy: s.readdPolicy, exit_policy: s.exitPolicy,
  active: s.active, inactive_reason: s.inactiveReason, paused: s.paused, paused_reason: s.pausedReason,
  failure_streak: s.failureStreak, waiting: s.waiting, pending_review: s.pendingReview, running: s.running,
  next_run_at: s.nextRunAt, last_run: s.lastRun ? { run_id: s.lastRun.id, status: s.lastRun.status, started_at: s.lastRun.startedAt, finished_at: s.lastRun.finishedAt } : null,
  created_at: s.createdAt,
});

export const runJson = (r: Run) => ({
  run_id: r.id, sync_id: r.syncId, status: r.status, trigger: r.trigger, full_read: r.fullRead,
  started_at: r.startedAt, finished_at: r.finishedAt, counts: r.counts, pages: r.pages, requests: r.requests,
  retries: r.retries, undo_of: r.undoOf, undone_by: r.undoneBy,
  error: r.error ? { kind: r.errorKind, message: r.error } : null,
});

export function countsLine(c: RunCounts): string {
  const i = c.ignored_by_reason;
  return [
    `Total ${c.total}: New ${c.new}, Re-added ${c.readded}, Held ${c.held}, Duplicate ${c.duplicate}, Ignored ${c.ignored}, Deleted ${c.deleted}, Exited ${c.exited}${c.reverted ? `, Reverted ${c.reverted}` : ''}`,
    `Ignored: Bounced ${i.bounced}, Do-Not-Mail ${i.do_not_mail}, Group email ${i.group}, File duplicate ${i.file_duplicate}, Invalid pattern ${i.invalid}, Empty email ${i.empty}`,
  ].join('\n');
}

export function syncText(s: Sync): string {
  return [
    `${s.name}  (${s.id})`,
    `  Account:      ${s.accountName}  Organization: ${s.organizationName} (${s.organizationId})`,
    `  Contacts:     ${describeImportOption(s.importOption)}`,
    `  Mailing list: ${s.listName}`,
    `  Mapping:      ${s.mapping.map((m) => `${m.target} ← ${m.source}`).join(', ')}`,
    `  Updates:      ${s.updatePolicy}${s.updateEmptyValues ? ', empty values clear fields' : ''}`,
    `  Schedule:     ${describeSchedule(s.schedule)}`,
    `  Data:         ${s.retrievalStart.kind === 'all' ? 'All data' : `After ${s.retrievalStart.after}`}`,
    `  Subscription: ${s.subscription.type}${s.subscription.topics.length ? `, topics ${s.subscription.topics.join(', ')}` : ''}, lawful basis ${s.subscription.lawfulBasis ?? 'none'}`,
    `  Comes back:   ${s.readdPolicy === 'join' ? 'joins at once (Re-added)' : 'waits in the review queue'}${s.pendingReview ? ` — ${s.pendingReview} pending` : ''}`,
    `  Stops matching: ${s.exitPolicy}`,
    `  Status:       ${s.running ? 'running' : !s.active ? `inactive — ${s.inactiveReason ?? ''}` : s.paused ? `paused — ${s.pausedReason ?? ''}` : 'active'}`,
    ...(s.waiting ? [`  Waiting:      ${s.waiting.reason}`] : []),
    ...(s.failureStreak > 0 ? [`  Failures:     ${s.failureStreak} scheduled run(s) in a row`] : []),
    `  Next run:     ${s.nextRunAt ?? '—'}`,
    `  Last run:     ${s.lastRun ? `#${s.lastRun.id} ${s.lastRun.status} at ${s.lastRun.startedAt}` : '—'}`,
  ].join('\n');
}

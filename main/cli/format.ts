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
});

export const listJson = (l: MailingList) => ({ id: l.id, name: l.name, members: l.memberCount, created_at: l.createdAt });

export const syncJson = (s: Sync) => ({
  id: s.id, name: s.name, account_id: s.accountId, account: s.accountName, organization_id: s.organizationId,
  organization: s.organizationName, list_id: s.listId, list: s.listName, import_option: s.importOption,
  mapping: s.mapping, update_policy: s.updatePolicy, update_empty_values: s.updateEmptyValues, schedule: s.schedule,
  retrieval_start: s.retrievalStart, active: s.active, inactive_reason: s.inactiveReason, running: s.running,
  next_run_at: s.nextRunAt, last_run: s.lastRun ? { run_id: s.lastRun.id, status: s.lastRun.status, started_at: s.lastRun.startedAt, finished_at: s.lastRun.finishedAt } : null,
  created_at: s.createdAt,
});

export const runJson = (r: Run) => ({
  run_id: r.id, sync_id: r.syncId, status: r.status, trigger: r.trigger, full_read: r.fullRead,
  started_at: r.startedAt, finished_at: r.finishedAt, counts: r.counts, pages: r.pages, requests: r.requests,
  error: r.error ? { kind: r.errorKind, message: r.error } : null,
});

export function countsLine(c: RunCounts): string {
  const i = c.ignored_by_reason;
  return [
    `Total ${c.total}: New ${c.new}, Re-added ${c.readded}, Duplicate ${c.duplicate}, Ignored ${c.ignored}, Deleted ${c.deleted}`,
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
    `  Status:       ${s.running ? 'running' : s.active ? 'active' : `inactive — ${s.inactiveReason ?? ''}`}`,
    `  Next run:     ${s.nextRunAt ?? '—'}`,
    `  Last run:     ${s.lastRun ? `#${s.lastRun.id} ${s.lastRun.status} at ${s.lastRun.startedAt}` : '—'}`,
  ].join('\n');
}

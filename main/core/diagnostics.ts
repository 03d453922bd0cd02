import { existsSync, readFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import type { AppInfo } from '../common/contract';
import { logFilePath } from './logging';
import type { Store } from './store';
import type { AppStart } from './store/settings';

const logLines = 200;

/**
 * The text behind "Copy diagnostics": versions, counts, sync states and the log's tail. Built from
 * what the store and the log hold; neither ever contains a key, and account names are not needed.
 */
export function diagnosticsReport(info: AppInfo, store: Store, dataDir: string, now: Date): string {
  const syncs = store.syncs.list();
  const lines = [
    `ListSync ${info.version} (${info.runtime}) — diagnostics of ${now.toISOString()}`,
    `Node ${process.versions.node}${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}; ${platform()} ${release()} ${arch()}`,
    `Data folder: ${dataDir}`,
    startsLine(store),
    `Keychain: ${info.keychain.ok ? 'ok' : `unavailable — ${info.keychain.message ?? 'unknown reason'}`}`,
    `Accounts: ${store.accounts.list().length}; mailing lists: ${store.lists.list().length}; contacts: ${store.contacts.count()}; syncs: ${syncs.length}`,
    '',
    'Syncs:',
    ...syncs.map((s) =>
      `  ${s.id} ${s.active ? 'active' : `inactive (${s.inactiveReason ?? 'deactivated'})`}` +
      `${s.paused ? `, paused (${s.pausedReason ?? 'by you'})` : ''}${s.waiting ? `, waiting (${s.waiting.reason})` : ''}` +
      `${s.failureStreak > 0 ? `, ${s.failureStreak} failed scheduled run(s) in a row` : ''}; schedule ${s.schedule.kind}; ` +
      `next ${s.nextRunAt ?? '—'}; last ${s.lastRun ? `${s.lastRun.status} ${s.lastRun.startedAt}` : '—'}` +
      `${s.pendingReview > 0 ? `; ${s.pendingReview} in review` : ''}`),
    '',
    `Last ${logLines} log lines (${logFilePath(dataDir)}):`,
  ];
  const log = logFilePath(dataDir);
  if (existsSync(log)) lines.push(...readFileSync(log, 'utf8').trimEnd().split('\n').slice(-logLines));
  else lines.push('  (no log yet)');
  return lines.join('\n');
}

function startsLine(store: Store): string {
  const starts = store.settings.starts();
  if (!starts) return 'Started: not recorded';
  const { current, previous } = starts;
  const start = (s: AppStart) => `ListSync ${s.version} (${s.runtime}) at ${s.at}`;
  return `Started: ${start(current)}; ` + (previous ? `the start before: ${start(previous)}` : 'the first start on this data folder');
}

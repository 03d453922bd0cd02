import type { RunCounts } from '../../common/domain/outcome';
import type { NotificationMode } from '../../common/domain/settings';

export type { NotificationMode };

export interface FinishedRun {
  syncId: string;
  syncName: string;
  runId: number;
  status: 'succeeded' | 'failed' | 'interrupted';
  counts: RunCounts;
  error: { kind: string; message: string } | null;
}

export interface RunNotification {
  title: string;
  body: string;
  /** What a click opens: the run's history. */
  syncId: string;
  runId: number;
  urgent: boolean;
}

/**
 * What the native notification says when an import completes or fails, and whether there is one.
 * Pure, so it is tested without Electron; main/electron only shows it.
 */
export function notificationFor(run: FinishedRun, mode: NotificationMode): RunNotification | null {
  if (mode === 'off') return null;
  // The user stopped it (Cancel, or quitting the app): nothing to tell them.
  if (run.error?.kind === 'cancelled') return null;
  // An undo run (only undo runs revert): the user just asked for it and sees it on screen.
  if (run.counts.reverted > 0) return null;
  if (run.status === 'succeeded') {
    if (mode === 'failures') return null;
    const c = run.counts;
    const guard = [c.held > 0 ? ` · Held back ${c.held}` : '', c.exited > 0 ? ` · Exited ${c.exited}` : ''].join('');
    return {
      title: `${run.syncName}: import complete`,
      body: `New ${c.new} · Re-added ${c.readded} · Ignored ${c.ignored} · Deleted ${c.deleted}${guard} (of ${c.total})`,
      syncId: run.syncId,
      runId: run.runId,
      urgent: false,
    };
  }
  const reason = run.error?.message ?? 'ListSync stopped during this run';
  return {
    title: `${run.syncName}: import failed`,
    body: reason.length > 180 ? `${reason.slice(0, 177)}…` : reason,
    syncId: run.syncId,
    runId: run.runId,
    urgent: run.error?.kind === 'auth',
  };
}

/** A rejected key deactivates several syncs at once: one notification for the account, not one per sync. */
export function deactivationNotice(accountName: string, syncCount: number, reason: string): { title: string; body: string } {
  return {
    title: `${accountName}: ${syncCount} sync${syncCount === 1 ? '' : 's'} deactivated`,
    body: reason,
  };
}

/** A sync that paused itself after failed scheduled runs: one notification, when it happens. */
export function autoPauseNotice(syncName: string, reason: string): { title: string; body: string } {
  return { title: `${syncName}: paused`, body: reason.length > 180 ? `${reason.slice(0, 177)}…` : reason };
}

import type { NotificationMode } from '../../common/domain/settings';
import type { Sync } from '../../common/domain/sync';
import type { CoreEvents } from '../events';
import { autoPauseNotice, deactivationNotice, notificationFor, type FinishedRun } from './notifications';

// Turns the core's events into the notices the desktop shows, by the user's notification setting.
// main/electron/desktop.ts shows each one as a native Notification.

export interface DesktopNotice {
  title: string;
  body: string;
  urgent: boolean;
  /** The run a click opens (its page, #/runs/<runId>), or null: a click just shows the window. */
  opens: { syncId: string; runId: number } | null;
}

/** The part of the store the notices need (core.store.syncs): a sync's name, its account and pause. */
export interface NoticeLookup {
  get(syncId: string): (Pick<Sync, 'name' | 'accountId' | 'accountName'> & Partial<Pick<Sync, 'paused' | 'pausedReason'>>) | null;
}

export interface NotifierDeps {
  events: Pick<CoreEvents, 'on'>;
  lookup: NoticeLookup;
  /** Read at each event, so a change in Settings applies to the next notice. */
  mode(): NotificationMode;
  show(notice: DesktopNotice): void;
}

const finishedStatuses = new Set<string>(['succeeded', 'failed', 'interrupted']);

/**
 * One notice per account whose syncs were deactivated together (a rejected or changed key
 * deactivates all of an account's syncs at once): never one per sync.
 */
export function deactivationNotices(syncIds: readonly string[], reason: string, lookup: NoticeLookup): DesktopNotice[] {
  const perAccount = new Map<string, { name: string; count: number }>();
  for (const id of syncIds) {
    const sync = lookup.get(id);
    if (!sync) continue;
    const entry = perAccount.get(sync.accountId) ?? { name: sync.accountName, count: 0 };
    entry.count++;
    perAccount.set(sync.accountId, entry);
  }
  return [...perAccount.values()].map(({ name, count }) => ({ ...deactivationNotice(name, count, reason), urgent: true, opens: null }));
}

/** Subscribes to run.finished and syncs.changed; returns the unsubscribe. */
export function watchNotifications(deps: NotifierDeps): () => void {
  const offs = [
    deps.events.on('run.finished', (event) => {
      if (!finishedStatuses.has(event.status)) return;
      const run: FinishedRun = {
        syncId: event.syncId,
        syncName: deps.lookup.get(event.syncId)?.name ?? 'A deleted sync',
        runId: event.runId,
        status: event.status as FinishedRun['status'],
        counts: event.counts,
        error: event.error,
      };
      const note = notificationFor(run, deps.mode());
      if (note) deps.show({ title: note.title, body: note.body, urgent: note.urgent, opens: { syncId: note.syncId, runId: note.runId } });
    }),
    deps.events.on('syncs.changed', ({ syncIds, reason }) => {
      if (reason === null || syncIds.length === 0 || deps.mode() === 'off') return;
      // A sync that paused itself carries its pause reason; every other reason is a deactivation.
      const pausedNow = (id: string) => {
        const sync = deps.lookup.get(id);
        return sync?.paused === true && sync.pausedReason === reason;
      };
      for (const id of syncIds.filter(pausedNow)) {
        deps.show({ ...autoPauseNotice(deps.lookup.get(id)!.name, reason), urgent: true, opens: null });
      }
      deactivationNotices(syncIds.filter((id) => !pausedNow(id)), reason, deps.lookup).forEach((notice) => deps.show(notice));
    }),
  ];
  return () => offs.forEach((off) => off());
}

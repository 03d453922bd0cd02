import { isRecurring } from '../../common/domain/schedule';
import type { Clock, Logger, Timer } from '../ports';
import type { Store } from '../store';
import { missedRunDue, nextRunAfter } from './nextRun';

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  timer: Timer;
  logger: Logger;
  isRunning(syncId: string): boolean;
  startRun(syncId: string, trigger: 'schedule' | 'catch-up'): void;
  /** A sync's next run time changed (the UI refreshes it). */
  nextRunChanged?(syncId: string): void;
}

const PAUSED_KEY = 'scheduler.paused';

/**
 * Keeps one timer per active recurring sync, armed at its next run time. The times come from
 * nextRun.ts; the Timer (node-schedule in the app, a manual timer in tests) only fires them.
 * The next run time is persisted on the sync, which is how a run missed while the app was
 * closed is found at the next start (node-schedule itself keeps nothing).
 */
export class SyncScheduler {
  private readonly jobs = new Map<string, () => void>();
  private started = false;

  constructor(private readonly deps: SchedulerDeps) {}

  get paused(): boolean {
    return this.deps.store.settings.get<boolean>(PAUSED_KEY, false);
  }

  /** Runs each overdue sync once (trigger catch-up), then arms every active recurring sync. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.deps.clock.now();
    if (!this.paused) {
      for (const sync of this.deps.store.syncs.list()) {
        if (sync.active && isRecurring(sync.schedule) && missedRunDue(sync.nextRunAt, now)) {
          this.deps.logger.log('info', 'schedule.catch-up', { syncId: sync.id, dueAt: sync.nextRunAt });
          this.launch(sync.id, 'catch-up');
        }
      }
    }
    for (const sync of this.deps.store.syncs.list()) {
      // Keep a stored time still ahead (set while not running); otherwise schedule from now.
      const stored = sync.nextRunAt ? new Date(sync.nextRunAt) : null;
      this.arm(sync.id, stored && stored > now ? new Date(stored.getTime() - 1) : now);
    }
  }

  /** Follows a change to a sync (created, edited, activated, deactivated, deleted) at once. */
  follow(syncId: string): void {
    // Not started (a one-shot CLI command): still record the next run time, so it is shown and a
    // later start knows whether the slot was missed.
    this.arm(syncId, this.deps.clock.now());
  }

  pauseAll(): void {
    this.deps.store.settings.set(PAUSED_KEY, true);
    for (const sync of this.deps.store.syncs.list()) this.arm(sync.id, this.deps.clock.now());
  }

  resumeAll(): void {
    this.deps.store.settings.set(PAUSED_KEY, false);
    for (const sync of this.deps.store.syncs.list()) this.arm(sync.id, this.deps.clock.now());
  }

  stop(): void {
    for (const cancel of this.jobs.values()) cancel();
    this.jobs.clear();
    this.started = false;
  }

  /** Syncs with a pending timer (tests and diagnostics). */
  armedSyncIds(): string[] {
    return [...this.jobs.keys()];
  }

  private arm(syncId: string, from: Date): void {
    this.jobs.get(syncId)?.();
    this.jobs.delete(syncId);
    const { store } = this.deps;
    const sync = store.syncs.find(syncId);
    if (!sync) return;
    const next = sync.active && !this.paused ? nextRunAfter(sync.schedule, from) : null;
    const nextIso = next ? next.at.toISOString() : null;
    if (nextIso !== sync.nextRunAt) {
      store.syncs.setNextRunAt(syncId, nextIso);
      this.deps.nextRunChanged?.(syncId);
    }
    if (!next || !this.started) return;
    const dueAt = next.at;
    this.jobs.set(syncId, this.deps.timer.at(dueAt, () => this.fire(syncId, dueAt)));
  }

  private fire(syncId: string, dueAt: Date): void {
    this.jobs.delete(syncId);
    const sync = this.deps.store.syncs.find(syncId);
    if (!sync || !sync.active || this.paused) return;
    this.launch(syncId, 'schedule');
    // From the later of the slot and now: a timer that fired late (the machine slept) must not
    // replay every slot it slept through.
    const now = this.deps.clock.now();
    this.arm(syncId, now.getTime() > dueAt.getTime() ? now : dueAt);
  }

  private launch(syncId: string, trigger: 'schedule' | 'catch-up'): void {
    const { store, clock, logger } = this.deps;
    if (this.deps.isRunning(syncId)) {
      store.runs.recordSkipped(syncId, trigger, clock.now().toISOString(), 'Skipped: the previous run of this sync was still going');
      logger.log('info', 'schedule.skipped-busy', { syncId, trigger });
      return;
    }
    this.deps.startRun(syncId, trigger);
  }
}

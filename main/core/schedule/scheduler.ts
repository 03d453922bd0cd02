import { isRecurring } from '../../common/domain/schedule';
import type { Clock, Logger, Timer } from '../ports';
import type { Store, SyncRecord } from '../store';
import type { BudgetWait } from './budget';
import { missedRunDue, nextRunAfter } from './nextRun';

type ScheduledTrigger = 'schedule' | 'catch-up';

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  timer: Timer;
  logger: Logger;
  isRunning(syncId: string): boolean;
  startRun(syncId: string, trigger: ScheduledTrigger): void;
  /** A sync's next run time changed (the UI refreshes it). */
  nextRunChanged?(syncId: string): void;
  /** Whether a due run must wait (today's API budget), and why; null lets it start. */
  holdFor?(sync: SyncRecord, now: Date): BudgetWait | null;
  /** A due run was held back: the sync now shows why it waits. */
  waitingChanged?(syncId: string): void;
}

const PAUSED_KEY = 'scheduler.paused';

/**
 * Keeps one timer per active recurring sync, armed at its next run time. The times come from
 * nextRun.ts; the Timer (node-schedule in the app, a manual timer in tests) only fires them.
 * The next run time is persisted on the sync, which is how a run missed while the app was
 * closed is found at the next start (node-schedule itself keeps nothing).
 *
 * A paused sync (by the user, or by itself after failed runs) gets no timer and no catch-up; its
 * next run time is empty until it is resumed. Run now still works on it: pausing holds the
 * schedule only, apart from deactivation. A sync waiting for tomorrow's API budget is armed at
 * the end of its wait (a catch-up run) instead of its next slot; that time is persisted too.
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
        if (this.schedulable(sync) && missedRunDue(sync.nextRunAt, now)) {
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

  private schedulable(sync: SyncRecord): boolean {
    return sync.active && !sync.paused && isRecurring(sync.schedule);
  }

  /** The sync's next timer: the end of a budget wait (catch-up), else its next slot after `from`. */
  private nextFor(sync: SyncRecord, from: Date): { at: Date; trigger: ScheduledTrigger } | null {
    if (!this.schedulable(sync) || this.paused) return null;
    if (sync.waiting) {
      const until = new Date(sync.waiting.until);
      return { at: until > from ? until : from, trigger: 'catch-up' };
    }
    const next = nextRunAfter(sync.schedule, from);
    return next ? { at: next.at, trigger: 'schedule' } : null;
  }

  private arm(syncId: string, from: Date): void {
    this.jobs.get(syncId)?.();
    this.jobs.delete(syncId);
    const { store } = this.deps;
    const sync = store.syncs.find(syncId);
    if (!sync) return;
    if (sync.waiting && !this.schedulable(sync)) {
      // Paused, deactivated or made one-time: the run it waited to make goes with its schedule.
      store.syncs.setWaiting(syncId, null);
      sync.waiting = null;
    }
    const next = this.nextFor(sync, from);
    const nextIso = next ? next.at.toISOString() : null;
    if (nextIso !== sync.nextRunAt) {
      store.syncs.setNextRunAt(syncId, nextIso);
      this.deps.nextRunChanged?.(syncId);
    }
    if (!next || !this.started) return;
    const { at: dueAt, trigger } = next;
    this.jobs.set(syncId, this.deps.timer.at(dueAt, () => this.fire(syncId, dueAt, trigger)));
  }

  private fire(syncId: string, dueAt: Date, trigger: ScheduledTrigger): void {
    this.jobs.delete(syncId);
    const sync = this.deps.store.syncs.find(syncId);
    if (!sync || !this.schedulable(sync) || this.paused) return;
    this.launch(syncId, trigger);
    // From the later of the slot and now: a timer that fired late (the machine slept) must not
    // replay every slot it slept through.
    const now = this.deps.clock.now();
    this.arm(syncId, now.getTime() > dueAt.getTime() ? now : dueAt);
  }

  private launch(syncId: string, trigger: ScheduledTrigger): void {
    const { store, clock, logger } = this.deps;
    if (this.deps.isRunning(syncId)) {
      store.runs.recordSkipped(syncId, trigger, clock.now().toISOString(), 'Skipped: the previous run of this sync was still going');
      logger.log('info', 'schedule.skipped-busy', { syncId, trigger });
      return;
    }
    const sync = store.syncs.find(syncId);
    const hold = sync ? this.deps.holdFor?.(sync, clock.now()) ?? null : null;
    if (hold) {
      // Not started: the caller re-arms the sync at the end of the wait.
      store.syncs.setWaiting(syncId, hold);
      logger.log('info', 'schedule.waiting-budget', { syncId, trigger, until: hold.until });
      this.deps.waitingChanged?.(syncId);
      return;
    }
    this.deps.startRun(syncId, trigger);
  }
}

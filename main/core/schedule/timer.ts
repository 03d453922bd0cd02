import schedule from 'node-schedule';
import type { Timer } from '../ports';

/**
 * The app's timer: a one-shot node-schedule job per date (node-schedule copes with timeouts
 * longer than setTimeout's 24.8-day limit). Recurrence is never delegated to node-schedule.
 */
export const nodeScheduleTimer: Timer = {
  at(at, fn) {
    const job = schedule.scheduleJob(at, fn);
    if (job) return () => job.cancel();
    // node-schedule refuses dates already past: fire on the next tick instead.
    const handle = setTimeout(fn, 0);
    return () => clearTimeout(handle);
  },
};

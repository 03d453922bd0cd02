import type { Clock, Timer } from '../ports';

/**
 * A clock and timer that move only when told to, so schedule tests assert exact times without
 * sleeping. advanceTo fires due timers in time order, with the clock set to each one's time.
 */
export class ManualTime implements Clock, Timer {
  private current: number;
  private pending: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(at: Date, fn: () => void): () => void {
    const entry = { at: at.getTime(), seq: this.seq++, fn };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  advanceTo(target: Date | string): void {
    const end = new Date(target).getTime();
    for (;;) {
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = Math.max(this.current, end);
  }

  /** Moves the clock without firing anything: the app was closed for this long. */
  jumpTo(target: Date | string): void {
    this.current = new Date(target).getTime();
  }

  pendingTimes(): Date[] {
    return this.pending.map((p) => new Date(p.at)).sort((a, b) => a.getTime() - b.getTime());
  }
}

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../main/core/ports';
import { RequestLimiter, ZohoApiError, limiterFor, limiterKey } from '../../main/core/zoho';

/**
 * A simulated clock and timer queue: sleeps resolve only when the test advances time, so the
 * limiter is checked exactly, with no real waiting and no dependence on timing.
 */
class SimulatedTime implements Clock {
  private t = 1_000_000;
  private timers: Array<{ at: number; resolve: () => void; reject: (e: unknown) => void; seq: number }> = [];
  private seq = 0;

  now(): Date {
    return new Date(this.t);
  }

  get ms(): number {
    return this.t;
  }

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = { at: this.t + Math.max(0, ms), resolve, reject, seq: this.seq++ };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal.reason);
      }, { once: true });
    });

  get pending(): number {
    return this.timers.length;
  }

  /** Lets promise callbacks run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  }

  /** Jumps to the next timer and fires it; false when none is left. */
  async step(): Promise<boolean> {
    await this.settle();
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift()!;
    this.t = Math.max(this.t, next.at);
    next.resolve();
    await this.settle();
    return true;
  }

  async runAll(limit = 100_000): Promise<void> {
    for (let i = 0; i < limit && (await this.step()); i += 1);
  }
}

/** A deterministic PRNG for the simulated request durations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function maxStartsInWindow(starts: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < starts.length; i += 1) {
    let n = 0;
    for (let j = i; j < starts.length && starts[j]! < starts[i]! + windowMs; j += 1) n += 1;
    best = Math.max(best, n);
  }
  return best;
}

describe('the per-organization limiter (simulated clock)', () => {
  it('never starts more than `requests` in any window, nor more than `concurrent` at once', async () => {
    const time = new SimulatedTime();
    const limiter = new RequestLimiter({ requests: 10, windowMs: 1000, concurrent: 3, marginMs: 0, clock: time, sleep: time.sleep });
    const random = prng(7);
    const starts: number[] = [];
    let active = 0;
    let maxActive = 0;
    let done = 0;
    const tasks = Array.from({ length: 57 }, async () => {
      const release = await limiter.acquire();
      starts.push(time.ms);
      active += 1;
      maxActive = Math.max(maxActive, active);
      await time.sleep(Math.floor(random() * 400)); // the request takes 0–400 ms
      active -= 1;
      done += 1;
      release();
    });
    await time.runAll();
    await Promise.all(tasks);
    expect(done).toBe(57);
    expect(maxActive).toBe(3);
    expect(maxStartsInWindow(starts, 1000)).toBe(10);
    // The window is the bottleneck here: 57 requests need at least 5 full windows.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(5000);
    expect(limiter.stats()).toMatchObject({ active: 0, waiting: 0, maxActive: 3, started: 57 });
  });

  it('keeps the margin on top of the window', async () => {
    const time = new SimulatedTime();
    const limiter = new RequestLimiter({ requests: 2, windowMs: 1000, concurrent: 5, marginMs: 50, clock: time, sleep: time.sleep });
    const starts: number[] = [];
    const tasks = Array.from({ length: 5 }, () => limiter.run(async () => void starts.push(time.ms)));
    await time.runAll();
    await Promise.all(tasks);
    const t0 = starts[0]!;
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 1050, 1050, 2100]);
  });

  it('counts a request in the window until its reply is read, not from its start', async () => {
    // The server counts arrivals, which trail starts by the latency: stamping the end keeps the
    // server's window within the limit whatever the latency.
    const time = new SimulatedTime();
    const limiter = new RequestLimiter({ requests: 2, windowMs: 1000, concurrent: 5, marginMs: 0, clock: time, sleep: time.sleep });
    const starts: number[] = [];
    const durations = [700, 100, 0, 0];
    const tasks = durations.map((ms) => limiter.run(async () => {
      starts.push(time.ms);
      await time.sleep(ms);
    }));
    await time.runAll();
    await Promise.all(tasks);
    const t0 = starts[0]!;
    // The third waits for the second's end (100) plus the window; the fourth for the first's (700).
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 1100, 1700]);
  });

  it('serves waiters first come, first served', async () => {
    const time = new SimulatedTime();
    const limiter = new RequestLimiter({ requests: 100, windowMs: 1000, concurrent: 1, clock: time, sleep: time.sleep });
    const order: number[] = [];
    const tasks = [0, 1, 2, 3, 4].map((n) => limiter.run(async () => {
      order.push(n);
      await time.sleep(10);
    }));
    await time.runAll();
    await Promise.all(tasks);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('cancels a waiting request at once, without losing a slot', async () => {
    const time = new SimulatedTime();
    const limiter = new RequestLimiter({ requests: 100, windowMs: 1000, concurrent: 1, clock: time, sleep: time.sleep });
    const holder = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const after = limiter.acquire();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(waiting).rejects.toBeInstanceOf(ZohoApiError);
    holder();
    const release = await after; // the cancelled waiter did not take the slot
    release();
    release(); // releasing twice is harmless
    expect(limiter.stats()).toMatchObject({ active: 0, waiting: 0 });
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('stops its window timer when every waiter has gone', async () => {
    const time = new SimulatedTime();
    const limiter = new RequestLimiter({ requests: 1, windowMs: 60_000, concurrent: 5, clock: time, sleep: time.sleep });
    (await limiter.acquire())();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    await time.settle();
    expect(time.pending).toBe(1); // waiting for the window
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled' });
    await time.settle();
    expect(time.pending).toBe(0);
  });

  it('is shared per API root and organization', () => {
    const a = limiterFor(limiterKey('http://127.0.0.1:1/invoice/v3', 'org-1'), { requests: 5 });
    const b = limiterFor(limiterKey('http://127.0.0.1:1/invoice/v3', 'org-1'), { requests: 50 });
    const c = limiterFor(limiterKey('http://127.0.0.1:1/invoice/v3', 'org-2'));
    expect(b).toBe(a);
    expect(b.requests).toBe(5); // the first options stand
    expect(c).not.toBe(a);
    expect(() => new RequestLimiter({ concurrent: 0 })).toThrow(/positive integer/);
  });
});

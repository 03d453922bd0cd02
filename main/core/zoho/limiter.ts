import { systemClock, type Clock } from '../ports';
import { ZohoApiError } from './errors';

/**
 * Zoho Invoice allows, per organization, a number of requests per minute and a number of
 * simultaneous requests; going over either earns HTTP 429 and, worse, eats the daily budget.
 * The limiter keeps every client of one organization under both, by construction:
 *  - window: a request may start only if fewer than `requests` requests are in flight or ended
 *    within the last `windowMs` (a sliding window, not fixed buckets). A request is stamped when its
 *    reply has been read, not when it starts: the server counts arrivals, which happen somewhere
 *    between the two, so stamping the end keeps the server's count within the limit whatever the
 *    latency (a first request on a fresh TLS connection can trail its start by far more than
 *    `marginMs`);
 *  - concurrency: at most `concurrent` requests hold a slot at once.
 * Waiters are served first come, first served.
 */
export interface LimiterOptions {
  /** Requests allowed to start in any window of `windowMs`. Default 100. */
  requests?: number;
  /** Default 60 000 ms. */
  windowMs?: number;
  /** Requests in flight at once. Default 5 (Zoho's free plan). */
  concurrent?: number;
  /**
   * Extra spacing added to the window. The server counts arrivals, which trail our start times
   * by a variable latency; a small margin keeps a late-arriving request from landing inside the
   * server's window. Default 1% of the window, at most 1 s.
   */
  marginMs?: number;
  clock?: Clock;
  /** Resolves after `ms`, or rejects when `signal` aborts. Injected so tests need no real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type Release = () => void;

export const defaultLimits = { requests: 100, windowMs: 60_000, concurrent: 5 } as const;

/** A cancellable setTimeout promise. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelledError(): ZohoApiError {
  return new ZohoApiError({ kind: 'cancelled', message: 'The request to Zoho Invoice was cancelled' });
}

interface Waiter {
  grant(release: Release): void;
  done: boolean;
}

export interface LimiterStats {
  active: number;
  waiting: number;
  /** Requests in flight or ended within the current window. */
  inWindow: number;
  /** Highest number of requests ever in flight at once. */
  maxActive: number;
  started: number;
}

export class RequestLimiter {
  readonly requests: number;
  readonly windowMs: number;
  readonly concurrent: number;
  private readonly marginMs: number;
  private readonly clock: Clock;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Window stamps (ms) of recent requests, oldest first; never more than `requests` kept. A request
   * in flight holds +Infinity (it cannot leave the window); on release it gets the release time.
   */
  private readonly starts: number[] = [];
  private readonly queue: Waiter[] = [];
  private active = 0;
  private maxActive = 0;
  private started = 0;
  private pumping = false;
  private windowWait: AbortController | null = null;

  constructor(options: LimiterOptions = {}) {
    this.requests = positiveInt(options.requests ?? defaultLimits.requests, 'requests');
    this.windowMs = positiveInt(options.windowMs ?? defaultLimits.windowMs, 'windowMs');
    this.concurrent = positiveInt(options.concurrent ?? defaultLimits.concurrent, 'concurrent');
    this.marginMs = Math.max(0, options.marginMs ?? Math.min(1000, Math.ceil(this.windowMs / 100)));
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Waits for a slot; the returned function gives it back (call it exactly once, when the reply is read). */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        done: false,
        grant: (release) => {
          waiter.done = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        if (waiter.done) return;
        waiter.done = true;
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        // Nobody left waiting: stop the window timer so it keeps nothing alive.
        if (this.queue.length === 0) this.windowWait?.abort();
        reject(cancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /** Runs `task` inside a slot. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  stats(): LimiterStats {
    this.prune(this.clock.now().getTime());
    return { active: this.active, waiting: this.queue.length, inWindow: this.starts.length, maxActive: this.maxActive, started: this.started };
  }

  private prune(now: number): void {
    while (this.starts.length > 0 && (this.starts[0] as number) + this.windowMs + this.marginMs <= now) this.starts.shift();
  }

  /** Turns one in-flight stamp into the time its request ended, keeping the stamps in order. */
  private stampEnd(now: number): void {
    let at = this.starts.indexOf(Number.POSITIVE_INFINITY);
    if (at < 0) return; // already pruned (cannot happen: in-flight stamps never expire)
    this.starts.splice(at, 1);
    while (at > 0 && (this.starts[at - 1] as number) > now) at -= 1;
    this.starts.splice(at, 0, now);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        if (this.active >= this.concurrent) return; // a release pumps again
        const now = this.clock.now().getTime();
        this.prune(now);
        if (this.starts.length >= this.requests) {
          // Every request of the window still in flight: the first release pumps again.
          if (this.starts[0] === Number.POSITIVE_INFINITY) return;
          const wait = (this.starts[0] as number) + this.windowMs + this.marginMs - now;
          this.windowWait = new AbortController();
          try {
            await this.sleep(Math.max(1, wait), this.windowWait.signal);
          } catch {
            // Woken early (every waiter left); the loop re-checks the queue.
          } finally {
            this.windowWait = null;
          }
          continue;
        }
        const waiter = this.queue.shift() as Waiter;
        if (waiter.done) continue;
        this.active += 1;
        this.started += 1;
        this.maxActive = Math.max(this.maxActive, this.active);
        this.starts.push(Number.POSITIVE_INFINITY);
        let released = false;
        waiter.grant(() => {
          if (released) return;
          released = true;
          this.active -= 1;
          this.stampEnd(this.clock.now().getTime());
          void this.pump();
        });
      }
    } finally {
      this.pumping = false;
    }
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Limiter option ${name} must be a positive integer (got ${value})`);
  return value;
}

const registry = new Map<string, RequestLimiter>();

/** The registry key: one limiter per (API root, organization). */
export function limiterKey(apiRoot: string, organizationId: string | undefined): string {
  return `${apiRoot}#${organizationId ?? '*'}`;
}

/**
 * The process-wide limiter for a key, created with `options` on first use. Every client of the same
 * organization shares it, so two syncs of one organization together stay within Zoho's limits.
 * Later options for an existing key are ignored: the first client's limits stand.
 */
export function limiterFor(key: string, options: LimiterOptions = {}): RequestLimiter {
  let limiter = registry.get(key);
  if (!limiter) {
    limiter = new RequestLimiter(options);
    registry.set(key, limiter);
  }
  return limiter;
}

/** Forgets the shared limiters (tests). */
export function resetLimiters(): void {
  registry.clear();
}

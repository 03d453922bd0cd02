/**
 * Zoho-style request limits enforced by the sandbox, per organization: requests per sliding
 * window (counted by arrival) and requests in flight. Used by the benchmark to prove the client
 * stays under the limits (a 429 from here means the client went over).
 */
export interface SandboxRateLimit {
  requests: number;
  windowMs: number;
  concurrent?: number;
}

export class ServerRateLimiter {
  private readonly arrivals = new Map<string, number[]>();
  private readonly active = new Map<string, number>();

  constructor(private readonly limit: SandboxRateLimit, private readonly now: () => number = () => performance.now()) {}

  /** Admits one request, or says how long to wait (seconds, for Retry-After). */
  admit(key: string): { ok: true; done: () => void } | { ok: false; retryAfterSec: number; reason: 'window' | 'concurrent' } {
    const now = this.now();
    const list = this.arrivals.get(key) ?? [];
    while (list.length > 0 && (list[0] as number) <= now - this.limit.windowMs) list.shift();
    this.arrivals.set(key, list);
    if (list.length >= this.limit.requests) {
      const waitMs = (list[0] as number) + this.limit.windowMs - now;
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)), reason: 'window' };
    }
    const active = this.active.get(key) ?? 0;
    if (this.limit.concurrent !== undefined && active >= this.limit.concurrent) {
      return { ok: false, retryAfterSec: 1, reason: 'concurrent' };
    }
    list.push(now);
    this.active.set(key, active + 1);
    let done = false;
    return {
      ok: true,
      done: () => {
        if (done) return;
        done = true;
        this.active.set(key, (this.active.get(key) ?? 1) - 1);
      },
    };
  }
}

/** The most requests that arrived within any window of `windowMs` (times in ms, any order). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi += 1) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

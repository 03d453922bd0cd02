// The rate-limited figure: the sandbox enforces Zoho's per-organization limits scaled down (by
// default 100 requests per 6 s, 5 at once: Zoho's 100/min, ten times faster) and the client is
// given the same limits. A full import then shows how close to the allowed rate the client gets
// and that it earns no 429. With `latencyMs` every reply is held back that long, as Zoho's replies
// take a while: the client then has to keep more than one request in flight to use its slots.
import { join } from 'node:path';
import { maxInWindow, type Sandbox, type SandboxRateLimit } from '../main/core/sandbox';
import { runInChild, type ChildOptions, type ChildReport } from './child';
import type { ImportResult } from './importRun';

export interface RateLimitedResult {
  contacts: number;
  limit: Required<SandboxRateLimit>;
  /** How long the sandbox held back each reply, ms. */
  latencyMs: number;
  ms: number;
  status: string;
  requests: number;
  /** 429 replies the sandbox sent (target 0). */
  rateLimited429: number;
  /** Most requests that arrived within any window (must be ≤ limit.requests). */
  maxInWindow: number;
  /**
   * Achieved rate as a share of the allowed rate, in the steady state: the requests after the
   * first window's allowance (the first `limit.requests` arrivals), over the time from the last of
   * those to the last arrival. A client that takes every slot as soon as the window frees it
   * scores ~100% (a little less: its safety margin), however fast it went through the first window.
   */
  steadyShare: number;
  /** Requests over the whole run's wall time, as a share of the allowed rate (includes the first burst). */
  overallShare: number;
  peakRssMb: number;
}

export async function measureRateLimited(
  sandbox: Sandbox,
  contacts: number,
  limit: Required<SandboxRateLimit>,
  root: string,
  childOptions: ChildOptions,
  trace = false,
  latencyMs = 0,
): Promise<RateLimitedResult> {
  const orgId = sandbox.organizations[0] as string;
  sandbox.setRateLimit(limit);
  sandbox.setFaults(latencyMs > 0 ? { slowMs: latencyMs } : {});
  sandbox.resetStats();
  let report: ChildReport<ImportResult>;
  try {
    report = await runInChild<ImportResult>(
      {
        kind: 'import', phase: 'full', dataDir: join(root, `rate-limited-${latencyMs}`), apiRoot: sandbox.apiRoot, key: sandbox.key, orgId,
        limits: { requests: limit.requests, windowMs: limit.windowMs, concurrent: limit.concurrent }, trace,
      },
      { ...childOptions, label: latencyMs > 0 ? `rate-limited-${latencyMs}ms` : 'rate-limited' },
    );
  } finally {
    sandbox.setRateLimit(null);
    sandbox.setFaults({});
  }
  const stats = sandbox.stats();
  const arrivals = [...(stats.arrivals[orgId] ?? [])].sort((a, b) => a - b);
  const last = arrivals[arrivals.length - 1] ?? 0;
  const endOfAllowance = arrivals[limit.requests - 1] ?? 0;
  const allowedPerMs = limit.requests / limit.windowMs;
  const steady = arrivals.length > limit.requests && last > endOfAllowance
    ? (arrivals.length - limit.requests) / (last - endOfAllowance) / allowedPerMs
    : NaN;
  const r = report.result;
  return {
    contacts,
    limit,
    latencyMs,
    ms: r.ms,
    status: r.status,
    requests: arrivals.length,
    rateLimited429: stats.byStatus['429'] ?? 0,
    maxInWindow: maxInWindow(arrivals, limit.windowMs),
    steadyShare: steady,
    overallShare: arrivals.length / r.ms / allowedPerMs,
    peakRssMb: report.peakRssMb,
  };
}

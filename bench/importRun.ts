// One measured import, in a child process: the real core (createCore), the real Zoho client over
// HTTP to the sandbox, the real engine, a data folder on disk. Keys live in a MemorySecretStore:
// the benchmark is not about the keychain.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { defaultMapping } from '../main/common/domain/mapping';
import type { RunCounts } from '../main/common/domain/outcome';
import { createCore, type Core } from '../main/core/createCore';
import type { Logger } from '../main/core/ports';
import { MemorySecretStore } from '../main/core/secrets/keychainSecretStore';
import type { ReadPolicy } from '../main/core/sync/readPlan';
import type { LimiterOptions } from '../main/core/zoho';
import { watchPeakMemory } from './memoryWatch';

export type ImportPhase = 'full' | 'second' | 'incremental' | 'dry';

export interface ImportTask {
  kind: 'import';
  phase: ImportPhase;
  dataDir: string;
  apiRoot: string;
  key: string;
  orgId: string;
  /** The client's per-organization limiter. */
  limits: LimiterOptions;
  /** Set for every phase but 'full' (which creates them). */
  accountId?: string;
  syncId?: string;
  /** Print the run's requests and progress with timestamps to stderr (--trace). */
  trace?: boolean;
}

export interface ImportResult {
  phase: ImportPhase;
  ms: number;
  status: string;
  counts: RunCounts;
  /** HTTP requests the run made (0 for a dry run, which keeps no run row). */
  requests: number;
  pages: number;
  accountId: string;
  syncId: string;
  /** RSS just before the run started (the process with the core loaded), MB. */
  rssBeforeMb: number;
  /**
   * Opening the data folder (createCore), ms: with the full integrity check when the folder has no
   * clean-close record (the bench removes it before incremental runs), without it after the clean
   * close of the run before (store/cleanClose.ts).
   */
  openMs: number;
  /** CPU time (user + system) of the import process during the run, ms. */
  runCpuMs: number;
  /** Highest V8 heap total and external (native buffers) memory seen during the run, sampled every 250 ms, MB. */
  peakHeapMb: number;
  peakExternalMb: number;
  /**
   * The longest the run kept its thread busy without yielding, ms: in the app, how long the main
   * process could not answer the window (a batch's decisions and its transaction run in one go).
   */
  longestStallMs: number;
  error: string | null;
}

const fiveMinutes = 5 * 60_000;
/** Every read is a full read (second run, dry run of the full set). */
const alwaysFull: ReadPolicy = { overlapMs: fiveMinutes, reconcileEveryMs: 0 };
/** Incremental reads (the default policy: a full pass only weekly). */
const incremental: ReadPolicy = { overlapMs: fiveMinutes, reconcileEveryMs: 7 * 24 * 3_600_000 };

const mb = (bytes: number) => Math.round(bytes / 1048576);

function trace(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`[trace ${performance.now().toFixed(0)} ms] ${event} ${JSON.stringify(fields)}\n`);
}

/** Where the process's memory is, at the end of a run (--trace). */
function traceMemory(core: Core): void {
  const m = process.memoryUsage();
  let smaps = '';
  try {
    smaps = readFileSync('/proc/self/smaps_rollup', 'utf8').split('\n').filter((l) => /^(Rss|Anonymous|Pss_File|Pss_Anon):/.test(l)).join(', ');
  } catch {
    // not Linux
  }
  const sqlite = core.store.db.prepare('SELECT * FROM pragma_cache_size').pluck().get();
  trace('memory', { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), sqliteCacheSize: sqlite, smaps });
}

const traceLogger: Logger = {
  log: (_level, event, fields) => {
    if (event.startsWith('zoho.') || event.startsWith('run.')) trace(event, fields);
  },
};

async function call<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const reply = await core.call(channel, payload);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
}

export async function runImport(task: ImportTask): Promise<ImportResult> {
  const secrets = new MemorySecretStore();
  const opening = performance.now();
  const core = createCore({
    dataDir: task.dataDir,
    secrets,
    runtime: 'test',
    zoho: { limits: task.limits },
    readPolicy: task.phase === 'incremental' ? incremental : alwaysFull,
    ...(task.trace ? { logger: traceLogger } : {}),
  });
  const openMs = Math.round(performance.now() - opening);
  if (task.trace) {
    core.events.on('run.progress', (p) => trace('run.progress', { phase: p.phase, page: p.page, recordsSeen: p.recordsSeen }));
  }
  try {
    let accountId = task.accountId;
    let syncId = task.syncId;
    if (task.phase === 'full') {
      accountId = (await call<{ id: string }>(core, 'accounts.add', { name: 'Bench', endpoint: { baseUrl: task.apiRoot }, key: task.key })).id;
      // The sandbox is not Zoho: no plan's daily cap (a 1M import alone makes 5,000 requests).
      await call(core, 'accounts.setBudget', { accountId, budget: { plan: 'custom', dailyCap: 10_000_000 } });
      const listId = (await call<{ id: string }>(core, 'lists.create', { name: 'Bench list' })).id;
      const sync = await call<{ id: string }>(core, 'syncs.create', {
        runNow: false,
        sync: {
          name: 'Bench sync',
          accountId,
          organizationId: task.orgId,
          importOption: { kind: 'all' },
          listId,
          mapping: defaultMapping(),
          updatePolicy: 'overwrite',
          updateEmptyValues: false,
          // Recurring, so that a later run can read only what changed.
          schedule: { kind: 'daily', at: '03:00', timeZone: 'UTC' },
          retrievalStart: { kind: 'all' },
        },
      });
      syncId = sync.id;
    } else {
      if (!accountId || !syncId) throw new Error(`phase ${task.phase} needs accountId and syncId`);
      await secrets.set(accountId, task.key);
    }
    // A long-running app has its HTTP client loaded and warm: so does this process before the
    // timing starts (Node loads its fetch implementation on first use, which takes a while).
    await call(core, 'accounts.organizations', { accountId });
    const rssBeforeMb = Math.round(process.memoryUsage.rss() / 1024 / 102.4) / 10;

    const cpuBefore = process.cpuUsage();
    let peakHeap = 0;
    let peakExternal = 0;
    let tracedRss = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapTotal);
      peakExternal = Math.max(peakExternal, m.external);
      // --trace: each RSS high 4 MB past the last one reported, with the V8 heap's spaces (used/size, MB).
      if (task.trace && m.rss > tracedRss + 4 * 1048576) {
        tracedRss = m.rss;
        const spaces = Object.fromEntries(
          getHeapSpaceStatistics()
            .filter((sp) => sp.space_size > 0)
            .map((sp) => [sp.space_name.replace(/_space$/, ''), `${mb(sp.space_used_size)}/${mb(sp.space_size)}`]),
        );
        trace('rss.high', { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), ...spaces });
      }
    };
    const sampler = setInterval(sample, task.trace ? 50 : 250);
    if (task.trace) watchPeakMemory();
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const memory = () => {
      clearInterval(sampler);
      stalls.disable();
      sample();
      return {
        peakHeapMb: Math.round(peakHeap / 1048576),
        peakExternalMb: Math.round(peakExternal / 1048576),
        longestStallMs: Math.round(stalls.max / 1e6),
      };
    };
    const runCpu = () => {
      const c = process.cpuUsage(cpuBefore);
      return Math.round((c.user + c.system) / 1000);
    };
    if (task.phase === 'dry') {
      const started = performance.now();
      const reply = await call<{ counts: RunCounts }>(core, 'syncs.dryRun', { syncId });
      const ms = performance.now() - started;
      return {
        phase: task.phase, ms: Math.round(ms), status: 'succeeded', counts: reply.counts, requests: 0, pages: 0,
        accountId: accountId!, syncId: syncId!, rssBeforeMb, openMs, runCpuMs: runCpu(), ...memory(), error: null,
      };
    }
    const started = performance.now();
    if (task.trace) trace('timed run starts');
    const result = await core.runAndWait(syncId!, 'manual');
    const ms = performance.now() - started;
    if (task.trace) traceMemory(core);
    const runCpuMs = runCpu();
    const run = result.runId === null ? null : core.store.runs.get(result.runId);
    return {
      phase: task.phase,
      ms: Math.round(ms),
      status: result.status,
      counts: result.counts,
      requests: run?.requests ?? 0,
      pages: run?.pages ?? 0,
      accountId: accountId!,
      syncId: syncId!,
      rssBeforeMb,
      openMs,
      runCpuMs,
      ...memory(),
      error: result.error ? `${result.error.kind}: ${result.error.message}` : null,
    };
  } finally {
    await core.close();
  }
}

// UI figures, in a child process: the real core behind the real browser host, called over its
// WebSocket exactly as the renderer does. The data is seeded straight into the store (a run with
// 1,000,000 outcome rows and one with 1,000; a sync with 1,000 runs and one with 10) so the figures
// do not wait on an import; the rows have the shape and the mix of a real run's.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { defaultMapping } from '../main/common/domain/mapping';
import type { IgnoreReason, OutcomeKind, RunCounts } from '../main/common/domain/outcome';
import { emptyCounts } from '../main/common/domain/outcome';
import { createCore, type Core } from '../main/core/createCore';
import { MemorySecretStore } from '../main/core/secrets/keychainSecretStore';
import type { OutcomeWrite } from '../main/core/store';
import { startBrowserHost } from '../main/host/browserHost';

export interface UiTask {
  kind: 'ui';
  dataDir: string;
  /** Outcome rows of the big run (1,000,000 by default). */
  bigOutcomes: number;
  smallOutcomes: number;
  bigHistory: number;
  smallHistory: number;
  /** Timed calls per figure (after warm-up); the median is reported. */
  repeats: number;
}

export interface UiFigure {
  name: string;
  /** Median over the repeats, ms. */
  medianMs: number;
  /** The first (cold) call, ms. */
  firstMs: number;
  rows: number;
}

export interface UiResult {
  seedMs: number;
  figures: UiFigure[];
}

/** The mix of a generated organization's first import: 3% role, 3% invalid, 3% empty, 2% case duplicates. */
function outcomeFor(i: number): { outcome: OutcomeKind; reason: IgnoreReason | null } {
  const u = ((i * 2654435761) >>> 0) / 2 ** 32;
  if (u < 0.03) return { outcome: 'ignored', reason: 'group' };
  if (u < 0.06) return { outcome: 'ignored', reason: 'invalid' };
  if (u < 0.09) return { outcome: 'ignored', reason: 'empty' };
  if (u < 0.11) return { outcome: 'ignored', reason: 'file_duplicate' };
  return { outcome: 'new', reason: null };
}

function seedRun(core: Core, syncId: string, outcomes: number, startedAt: string): number {
  const { store } = core;
  const runId = store.runs.create(syncId, 'manual', true, null, startedAt);
  const counts: RunCounts = emptyCounts();
  const chunk = 20_000;
  for (let from = 0; from < outcomes; from += chunk) {
    const rows: OutcomeWrite[] = [];
    for (let i = from; i < Math.min(outcomes, from + chunk); i += 1) {
      const { outcome, reason } = outcomeFor(i);
      counts.total += 1;
      if (outcome === 'ignored' && reason) {
        counts.ignored += 1;
        counts.ignored_by_reason[reason] += 1;
      } else {
        counts.new += 1;
      }
      const email = reason === 'empty' ? null : `person${i}@example.org`;
      rows.push({
        outcome, reason, email, sourceId: String(460_000_000_000_001 + i), sourceName: `Person ${i}`,
        contactId: outcome === 'new' ? i + 1 : null,
        detail: reason === 'invalid' ? 'The domain has no dot' : null,
        undo: outcome === 'new' ? '{"created":true,"joined":true,"changes":{}}' : null,
      });
    }
    store.transaction(() => {
      store.runs.insertOutcomes(runId, rows);
      store.runs.saveProgress(runId, counts, Math.ceil((from + rows.length) / 200), Math.ceil((from + rows.length) / 200));
    });
  }
  store.runs.finish(runId, 'succeeded', startedAt);
  return runId;
}

class Client {
  private next = 1;
  private readonly waiting = new Map<string, (reply: unknown) => void>();

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: string; event?: string; reply?: unknown };
      if (message.event !== undefined || message.id === undefined) return;
      this.waiting.get(message.id)?.(message.reply);
      this.waiting.delete(message.id);
    });
  }

  call(channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
    const id = `b${this.next++}`;
    return new Promise((resolveCall) => {
      this.waiting.set(id, resolveCall as (reply: unknown) => void);
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
  }
}

async function time(client: Client, calls: Array<[string, unknown]>, repeats: number): Promise<{ medianMs: number; firstMs: number; rows: number }> {
  const once = async () => {
    const started = performance.now();
    let rows = 0;
    for (const [channel, payload] of calls) {
      const reply = await client.call(channel, payload);
      if (!reply.ok) throw new Error(`${channel}: ${reply.error?.message}`);
      const value = reply.value as { outcomes?: unknown[]; runs?: unknown[] };
      rows += value.outcomes?.length ?? value.runs?.length ?? 0;
    }
    return { ms: performance.now() - started, rows };
  };
  const first = await once();
  for (let i = 0; i < 3; i += 1) await once();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) samples.push((await once()).ms);
  samples.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { medianMs: round(samples[Math.floor(samples.length / 2)] as number), firstMs: round(first.ms), rows: first.rows };
}

export async function runUi(task: UiTask): Promise<UiResult> {
  mkdirSync(task.dataDir, { recursive: true });
  const core = createCore({ dataDir: task.dataDir, secrets: new MemorySecretStore(), runtime: 'test' });
  try {
    const now = new Date().toISOString();
    const seedStarted = performance.now();
    const { store } = core;
    store.accounts.createWithId('acc_bench', { name: 'Bench', endpoint: { baseUrl: 'http://127.0.0.1:9/invoice/v3' }, keyLast4: 'xxxx', now });
    const list = store.lists.create('Bench list', now);
    const newSync = (name: string) =>
      store.syncs.create({
        name, accountId: 'acc_bench', organizationId: '1', organizationName: 'Bench', importOption: { kind: 'all' }, listId: list.id,
        mapping: defaultMapping(), updatePolicy: 'overwrite', updateEmptyValues: false,
        schedule: { kind: 'daily', at: '03:00', timeZone: 'UTC' }, retrievalStart: { kind: 'all' },
      }, now).id;
    const outcomesSync = newSync('Outcomes');
    const bigRun = seedRun(core, outcomesSync, task.bigOutcomes, now);
    const smallRun = seedRun(core, outcomesSync, task.smallOutcomes, now);
    const smallHistory = newSync('History small');
    const bigHistory = newSync('History big');
    const day = 86_400_000;
    store.transaction(() => {
      for (let i = 0; i < task.smallHistory; i += 1) seedRun(core, smallHistory, 20, new Date(Date.now() - (task.smallHistory - i) * day).toISOString());
      for (let i = 0; i < task.bigHistory; i += 1) seedRun(core, bigHistory, 20, new Date(Date.now() - (task.bigHistory - i) * day).toISOString());
    });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const seedMs = performance.now() - seedStarted;

    const host = await startBrowserHost({ core, rendererDir: resolve('out/renderer') });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${encodeURIComponent(host.token)}`, { perMessageDeflate: false });
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    const client = new Client(ws);
    const figures: UiFigure[] = [];
    const measure = async (name: string, calls: Array<[string, unknown]>) => {
      figures.push({ name, ...(await time(client, calls, task.repeats)) });
    };
    // What the renderer's run page asks for: the run, then the first page of 50 outcomes.
    const openOutcomes = (runId: number, filter: Record<string, string> = {}): Array<[string, unknown]> => [
      ['runs.get', { runId }],
      ['runs.outcomes', { runId, ...filter, offset: 0, limit: 50 }],
    ];
    const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
    await measure(`outcomes page, run of ${k(task.smallOutcomes)} rows`, openOutcomes(smallRun));
    await measure(`outcomes page, run of ${k(task.bigOutcomes)} rows`, openOutcomes(bigRun));
    await measure(`outcomes "Ignored" tab, ${k(task.smallOutcomes)} rows`, openOutcomes(smallRun, { outcome: 'ignored' }));
    await measure(`outcomes "Ignored" tab, ${k(task.bigOutcomes)} rows`, openOutcomes(bigRun, { outcome: 'ignored' }));
    await measure(`outcomes "Invalid" filter, ${k(task.smallOutcomes)} rows`, openOutcomes(smallRun, { outcome: 'ignored', reason: 'invalid' }));
    await measure(`outcomes "Invalid" filter, ${k(task.bigOutcomes)} rows`, openOutcomes(bigRun, { outcome: 'ignored', reason: 'invalid' }));
    // What the renderer's sync page asks for: the sync, then its history's first page of 20.
    const openHistory = (syncId: string): Array<[string, unknown]> => [
      ['syncs.get', { syncId }],
      ['runs.history', { syncId, offset: 0, limit: 20 }],
    ];
    await measure(`history list, ${task.smallHistory} runs`, openHistory(smallHistory));
    await measure(`history list, ${task.bigHistory} runs`, openHistory(bigHistory));
    ws.terminate();
    await host.close();
    return { seedMs: Math.round(seedMs), figures };
  } finally {
    await core.close();
  }
}

export const defaultUiTask = (root: string): UiTask => ({
  kind: 'ui', dataDir: join(root, 'ui'), bigOutcomes: 1_000_000, smallOutcomes: 1000, bigHistory: 1000, smallHistory: 10, repeats: 25,
});

// `npm run bench`: ListSync's import and UI benchmark. Not a test: it prints figures, measured in
// this run, and checks them against the targets of the performance issue.
//
//   npm run bench                      10k and 100k contacts
//   npm run bench -- --large           … and 1M
//   npm run bench -- --n 5000          a quick run (--n may repeat or take a list: --n 2000,20000)
//   npm run bench -- --json            the figures as one JSON value on stdout
//   npm run bench -- --profile DIR     CPU profiles of every child process into DIR
//   --no-ui, --no-rate-limit           leave those parts out
//   --rate-contacts N                  contacts of the rate-limited run (default 100k)
//   --trace                            the imports' requests and progress, timestamped, on stderr
//   --node-flags "--trace-gc …"        Node/V8 flags for every child process (what is measured)
//
// Every import runs in a child process of its own (peak RSS per import). The Invoice sandbox runs
// in this process, so on a 2-core machine the sandbox and the import each have a core. Figures
// below 50k contacts are the best of 5 runs, below 500k of 3, from there of 2. Each size but the
// smallest also imports the size below it, in turns with its own imports: growth is measured side
// by side. Default run: about 4 minutes; with --large about 12.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../main/core/sandbox';
import { cleanClosePath } from '../main/core/store/cleanClose';
import type { LimiterOptions } from '../main/core/zoho';
import { prepareChildren, runInChild, scratch, type ChildOptions, type ChildReport } from './child';
import type { FloorResult } from './floor';
import type { ImportResult, ImportTask } from './importRun';
import { measureRateLimited, type RateLimitedResult } from './rateLimited';
import { count, label, mb, millis, percent, ratio, renderTable, seconds } from './table';
import { defaultUiTask, type UiResult } from './ui';

interface Options {
  sizes: number[];
  json: boolean;
  profileDir: string | undefined;
  ui: boolean;
  rateLimit: boolean;
  rateContacts: number;
  trace: boolean;
  nodeFlags: string[];
}

function parseArgs(argv: readonly string[]): Options {
  const sizes: number[] = [];
  let large = false;
  let json = false;
  let profileDir: string | undefined;
  let ui = true;
  let rateLimit = true;
  let rateContacts = 100_000;
  let trace = false;
  const nodeFlags: string[] = [];
  const number = (text: string | undefined, flag: string): number => {
    const n = Number(String(text ?? '').replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive whole number (got ${text ?? 'nothing'})`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--n': for (const part of String(value() ?? '').split(',')) sizes.push(number(part, '--n')); break;
      case '--large': large = true; break;
      case '--json': json = true; break;
      case '--profile': profileDir = resolve(value() ?? 'bench-profiles'); break;
      case '--no-ui': ui = false; break;
      case '--no-rate-limit': rateLimit = false; break;
      case '--rate-contacts': rateContacts = number(value(), '--rate-contacts'); break;
      case '--trace': trace = true; break;
      case '--node-flags': nodeFlags.push(...String(value() ?? '').split(/\s+/).filter(Boolean)); break;
      case '--help':
        process.stdout.write('npm run bench -- [--n N[,N…]] [--large] [--json] [--profile DIR] [--no-ui] [--no-rate-limit] [--rate-contacts N] [--trace] [--node-flags FLAGS]\n');
        process.exit(0);
        break;
      default: throw new Error(`Unknown option ${arg} (see --help)`);
    }
  }
  if (sizes.length === 0) sizes.push(10_000, 100_000);
  if (large && !sizes.includes(1_000_000)) sizes.push(1_000_000);
  return { sizes: [...new Set(sizes)].sort((a, b) => a - b), json, profileDir, ui, rateLimit, rateContacts, trace, nodeFlags };
}

/** Throughput runs: the sandbox enforces no limit, and the client's limiter is raised to match. */
const throughputLimits: Required<Pick<LimiterOptions, 'requests' | 'windowMs' | 'concurrent'>> = {
  requests: 1_000_000, windowMs: 60_000, concurrent: 5,
};
/** Zoho's 100 requests per minute (and 5 at once), scaled down ten times in time. */
const scaledLimit = { requests: 100, windowMs: 6_000, concurrent: 5 };
/**
 * A reply time for the second rate-limited run: 80 ms at this ten-times scale stands for 0.8 s, a
 * plausible time for Zoho to answer a page of 200 contacts. A client that waits for each reply
 * before asking for the next then cannot use every slot of the window (one per 60 ms here).
 */
const slowReplyMs = 80;
const seed = 20_261_124;
/** Generated contact i has ID idBase + i + 1; the first organization's idBase (see sandbox/server.ts). */
const firstOrgIdBase = 460_000_000_000_000;

interface Phase {
  ms: number;
  peakRssMb: number;
  rssBeforeMb: number;
  openMs: number;
  cpuMs: number;
  runCpuMs: number;
  peakHeapMb: number;
  peakExternalMb: number;
  longestStallMs: number;
  requests: number;
  counts: ImportResult['counts'];
  status: string;
}

interface SizeResult {
  contacts: number;
  /** Runs per figure (the fastest is kept). */
  runs: number;
  floor: { ms: number; peakRssMb: number; megabytes: number; records: number };
  /** Fetching the pages alone, one after another (the floor's untimed part): what the sandbox allows at best. */
  sandboxMs: number;
  full: Phase;
  second: Phase;
  changed: number;
  incremental: Phase;
  dry: Phase;
  /**
   * Full imports of the size below (its own organization in the same sandbox), taking turns with
   * this size's: the growth ratio then compares runs made side by side, not minutes apart.
   */
  beside: { contacts: number; full: Phase } | null;
}

function log(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

function phase(report: ChildReport<ImportResult>): Phase {
  const r = report.result;
  if (r.status !== 'succeeded') throw new Error(`The ${r.phase} run ${r.status}: ${r.error ?? ''}`);
  return {
    ms: r.ms, peakRssMb: report.peakRssMb, rssBeforeMb: r.rssBeforeMb, openMs: r.openMs, cpuMs: report.cpuMs, runCpuMs: r.runCpuMs,
    peakHeapMb: r.peakHeapMb, peakExternalMb: r.peakExternalMb, longestStallMs: r.longestStallMs, requests: r.requests,
    counts: r.counts, status: r.status,
  };
}

/** Reads the organization's pages once in `sort`'s order (all of them, or up to `lastPage`), as a run does, untimed. */
async function readPages(sandbox: Sandbox, orgId: string, sort = 'sort_column=created_time&sort_order=A', lastPage = Infinity): Promise<void> {
  for (let page = 1; page <= lastPage; page += 1) {
    const url = `${sandbox.apiRoot}/contacts?organization_id=${orgId}&page=${page}&per_page=200&${sort}`;
    const response = await fetch(url, { headers: { Authorization: `Zoho-oauthtoken ${sandbox.key}` } });
    const body = (await response.json()) as { page_context?: { has_more_page?: boolean } };
    if (!response.ok) throw new Error(`Sandbox warm-up: page ${page} got HTTP ${response.status}`);
    if (body.page_context?.has_more_page !== true) return;
  }
}

/** Changes `share` of the organization's contacts (every 1/share-th one): a new last name, a new last_modified_time. */
function changeContacts(sandbox: Sandbox, orgId: string, contacts: number, share: number): number {
  const step = Math.round(1 / share);
  let changed = 0;
  for (let i = 0; i < contacts; i += step) {
    const id = String(firstOrgIdBase + i + 1);
    const current = sandbox.getContact(orgId, id);
    if (!current) throw new Error(`Sandbox contact ${id} not found: did the sandbox's ID scheme change?`);
    sandbox.updateContact(orgId, id, { last_name: `${current.last_name ?? ''}-changed` });
    changed += 1;
  }
  return changed;
}

/**
 * Below this many contacts a figure is the best of three runs (fresh processes): single runs vary by
 * ±20% on a shared 2-core machine, and a 10k import is mostly process warm-up. Larger sizes take
 * the best of two: a single 1M run against the best of three at 100k let one slow minute decide
 * the growth ratio (1M/100k 12.7× in such a run, 8.8–10.5× in the others that day). Below
 * `repeatMoreBelow` a run takes about a second, half of it process start, and three were not
 * enough to keep a slow moment out of a ratio (10k second run / full import: 0.94–1.04× over
 * three benchmarks of the same code): five.
 */
const repeatBelow = 500_000;
const repeatMoreBelow = 50_000;

/** Runs `measure` `times` times; keeps the fastest. */
async function best<T extends { ms: number }>(times: number, measure: (attempt: number) => Promise<T>): Promise<T> {
  let fastest: T | null = null;
  for (let attempt = 0; attempt < times; attempt += 1) {
    const result = await measure(attempt);
    if (!fastest || result.ms < fastest.ms) fastest = result;
  }
  return fastest as T;
}

async function benchSize(n: number, root: string, child: ChildOptions, trace: boolean, besideN: number | null): Promise<SizeResult> {
  // Every contact kept serialized (about 0.9 KB each): the sandbox stands in for Zoho's servers,
  // which run elsewhere; here it shares the machine, and must not be what is measured.
  const organizations = [{ name: `Bench ${label(n)}`, generate: { count: n, seed } }];
  if (besideN !== null) organizations.push({ name: `Bench ${label(besideN)} beside ${label(n)}`, generate: { count: besideN, seed } });
  const sandbox = await startSandbox({ organizations, summaryCacheBytes: 4 * 1024 ** 3 });
  const orgId = sandbox.organizations[0] as string;
  const besideOrgId = besideN !== null ? (sandbox.organizations[1] as string) : null;
  const base = { apiRoot: sandbox.apiRoot, key: sandbox.key, orgId };
  const opts = (name: string): ChildOptions => ({ ...child, label: `${name}-${label(n)}` });
  const times = n < repeatMoreBelow ? 5 : n < repeatBelow ? 3 : 2;
  try {
    log(`${label(n)}: sandbox warm-up (each contact generated and serialized once)`);
    await readPages(sandbox, orgId);
    if (besideOrgId) await readPages(sandbox, besideOrgId);
    // Floor, full import and second run take turns (floor, full, second, floor, full, second …):
    // on a shared machine whose speed drifts over minutes, each ratio then compares runs made side
    // by side. Each second run reads into the folder its full import just made.
    let dataDir = '';
    let ids = { accountId: '', syncId: '' };
    const task = (phaseName: ImportTask['phase']): ImportTask => ({
      kind: 'import', phase: phaseName, dataDir, ...base, limits: throughputLimits, trace, ...(phaseName === 'full' ? {} : ids),
    });
    let floor: { ms: number; report: ChildReport<FloorResult> } | null = null;
    let full: Phase | null = null;
    let second: Phase | null = null;
    let besideFull: Phase | null = null;
    for (let attempt = 0; attempt < times; attempt += 1) {
      log(`${label(n)}: floor${times > 1 ? ` (${attempt + 1} of ${times})` : ''}`);
      const floorDir = scratch(root, `floor-${n}-${attempt}`);
      const floorReport = await runInChild<FloorResult>({ kind: 'floor', ...base, dir: floorDir }, opts(`floor${attempt || ''}`));
      rmSync(floorDir, { recursive: true, force: true });
      if (!floor || floorReport.result.ms < floor.ms) floor = { ms: floorReport.result.ms, report: floorReport };

      if (besideN !== null && besideOrgId) {
        log(`${label(n)}: full import of ${label(besideN)} beside it${times > 1 ? ` (${attempt + 1} of ${times})` : ''}`);
        const besideDir = scratch(root, `beside-${n}-${attempt}`);
        const besideTask: ImportTask = { kind: 'import', phase: 'full', dataDir: besideDir, ...base, orgId: besideOrgId, limits: throughputLimits, trace };
        const measured = phase(await runInChild<ImportResult>(besideTask, opts(`beside${attempt || ''}`)));
        rmSync(besideDir, { recursive: true, force: true });
        if (!besideFull || measured.ms < besideFull.ms) besideFull = measured;
      }

      // Each full import gets a fresh data folder; the later phases run on the last one.
      log(`${label(n)}: full import${times > 1 ? ` (${attempt + 1} of ${times})` : ''}`);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      dataDir = scratch(root, `data-${n}-${attempt}`);
      const report = await runInChild<ImportResult>(task('full'), opts(`full${attempt || ''}`));
      ids = { accountId: report.result.accountId, syncId: report.result.syncId };
      const measured = phase(report);
      if (!full || measured.ms < full.ms) full = measured;

      log(`${label(n)}: second run${times > 1 ? ` (${attempt + 1} of ${times})` : ''}`);
      const again = phase(await runInChild<ImportResult>(task('second'), opts(`second${attempt || ''}`)));
      if (!second || again.ms < second.ms) second = again;
    }
    if (!floor || !full || !second) throw new Error('no runs');

    log(`${label(n)}: changing 1% of the contacts`);
    const changed = changeContacts(sandbox, orgId, n, 0.01);
    // What changed is served from its JSON serialized once, as every contact of the full read was
    // (the same untimed read the incremental run makes; the sandbox builds its last_modified_time
    // order on it too).
    await readPages(sandbox, orgId, 'sort_column=last_modified_time&sort_order=D', Math.ceil(changed / 200) + 1);
    // Each attempt starts from the same data folder (a copy made after the second run), so the
    // incremental run is measured like the other figures: the best of `times`.
    log(`${label(n)}: incremental run${times > 1 ? ` (best of ${times})` : ''}`);
    const before = scratch(root, `before-incremental-${n}`);
    cpSync(dataDir, before, { recursive: true });
    const incremental = await best(times, async (attempt) => {
      if (attempt > 0) {
        rmSync(dataDir, { recursive: true, force: true });
        cpSync(before, dataDir, { recursive: true });
      }
      // Without its clean-close record, the incremental run's open reads the whole file for
      // damage: the "full check" figure (a second run opens after a clean close).
      rmSync(cleanClosePath(join(dataDir, 'listsync.db')), { force: true });
      return phase(await runInChild<ImportResult>(task('incremental'), opts(`incremental${attempt || ''}`)));
    });
    rmSync(before, { recursive: true, force: true });
    log(`${label(n)}: dry run`);
    const dry = await best(times, async (attempt) => phase(await runInChild<ImportResult>(task('dry'), opts(`dry${attempt || ''}`))));
    rmSync(dataDir, { recursive: true, force: true });
    const f = floor.report;
    return {
      contacts: n,
      runs: times,
      floor: { ms: f.result.ms, peakRssMb: f.peakRssMb, megabytes: f.result.bytes / 1e6, records: f.result.records },
      sandboxMs: f.result.fetchMs,
      full, second, changed, incremental, dry,
      beside: besideN !== null && besideFull ? { contacts: besideN, full: besideFull } : null,
    };
  } finally {
    await sandbox.close();
  }
}

interface Target {
  target: string;
  value: string;
  met: boolean | null;
}

/**
 * How a size's full import grew from the size below: side by side (against the smaller imports
 * made between its own, see SizeResult.beside), and apart (against the smaller size's own section,
 * minutes earlier, on a machine whose speed drifts by ±15–20 % over minutes).
 */
function growth(big: SizeResult, small: SizeResult): { sideBySide: number | null; apart: number } {
  const beside = big.beside?.contacts === small.contacts ? big.beside.full.ms : null;
  return { sideBySide: beside !== null ? big.full.ms / beside : null, apart: big.full.ms / small.full.ms };
}

function evaluate(sizes: SizeResult[], rates: RateLimitedResult[], ui: UiResult | null): Target[] {
  const targets: Target[] = [];
  const at = (n: number) => sizes.find((s) => s.contacts === n);
  const reference = at(100_000) ?? sizes[sizes.length - 1];
  if (reference) {
    const r = reference.full.ms / reference.floor.ms;
    targets.push({ target: `full import of ${label(reference.contacts)} ≤ 1.5 × floor`, value: ratio(r), met: r <= 1.5 });
    const inc = reference.incremental.ms / reference.full.ms;
    targets.push({ target: `incremental after 1% change on ${label(reference.contacts)} ≤ 5% of full`, value: percent(inc), met: inc <= 0.05 });
  }
  for (const s of sizes) {
    targets.push({ target: `second run ≤ full (${label(s.contacts)})`, value: `${seconds(s.second.ms)} vs ${seconds(s.full.ms)}`, met: s.second.ms <= s.full.ms });
  }
  const k10 = at(10_000);
  const k100 = at(100_000);
  const m1 = at(1_000_000);
  for (const [big, small] of [[k100, k10], [m1, k100]] as const) {
    if (!big || !small) continue;
    const g = growth(big, small);
    targets.push({
      target: `${label(big.contacts)} / ${label(small.contacts)} full-import time ≤ 11`,
      value: `${ratio(g.sideBySide ?? g.apart, 1)}${g.sideBySide !== null ? ` (apart: ${ratio(g.apart, 1)})` : ''}`,
      met: (g.sideBySide ?? g.apart) <= 11,
    });
  }
  if (m1) {
    targets.push({ target: 'peak RSS of the 1M import ≤ 250 MB', value: mb(m1.full.peakRssMb), met: m1.full.peakRssMb <= 250 });
    if (k100) {
      const r = m1.full.peakRssMb / k100.full.peakRssMb;
      targets.push({ target: 'peak RSS 1M ≤ 1.3 × 100k', value: ratio(r), met: r <= 1.3 });
    }
  } else {
    targets.push({ target: 'peak RSS of the 1M import ≤ 250 MB and ≤ 1.3 × 100k', value: 'not run (--large)', met: null });
  }
  for (const rate of rates) {
    const replies = rate.latencyMs > 0 ? `, replies after ${rate.latencyMs} ms` : '';
    targets.push({ target: `rate-limited${replies}: ≥ 95% of the allowed rate`, value: percent(rate.steadyShare), met: rate.steadyShare >= 0.95 });
    targets.push({ target: `rate-limited${replies}: 0 × HTTP 429`, value: String(rate.rateLimited429), met: rate.rateLimited429 === 0 });
  }
  if (ui) {
    const fig = (prefix: string) => ui.figures.filter((f) => f.name.startsWith(prefix));
    const [small, big] = fig('outcomes page');
    if (small && big) {
      const r = big.medianMs / small.medianMs;
      targets.push({ target: 'outcomes page: 1M rows ≤ 2 × 1k rows', value: `${ratio(r)} (${millis(big.medianMs)} vs ${millis(small.medianMs)})`, met: r <= 2 });
    }
    const [few, many] = fig('history list');
    if (few && many) {
      const r = many.medianMs / few.medianMs;
      targets.push({ target: 'history: 1,000 runs ≤ 2 × 10 runs', value: `${ratio(r)} (${millis(many.medianMs)} vs ${millis(few.medianMs)})`, met: r <= 2 });
    }
  }
  return targets;
}

function report(
  options: Options, sizes: SizeResult[], rates: RateLimitedResult[], ui: UiResult | null, targets: Target[], notes: string[],
): string {
  const rate = rates[0] ?? null;
  const out: string[] = [];
  out.push(`ListSync benchmark — ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${new Date().toISOString()}`);
  out.push(...notes.map((n) => `  · ${n}`), '');
  const headers = ['figure', ...sizes.map((s) => label(s.contacts))];
  const row = (name: string, f: (s: SizeResult) => string) => [name, ...sizes.map(f)];
  out.push(renderTable(headers, [
    row('floor: decode + parse + upsert, 1 transaction', (s) => seconds(s.floor.ms)),
    row('sandbox serving the pages (fetch only)', (s) => seconds(s.sandboxMs)),
    row('full import', (s) => seconds(s.full.ms)),
    row('  full / floor', (s) => ratio(s.full.ms / s.floor.ms)),
    row('  the size below, imported beside it', (s) => (s.beside ? `${label(s.beside.contacts)}: ${seconds(s.beside.full.ms)}` : '–')),
    row('  growth from the size below: beside / apart', (s) => {
      if (!s.beside) return '–';
      const below = sizes.find((b) => b.contacts === s.beside?.contacts);
      return `${ratio(s.full.ms / s.beside.full.ms, 1)} / ${below ? ratio(s.full.ms / below.full.ms, 1) : '–'}`;
    }),
    row('  records/s', (s) => count(s.full.counts.total / (s.full.ms / 1000))),
    row('  requests', (s) => count(s.full.requests)),
    row('  counts new / ignored', (s) => `${count(s.full.counts.new)} / ${count(s.full.counts.ignored)}`),
    row('second run (all duplicates)', (s) => seconds(s.second.ms)),
    row('  second / full', (s) => ratio(s.second.ms / s.full.ms)),
    row('incremental run after 1% changed', (s) => seconds(s.incremental.ms)),
    row('  records read / duplicates', (s) => `${count(s.incremental.counts.total)} / ${count(s.incremental.counts.duplicate)}`),
    row('  incremental / full', (s) => percent(s.incremental.ms / s.full.ms)),
    row('dry run of the full set', (s) => seconds(s.dry.ms)),
    row('longest stall of the run\'s thread: full / second', (s) => `${millis(s.full.longestStallMs)} / ${millis(s.second.longestStallMs)}`),
    row('peak RSS: full import', (s) => mb(s.full.peakRssMb)),
    row('peak RSS: second / incr. / dry', (s) => `${mb(s.second.peakRssMb)} / ${mb(s.incremental.peakRssMb)} / ${mb(s.dry.peakRssMb)}`),
    row('RSS with the core loaded, before the run', (s) => mb(s.full.rssBeforeMb)),
    row('opening the folder: full check / after a clean close', (s) => `${millis(s.incremental.openMs)} / ${millis(s.second.openMs)}`),
    row('peak V8 heap / buffers, full import', (s) => `${mb(s.full.peakHeapMb)} / ${mb(s.full.peakExternalMb)}`),
    row('peak RSS: floor', (s) => mb(s.floor.peakRssMb)),
    row('CPU of the import process during the run', (s) => seconds(s.full.runCpuMs)),
    row('  second / incremental / dry', (s) => `${seconds(s.second.runCpuMs)} / ${seconds(s.incremental.runCpuMs)} / ${seconds(s.dry.runCpuMs)}`),
  ]));
  if (rate) {
    out.push('', `Rate-limited full import of ${label(rate.contacts)} contacts: sandbox and client both at ${rate.limit.requests} requests / ${rate.limit.windowMs / 1000} s, ${rate.limit.concurrent} at once`);
    const each = (f: (r: RateLimitedResult) => string) => rates.map(f);
    out.push(renderTable(['figure', ...each((r) => (r.latencyMs > 0 ? `replies after ${r.latencyMs} ms` : 'replies at once'))], [
      ['time', ...each((r) => seconds(r.ms))],
      ['requests', ...each((r) => count(r.requests))],
      ['achieved rate after the first window (share of the limit)', ...each((r) => percent(r.steadyShare))],
      ['achieved rate over the whole run (incl. the first burst)', ...each((r) => percent(r.overallShare))],
      ['most requests in any window', ...each((r) => `${r.maxInWindow} / ${r.limit.requests}`)],
      ['HTTP 429 received', ...each((r) => String(r.rateLimited429))],
      ['peak RSS', ...each((r) => mb(r.peakRssMb))],
    ]));
  }
  if (ui) {
    out.push('', `UI calls over the browser host's WebSocket (median of the repeats; first call in brackets); data seeded in ${seconds(ui.seedMs)}`);
    out.push(renderTable(['figure', 'median', 'first', 'rows'], ui.figures.map((f) => [f.name, millis(f.medianMs), millis(f.firstMs), String(f.rows)])));
  }
  out.push('', 'Targets');
  out.push(renderTable(['target', 'measured', 'met'], targets.map((t) => [t.target, t.value, t.met === null ? '–' : t.met ? 'yes' : 'NO'])));
  if (options.profileDir) out.push('', `CPU profiles: ${options.profileDir}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'listsync-bench-'));
  const child: ChildOptions = { ...(options.profileDir ? { profileDir: options.profileDir } : {}), nodeFlags: options.nodeFlags };
  const notes = [
    `Throughput runs: the sandbox enforces no rate limit, and the client's limiter is raised to match it ` +
      `(${throughputLimits.requests.toLocaleString('en-US')} requests / ${throughputLimits.windowMs / 1000} s, ` +
      `${throughputLimits.concurrent} at once, as Zoho's concurrency); Zoho's real 100/min would make 100k contacts take 5 minutes.`,
    'The rate-limited run scales Zoho\'s limit (100/min) to 100 requests / 6 s on both the sandbox and the client; ' +
      `it runs twice: with replies at once, and with every reply held back ${slowReplyMs} ms (${slowReplyMs / 100} s at Zoho's scale, a plausible time for a page of 200 contacts).`,
    'Each import is a child process of its own (peak RSS = its VmHWM); the sandbox runs in the parent process.',
    'The sandbox serves each contact from its JSON serialized once (a server\'s cache), after one untimed read of every page; without it, generating and serializing contacts took the sandbox as much CPU as the import\'s parse, on the same 2 cores.',
    'Second run and dry run read the full set (reconciliation pass); the incremental run reads what changed since the second run.',
    'Floor: the same pages fetched as bytes, untimed; timed: UTF-8 decoding + JSON.parse + contact upsert, list membership, source map and outcome rows, one transaction.',
    'Each size but the smallest also imports the size below it (a second organization in the same sandbox), taking turns with its own full imports: ' +
      'growth ratios compare those, made side by side; "apart" compares with the smaller size\'s own section, minutes earlier.',
    `Each figure is the best of 5 runs below ${repeatMoreBelow.toLocaleString('en-US')} contacts, of 3 below ${repeatBelow.toLocaleString('en-US')}, of 2 from there (fresh processes; a full import also a fresh folder, an incremental run a fresh copy of the same folder).`,
  ];
  notes.push(`Child processes: ${await prepareChildren()}.`);
  const sizes: SizeResult[] = [];
  const rates: RateLimitedResult[] = [];
  let ui: UiResult | null = null;
  const started = performance.now();
  try {
    // The rate-limited run first: after a 1M size, this process (the sandbox's) spends seconds
    // collecting that sandbox's million serialized contacts, and its replies come late.
    if (options.rateLimit) {
      log(`rate-limited run (${label(options.rateContacts)} contacts)`);
      const sandbox = await startSandbox({ organizations: [{ name: 'Bench rate', generate: { count: options.rateContacts, seed } }] });
      try {
        rates.push(await measureRateLimited(sandbox, options.rateContacts, scaledLimit, root, child, options.trace));
        log(`rate-limited run, replies held back ${slowReplyMs} ms`);
        rates.push(await measureRateLimited(sandbox, options.rateContacts, scaledLimit, root, child, options.trace, slowReplyMs));
      } finally {
        await sandbox.close();
      }
    }
    // Each size but the smallest also imports the size below it, between its own imports.
    for (const [i, n] of options.sizes.entries()) sizes.push(await benchSize(n, root, child, options.trace, options.sizes[i - 1] ?? null));
    if (options.ui) {
      log('UI figures (seeding 1M outcome rows and 1,000 runs)');
      ui = (await runInChild<UiResult>(defaultUiTask(root), { ...child, label: 'ui' })).result;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  log(`done in ${seconds(performance.now() - started)}`);
  const targets = evaluate(sizes, rates, ui);
  if (options.json) {
    const json = {
      machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? null, node: process.version, platform: process.platform },
      at: new Date().toISOString(),
      notes,
      throughputLimits,
      sizes,
      rateLimited: rates[0] ?? null,
      rateLimitedSlowReplies: rates[1] ?? null,
      ui,
      targets,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(`${report(options, sizes, rates, ui, targets, notes)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

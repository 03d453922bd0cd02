// The benchmark's child processes: every measured import (and the floor and the UI figures) runs in
// a process of its own, so its peak RSS is its own. The parent bundles this file (and what it
// imports) into one JavaScript file with esbuild, as the app ships bundled JavaScript, and forks
// plain Node on it: no TypeScript loader thread in the child's memory or start-up. (Without esbuild
// it falls back to bin/run-ts.js on this file.) It sends one task over IPC and gets back the
// task's result with the child's peak RSS (VmHWM in /proc/self/status where there is one) and CPU
// time.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FloorTask } from './floor';
import type { ImportTask } from './importRun';
import type { UiTask } from './ui';

export type Task = FloorTask | ImportTask | UiTask;

export interface ChildReport<R> {
  result: R;
  /** Peak resident set size of the child, MB. */
  peakRssMb: number;
  /** CPU time (user + system) of the child, ms. */
  cpuMs: number;
}

type Message<R> = { ok: true; report: ChildReport<R> } | { ok: false; error: string };

const self = fileURLToPath(import.meta.url);
const repoRoot = resolve(dirname(self), '..');

/** What the children run: the bundle, or (without esbuild) this file through the TypeScript loader. */
let entry: { file: string; args: string[]; execArgv: string[] } | null = null;

/**
 * Bundles the child side once per benchmark. Packages stay external (resolved from node_modules
 * beside the bundle, native modules included). Returns how children run, for the report.
 */
export async function prepareChildren(): Promise<string> {
  const outdir = join(repoRoot, 'node_modules', '.cache', 'listsync-bench');
  try {
    const esbuild = await import('esbuild');
    // Split at the dynamic imports: an import child does not load the UI task's modules (ws …).
    await esbuild.build({
      entryPoints: { child: self }, outdir, bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
      outExtension: { '.js': '.mjs' }, packages: 'external', sourcemap: 'linked', logLevel: 'warning',
    });
    entry = { file: join(outdir, 'child.mjs'), args: [], execArgv: [] };
    return 'children run an esbuild bundle of bench/child.ts on plain Node';
  } catch (error) {
    entry = { file: join(repoRoot, 'bin', 'run-ts.js'), args: [self], execArgv: [...process.execArgv] };
    return `children run through the TypeScript loader (esbuild unavailable: ${(error as Error).message.split('\n')[0]})`;
  }
}

export interface ChildOptions {
  /** Write a V8 CPU profile of the child into this folder (--profile). */
  profileDir?: string;
  /** Node and V8 flags for the child (--node-flags, e.g. --trace-gc). */
  nodeFlags?: readonly string[];
  label?: string;
}

/** Runs one task in a fresh Node process and resolves with its report. */
export function runInChild<R>(task: Task, options: ChildOptions = {}): Promise<ChildReport<R>> {
  if (!entry) throw new Error('prepareChildren() first');
  const execArgv = [...entry.execArgv, ...(options.nodeFlags ?? [])];
  if (options.profileDir) {
    // One folder per child: module-loader threads write profiles of their own beside the main one.
    const dir = join(options.profileDir, options.label ?? task.kind);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  // This process hosts the sandbox: a full collection now (npm run bench gives it --expose-gc), so
  // that garbage an earlier phase left (a closed sandbox's million serialized contacts) is not
  // collected while the measured child waits for its pages.
  (globalThis as { gc?: () => void }).gc?.();
  return new Promise((resolvePromise, reject) => {
    const child = fork(entry!.file, entry!.args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (raw) => {
      const message = raw as Message<R>;
      settled = true;
      if (message.ok) resolvePromise(message.report);
      else reject(new Error(`${task.kind} child failed: ${message.error}`));
    });
    child.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`${task.kind} child exited (${code ?? signal}) without a result`));
      settled = true;
    });
    child.send(task);
  });
}

/**
 * The process's peak RSS, MB. On Linux from VmHWM: getrusage's maxrss is kept across execve, so a
 * child forked while the parent's sandbox held a million serialized contacts (~1 GB) would report
 * the parent's size. VmHWM belongs to the process's own memory map, which execve replaces.
 */
function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    // not Linux
  }
  // maxRSS is in kilobytes on Linux and macOS.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

async function perform(task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'floor':
      return (await import('./floor')).runFloor(task);
    case 'import':
      return (await import('./importRun')).runImport(task);
    case 'ui':
      return (await import('./ui')).runUi(task);
  }
}

async function childMain(): Promise<void> {
  const task = await new Promise<Task>((resolveTask) => process.once('message', (m) => resolveTask(m as Task)));
  let message: Message<unknown>;
  try {
    const result = await perform(task);
    const cpu = process.cpuUsage();
    message = { ok: true, report: { result, peakRssMb: peakRssMb(), cpuMs: Math.round((cpu.user + cpu.system) / 1000) } };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await new Promise<void>((done) => process.send?.(message, () => done()));
  // process.exit (not a natural end) still writes --cpu-prof output.
  process.exit(0);
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  void childMain();
}

/** A scratch folder under the run's root. */
export function scratch(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// Where the built renderer is, whether it is older than its sources, and how to build it.
// The browser host serves out/renderer; `electron-vite build` writes it (with out/main, out/preload).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout (or installed package) root: two levels above main/host. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function defaultRendererDir(root: string = projectRoot): string {
  return join(root, 'out', 'renderer');
}

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The sources the renderer bundle is made of. */
export function rendererSources(root: string = projectRoot): string[] {
  return [join(root, 'renderer'), join(root, 'main', 'common'), join(root, 'electron.vite.config.ts')];
}

/** True when out/renderer/index.html is missing, or older than a renderer source file. */
export function rendererIsStale(root: string = projectRoot): boolean {
  const index = join(defaultRendererDir(root), 'index.html');
  const built = statSync(index, { throwIfNoEntry: false });
  if (!built) return true;
  return rendererSources(root).some((p) => newestMtime(p) > built.mtimeMs);
}

/** Runs `electron-vite build` (main, preload, renderer into out/); throws when it fails. */
export function buildApp(root: string = projectRoot, stdio: 'inherit' | 'pipe' = 'inherit'): void {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(cli)) throw new Error('electron-vite is not installed: run `npm ci` first');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) {
    const output = stdio === 'pipe' ? `\n${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}` : '';
    throw new Error(`electron-vite build failed (exit ${r.status ?? r.signal})${output}`);
  }
}

/**
 * Builds the app when the renderer is missing (or stale, with `whenStale`). Several processes
 * (parallel test files) may ask at once: one builds under a lock folder, the others wait for it.
 */
export async function ensureRendererBuilt(options: { root?: string; whenStale?: boolean; stdio?: 'inherit' | 'pipe'; timeoutMs?: number } = {}): Promise<boolean> {
  const root = options.root ?? projectRoot;
  const needed = () => (options.whenStale ? rendererIsStale(root) : !existsSync(join(defaultRendererDir(root), 'index.html')));
  if (!needed()) return false;
  const lock = join(root, 'node_modules', '.cache', 'listsync-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > (options.timeoutMs ?? 180_000)) rmdirSync(lock); // left by a killed build
      if (Date.now() > deadline) throw new Error('Timed out waiting for another build of the renderer');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!needed()) return false;
    buildApp(root, options.stdio ?? 'inherit');
    return true;
  } finally {
    rmdirSync(lock);
  }
}

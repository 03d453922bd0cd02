#!/usr/bin/env node
// `npm start`: builds out/ when it is missing or older than the sources, then runs the Electron
// app. Where Electron's runtime is not installed (or there is no display), serves the same UI
// from the browser host on the demo data instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const nativeCheck = "require('better-sqlite3')(':memory:').close(); require('keytar');";

function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let n = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    n = Math.max(n, newest(join(path, entry)));
  }
  return n;
}

function outIsStale() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = ['main', 'preload', 'renderer', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p));
  return sources.some((p) => newest(p) > built);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  return r.status ?? 1;
}

/** The Electron binary's path, or null when only the npm package (types) is installed. */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** Whether better-sqlite3 and keytar load in this runtime; 'abi' when built for another one. */
function nativeModules(cmd, env = process.env) {
  const r = spawnSync(cmd, ['-e', nativeCheck], { cwd: root, env, encoding: 'utf8' });
  if (r.status === 0) return 'ok';
  return /NODE_MODULE_VERSION|different Node\.js version|invalid ELF header|not a valid Win32/.test(r.stderr ?? '') ? 'abi' : 'broken';
}

if (outIsStale()) {
  console.log('Building the app (electron-vite build)…');
  const status = run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  if (status !== 0) process.exit(status);
}

const electron = electronBinary();
const forward = (child) => {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

if (electron && hasDisplay()) {
  // The Node build of better-sqlite3/keytar (from npm ci, used by tests and the CLI) does not load
  // in Electron: rebuild for Electron's ABI. `npm test` puts the Node build back when needed.
  if (nativeModules(electron, { ...process.env, ELECTRON_RUN_AS_NODE: '1' }) === 'abi') {
    console.log('Rebuilding native modules for Electron (npm test rebuilds them for Node again)…');
    const status = run(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), 'install-app-deps']);
    if (status !== 0) process.exit(status);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  forward(spawn(electron, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env }));
} else {
  console.log(
    electron
      ? 'No display for Electron here: serving ListSync in the browser instead (demo data).'
      : "Electron's runtime is not installed (on a connected machine: `node node_modules/electron/install.js`): serving ListSync in the browser instead (demo data).",
  );
  if (nativeModules(process.execPath) === 'abi') {
    console.log('Rebuilding native modules for Node (they were built for Electron)…');
    const status = run('npm', ['rebuild', 'better-sqlite3', 'keytar'], { shell: process.platform === 'win32' });
    if (status !== 0) process.exit(status);
  }
  forward(
    spawn(process.execPath, [join(root, 'scripts', 'with-keyring.js'), process.execPath, join(root, 'bin', 'listsync.js'), 'ui', '--demo'], {
      cwd: root,
      stdio: 'inherit',
    }),
  );
}

#!/usr/bin/env node
// `npm run dist [-- electron-builder args]`, e.g. `npm run dist -- --dir` or `-- --linux deb`:
// electron-vite build, then electron-builder with electron-builder.yml. electron-builder rebuilds
// better-sqlite3 and keytar for Electron's ABI (npmRebuild) and fetches Electron itself, so this
// needs a connected machine. Afterwards `npm test` rebuilds the native modules for Node.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

let status = run([join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
if (status !== 0) process.exit(status);

status = run([join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
if (status !== 0) {
  console.error('electron-builder failed. It downloads Electron and rebuilds native modules: run it on a connected machine.');
}
process.exit(status);

#!/usr/bin/env node
// `npm test` (inside scripts/with-keyring.js): builds out/ with electron-vite (the end-to-end
// tests serve out/renderer), then `vitest run` with any extra arguments. Exits with vitest's code
// (non-zero as well when the build failed).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const node = process.execPath;

// Tests load better-sqlite3 and keytar in Node: if `npm start`/`npm run dist` rebuilt them for
// Electron, rebuild them for Node first.
const check = spawnSync(node, ['-e', "require('better-sqlite3')(':memory:').close(); require('keytar');"], { cwd: root, encoding: 'utf8' });
if (check.status !== 0 && /NODE_MODULE_VERSION|different Node\.js version/.test(check.stderr ?? '')) {
  console.log('Rebuilding native modules for Node (they were built for Electron)…');
  spawnSync('npm', ['rebuild', 'better-sqlite3', 'keytar'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
}

const build = spawnSync(node, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
});
if (build.status !== 0) console.error('\nelectron-vite build failed: the end-to-end tests cannot run against a fresh UI.\n');

const vitest = spawnSync(node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
const code = vitest.status ?? 1;
process.exit(code !== 0 ? code : build.status === 0 ? 0 : 1);

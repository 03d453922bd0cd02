#!/usr/bin/env node
// Runs a command where the OS keychain is reachable. On a Linux machine with no desktop session
// (CI, SSH, containers) it starts a private D-Bus session with an unlocked GNOME Keyring whose
// files live in a folder of this checkout (or a temporary one for tests), never the user's own.
// Elsewhere (a desktop session, macOS, Windows) it runs the command as it is.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-keyring.js COMMAND [ARGS...]');
  process.exit(2);
}

const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const needsSession =
  process.platform === 'linux' &&
  !process.env.LISTSYNC_KEYRING_READY &&
  (!process.env.DBUS_SESSION_BUS_ADDRESS || process.env.CI === 'true') &&
  has('dbus-run-session') &&
  has('gnome-keyring-daemon');

if (!needsSession) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

// Tests get a fresh keyring each time; the demo keeps its keyring beside its data.
const isTest = process.env.LISTSYNC_KEYRING_DIR === undefined && (process.env.npm_lifecycle_event ?? '').startsWith('test');
const dataHome = process.env.LISTSYNC_KEYRING_DIR
  ? resolve(process.env.LISTSYNC_KEYRING_DIR)
  : isTest
    ? mkdtempSync(join(tmpdir(), 'listsync-keyring-'))
    : resolve('.listsync-dev', 'keyring');
mkdirSync(dataHome, { recursive: true });
const script =
  'printf %s "$LISTSYNC_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"';
const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', cmd, ...args], {
  stdio: 'inherit',
  env: {
    ...process.env,
    XDG_DATA_HOME: dataHome,
    LISTSYNC_KEYRING_READY: '1',
    // A development keyring only: it protects the demo's and tests' keys, not a user's real ones.
    LISTSYNC_KEYRING_PASSWORD: process.env.LISTSYNC_KEYRING_PASSWORD ?? 'listsync-dev-keyring',
  },
});
process.exit(r.status ?? 1);

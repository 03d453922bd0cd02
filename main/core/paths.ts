import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder: LISTSYNC_DATA_DIR, else where Electron's `userData` is for "ListSync", so the
 * CLI and the app share one database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LISTSYNC_DATA_DIR) return env.LISTSYNC_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'ListSync');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'ListSync');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'ListSync');
}

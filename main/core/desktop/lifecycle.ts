import { join } from 'node:path';
import type { SyncScheduler } from '../schedule/scheduler';

// The desktop app's life around the window, as plain decisions: starting hidden at login,
// the login item per platform, where the icons are, re-arming schedules after sleep.

/** Must equal appId in electron-builder.yml (Windows matches notifications to the installed shortcut by it). */
export const appUserModelId = 'com.listsync.app';

/** Passed by the login item: start in the tray without opening the window. */
export const hiddenArg = '--hidden';

export function launchedHidden(argv: readonly string[]): boolean {
  return argv.includes(hiddenArg);
}

/** The one-time notice when closing the window first hides ListSync to the tray. */
export const trayHintNotice = {
  title: 'ListSync is still running',
  body: 'Scheduled syncs keep running in the tray. Quit from the tray menu, or turn off "Keep running in the tray" in Settings.',
} as const;

/** Electron's app.setLoginItemSettings argument (macOS and Windows; Linux uses an autostart file). */
export interface LoginItem {
  openAtLogin: boolean;
  args?: string[];
}

/**
 * Windows starts ListSync with --hidden; macOS takes no arguments (openAsHidden is gone since
 * macOS 13), so the app asks app.getLoginItemSettings().wasOpenedAtLogin instead.
 */
export function loginItemSettings(enabled: boolean, platform: NodeJS.Platform): LoginItem | null {
  if (platform === 'win32') return { openAtLogin: enabled, args: [hiddenArg] };
  if (platform === 'darwin') return { openAtLogin: enabled };
  return null;
}

/** Where the XDG autostart entry goes ($XDG_CONFIG_HOME/autostart, default ~/.config/autostart). */
export function linuxAutostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart', 'listsync.desktop');
}

/** An Exec argument quoted as the Desktop Entry spec asks (double quotes; \ " ` $ escaped). */
function quoteExecArg(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/**
 * The autostart entry for Linux. `executable` is the AppImage file when run from one ($APPIMAGE:
 * process.execPath points into its temporary mount), else the installed binary.
 */
export function linuxAutostartEntry(executable: string): string {
  const exec = [executable, hiddenArg].map(quoteExecArg).join(' ').replace(/%/g, '%%');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=ListSync',
    'Comment=Keeps mailing lists in step with Zoho Invoice contacts',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * The folder with the tray and app icons: resources/ of the checkout in development, and the
 * `icons` folder electron-builder copies beside app.asar (extraResources) when packaged.
 */
export function iconsDir(options: { packaged: boolean; resourcesPath: string; appPath: string }): string {
  return options.packaged ? join(options.resourcesPath, 'icons') : join(options.appPath, 'resources');
}

/**
 * After the machine slept (powerMonitor 'resume'): the armed timers are late or lost, so drop them
 * and start again from the stored next-run times, exactly as at app start: a slot that passed
 * during sleep runs once (trigger catch-up), then every sync is armed for its next slot.
 * Only SyncScheduler's public stop/start are needed: start() is the same catch-up as at launch.
 */
export function rearmAfterResume(scheduler: Pick<SyncScheduler, 'stop' | 'start'>): void {
  scheduler.stop();
  scheduler.start();
}

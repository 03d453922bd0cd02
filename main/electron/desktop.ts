// The desktop plugin (see AppPlugin in app.ts): scheduler and sleep, tray, native notifications,
// keep running in the tray, start at login. Only Electron glue: every decision is in
// main/core/desktop/ (tested without Electron), every setting comes from the core's settings.
import { app, Notification, powerMonitor, type BrowserWindow } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { appUrlAt, runRoute } from '../common/routes';
import { watchNotifications, type DesktopNotice } from '../core/desktop/desktopNotifier';
import {
  appUserModelId, iconsDir, launchedHidden, linuxAutostartEntry, linuxAutostartPath, loginItemSettings,
  rearmAfterResume, trayHintNotice,
} from '../core/desktop/lifecycle';
import { readAppSettings, takeTrayHint } from '../core/desktop/settings';
import type { Logger } from '../core/ports';
import type { AppContext, AppPlugin } from './app';
import { createTray } from './tray';

/** Whether to start without a window: launched by the login item (Windows/Linux pass --hidden). */
export function startsHidden(): boolean {
  return launchedHidden(process.argv) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}

/**
 * Opens the window at one run. The renderer routes by hash (a file:// page) and follows
 * hashchange, so this loads the app's URL with the run's route `#/runs/<runId>`
 * (main/common/routes.ts): an in-page navigation when the app is already loaded, the first route
 * when the window was just created. No contract event is needed (the browser host has no use for one).
 */
function openRun(ctx: AppContext, runId: number): void {
  const win = ctx.showWindow();
  const url = appUrlAt(ctx.location.appUrl, runRoute(runId));
  const go = () => {
    win.webContents.loadURL(url).catch((error: Error) => ctx.logger.log('warn', 'window.open-run-failed', { message: error.message }));
  };
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', go);
  else go();
}

/** Registers (or removes) ListSync as a login item. Development builds never touch the OS. */
function applyLoginItem(enabled: boolean, logger: Logger): void {
  if (!app.isPackaged) {
    logger.log('info', 'login-item.skipped', { enabled, reason: 'not a packaged build' });
    return;
  }
  try {
    const item = loginItemSettings(enabled, process.platform);
    if (item) {
      app.setLoginItemSettings(item);
    } else if (process.platform === 'linux') {
      const file = linuxAutostartPath(process.env, homedir());
      if (enabled) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, linuxAutostartEntry(process.env.APPIMAGE ?? process.execPath));
      } else {
        rmSync(file, { force: true });
      }
    }
    logger.log('info', 'login-item.set', { enabled });
  } catch (error) {
    logger.log('warn', 'login-item.failed', { enabled, message: (error as Error).message });
  }
}

export function desktopPlugin(): AppPlugin {
  return (ctx) => {
    const { core, logger } = ctx;
    const undo: Array<() => void> = [];
    const settings = () => readAppSettings(core.store.settings, core.scheduler.paused);
    const icons = iconsDir({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
    if (process.platform === 'win32') app.setAppUserModelId(appUserModelId);

    // Native notifications. Kept referenced until closed, or a click would find no listener.
    const live = new Set<Notification>();
    const show = (notice: DesktopNotice) => {
      if (!Notification.isSupported()) return;
      const note = new Notification({
        title: notice.title,
        body: notice.body,
        urgency: notice.urgent ? 'critical' : 'normal',
        timeoutType: notice.urgent ? 'never' : 'default',
        ...(process.platform === 'linux' ? { icon: join(icons, 'icon.png') } : {}),
      });
      const forget = () => live.delete(note);
      note.on('click', () => {
        forget();
        if (notice.opens) openRun(ctx, notice.opens.runId);
        else ctx.showWindow();
      });
      note.on('close', forget);
      note.on('failed', (_event, error) => {
        forget();
        logger.log('warn', 'notification.failed', { error });
      });
      live.add(note);
      note.show();
    };
    undo.push(watchNotifications({ events: core.events, lookup: core.store.syncs, mode: () => settings().notifications, show }));

    undo.push(createTray(ctx, { iconsDir: icons, report: (title, body) => show({ title, body, urgent: false, opens: null }) }));

    // Schedules: catch up and arm now; after sleep, drop the late timers and re-derive them.
    core.startScheduler();
    const onResume = () => {
      logger.log('info', 'power.resume');
      rearmAfterResume(core.scheduler);
    };
    powerMonitor.on('resume', onResume);
    undo.push(() => powerMonitor.off('resume', onResume));

    // Keep running in the tray: closing the window hides it unless the app is quitting.
    let quitting = false;
    const markQuitting = () => {
      quitting = true;
    };
    app.on('before-quit', markQuitting);
    powerMonitor.on('shutdown', markQuitting);
    const keepInTray = (win: BrowserWindow) => {
      win.on('session-end', markQuitting); // Windows log-off/shutdown: no before-quit
      win.on('close', (event) => {
        if (quitting || !settings().keepInTray) return;
        event.preventDefault();
        win.hide();
        if (takeTrayHint(core.store.settings)) show({ ...trayHintNotice, urgent: false, opens: null });
      });
    };
    const current = ctx.window();
    if (current) keepInTray(current);
    const onWindowCreated = (_event: unknown, win: BrowserWindow) => keepInTray(win);
    app.on('browser-window-created', onWindowCreated);
    // macOS: the Dock icon shows a hidden window (app.ts's 'activate' only recreates a closed one).
    const onActivate = () => void ctx.showWindow();
    if (process.platform === 'darwin') app.on('activate', onActivate);
    undo.push(() => {
      app.off('browser-window-created', onWindowCreated);
      app.off('activate', onActivate);
      powerMonitor.off('shutdown', markQuitting);
    });

    // Start at login follows the setting whenever it changes (Settings page or any other client).
    let loginItem = settings().startAtLogin;
    undo.push(core.events.on('settings.changed', (next) => {
      if (next.startAtLogin === loginItem) return;
      loginItem = next.startAtLogin;
      applyLoginItem(loginItem, logger);
    }));

    return () => {
      undo.reverse().forEach((off) => off());
      live.clear();
    };
  };
}

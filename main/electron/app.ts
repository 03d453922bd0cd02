// The Electron application: one instance, one core over the user's data folder, one window,
// the contract on IPC. Desktop features (tray, notifications, scheduler, power events) plug in
// through `AppPlugin`s: see `plugins` below. Nothing here knows about syncs or lists.
import { app, BrowserWindow, dialog } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/createCore';
import { createFileLogger } from '../core/logging';
import type { Logger } from '../core/ports';
import { KeychainSecretStore } from '../core/secrets/keychainSecretStore';
import { registerIpc } from './ipc';
import { guardAllWebContents, hardenSession } from './session';
import { appLocation, createMainWindow, type AppLocation } from './window';

/** What a desktop feature gets when the app is ready. */
export interface AppContext {
  readonly core: Core;
  readonly logger: Logger;
  readonly location: AppLocation;
  /** The main window, or null while it is closed (e.g. the app lives on in the tray). */
  window(): BrowserWindow | null;
  /** Shows the main window, creating it again if it was closed. */
  showWindow(): BrowserWindow;
  /** Quits for real (the tray's Quit); closes the core first. */
  quit(): void;
}

/**
 * A desktop feature: tray (createTray), notifications, the scheduler's timers, powerMonitor
 * resume. Called once after the core and the window exist; returns its cleanup, run at quit
 * before the core closes.
 */
export type AppPlugin = (context: AppContext) => void | (() => void | Promise<void>);

export interface StartAppOptions {
  plugins?: AppPlugin[];
  /**
   * Whether closing the last window quits the app; default true. The desktop plugin keeps
   * ListSync in the tray by hiding the window instead of closing it (setting keepInTray), so a
   * closed window still means quit when that setting is off. macOS keeps its convention.
   */
  quitOnLastWindowClosed?: boolean;
  /** Asked once the app is ready: true to start without a window (in the tray; e.g. at login). */
  startHidden?: () => boolean;
}

export function startApp(options: StartAppOptions = {}): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const mainDir = dirname(fileURLToPath(import.meta.url));
  const location = appLocation(mainDir, { packaged: app.isPackaged });
  let core: Core | null = null;
  let logger: Logger | null = null;
  let mainWindow: BrowserWindow | null = null;
  const cleanups: Array<() => void | Promise<void>> = [];
  let quitting: 'no' | 'closing' | 'done' = 'no';

  guardAllWebContents(() => location.appUrl);

  const showWindow = (): BrowserWindow => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createMainWindow(location, logger ?? undefined);
      mainWindow.on('closed', () => { mainWindow = null; });
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    return mainWindow;
  };

  app.on('second-instance', () => {
    if (app.isReady() && core) showWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && options.quitOnLastWindowClosed !== false) app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && core && BrowserWindow.getAllWindows().length === 0) showWindow();
  });

  // Close the core (cancel runs, close SQLite, release the data folder lock) before exiting.
  app.on('before-quit', (event) => {
    if (quitting === 'done') return;
    event.preventDefault();
    if (quitting === 'closing') return;
    quitting = 'closing';
    void (async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          logger?.log('warn', 'app.cleanup-failed', { message: (error as Error).message });
        }
      }
      try {
        await core?.close();
      } catch (error) {
        logger?.log('error', 'app.core-close-failed', { message: (error as Error).message });
      }
      quitting = 'done';
      app.quit();
    })();
  });

  void app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    logger = createFileLogger(dataDir);
    hardenSession(location.devServer ? { devServer: location.devServer } : {});
    const secrets = new KeychainSecretStore();
    try {
      core = createCore({
        dataDir, secrets, logger, runtime: 'electron', version: app.getVersion(),
        probeKeychain: () => secrets.probe(),
      });
    } catch (error) {
      // Typically another ListSync process holds the data folder (DataFolderBusyError).
      dialog.showErrorBox('ListSync cannot start', (error as Error).message);
      quitting = 'done';
      app.exit(1);
      return;
    }
    logger.log('info', 'app.started', { version: app.getVersion(), dataDir });

    cleanups.push(registerIpc({ core, getWindow: () => mainWindow, appUrl: location.appUrl, logger }));
    if (!options.startHidden?.()) showWindow();

    const context: AppContext = {
      core, logger, location,
      window: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null),
      showWindow,
      quit: () => app.quit(),
    };
    for (const plugin of options.plugins ?? []) {
      const cleanup = plugin(context);
      if (cleanup) cleanups.push(cleanup);
    }
  });
}

// The one ListSync window: secure options, guards, loads the built renderer (or the dev server).
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../core/ports';
import { guardWebContents } from './session';
import { windowOptions } from './windowOptions';

export interface AppLocation {
  /** The URL the window shows: the dev server in `electron-vite dev`, else file://…/out/renderer/index.html. */
  appUrl: string;
  /** The bundled preload (CommonJS, for the sandbox). */
  preloadPath: string;
  /** Set in development only. */
  devServer: string | undefined;
}

/** Where the app's files are, from the directory of the built main bundle (out/main). */
export function appLocation(mainDir: string, options: { packaged: boolean; env?: NodeJS.ProcessEnv }): AppLocation {
  // A packaged app never loads a URL from its environment: the preload bridge would go with it.
  const devServer = (!options.packaged && (options.env ?? process.env).ELECTRON_RENDERER_URL) || undefined;
  const indexFile = join(mainDir, '..', 'renderer', 'index.html');
  return {
    appUrl: devServer ?? pathToFileURL(indexFile).href,
    preloadPath: join(mainDir, '..', 'preload', 'index.cjs'),
    devServer,
  };
}

export function createMainWindow(location: AppLocation, logger?: Logger): BrowserWindow {
  const win = new BrowserWindow(windowOptions(location.preloadPath));
  guardWebContents(win.webContents, () => location.appUrl, logger);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_event, details) => {
    logger?.log('error', 'window.renderer-gone', { reason: details.reason, exitCode: details.exitCode });
  });
  win.loadURL(location.appUrl).catch((error: Error) => logger?.log('error', 'window.load-failed', { message: error.message }));
  return win;
}

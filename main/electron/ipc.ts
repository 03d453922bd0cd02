// The only place main touches raw ipcMain: one handler for every contract call (sender check,
// then core.call, which validates with zod) and one channel for the core's events.
import { ipcMain, type BrowserWindow } from 'electron';
import type { Core } from '../core/createCore';
import type { Logger } from '../core/ports';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../preload/ipcNames';
import { isAppUrl } from './guards';
import { createInvokeHandler } from './invokeHandler';

export interface IpcOptions {
  core: Pick<Core, 'call' | 'events'>;
  getWindow(): BrowserWindow | null;
  appUrl: string;
  logger?: Logger;
}

/** Registers the contract on ipcMain and forwards core events to the window. Returns the undo. */
export function registerIpc(options: IpcOptions): () => void {
  const handler = createInvokeHandler(options);
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => handler(event, channel, payload));
  const offEvents = options.core.events.onAny((event, payload) => {
    const win = options.getWindow();
    if (!win || win.isDestroyed()) return;
    const contents = win.webContents;
    // Events go only to the app's own page, never to something the window was navigated to.
    if (contents.isDestroyed() || !isAppUrl(contents.getURL(), options.appUrl)) return;
    contents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    offEvents();
  };
}

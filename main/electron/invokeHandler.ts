// The body of the contract's ipcMain handler, without Electron at runtime (types only), so the
// sender check and the dispatch can be tested with plain objects.
import type { Envelope } from '../common/contract';
import type { Logger } from '../core/ports';
import { isTrustedSender, type FrameLike } from './guards';

/** What the handler needs of an IpcMainInvokeEvent. */
export interface InvokeEventLike {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
}

/** What the handler needs of the main BrowserWindow. */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: FrameLike };
}

export interface InvokeHandlerDeps {
  core: { call(channel: unknown, payload: unknown): Promise<Envelope<unknown>> };
  getWindow(): WindowLike | null;
  /** The URL the window loads: file://…/index.html, or the dev server's URL. */
  appUrl: string;
  logger?: Logger;
}

export const untrustedSenderError = {
  code: 'invalid-request',
  message: 'Call refused: it did not come from the ListSync window',
} as const;

export function createInvokeHandler(deps: InvokeHandlerDeps) {
  return async (event: InvokeEventLike, channel: unknown, payload: unknown): Promise<Envelope<unknown>> => {
    const win = deps.getWindow();
    let frame: FrameLike | null = null;
    try {
      frame = event.senderFrame; // a getter that can throw once the frame is gone
    } catch {
      frame = null;
    }
    const trusted =
      win !== null && !win.isDestroyed() && event.sender === win.webContents &&
      isTrustedSender(frame, win.webContents.mainFrame, deps.appUrl);
    if (!trusted) {
      deps.logger?.log('warn', 'ipc.untrusted-sender', { channel: String(channel).slice(0, 100) });
      return { ok: false, error: { ...untrustedSenderError } };
    }
    return deps.core.call(channel, payload);
  };
}

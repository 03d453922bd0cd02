// What the preload puts on `window` (Electron only; the browser host has no `window.listsync`).
// Included by tsconfig.web.json so renderer code sees the type.
import type { ListSyncApi } from '../main/common/contract';

declare global {
  interface Window {
    /**
     * The contract bridge exposed by preload/index.ts. A failed call rejects with the plain
     * contract error shape ({ code, message, issues?, retryAfterMs? }): class instances do not
     * survive contextBridge, so renderer/src/transport/electronApi.ts rebuilds a ContractError.
     */
    listsync?: ListSyncApi;
  }
}

export {};

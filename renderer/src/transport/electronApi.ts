// The Electron bridge: `window.listsync`, exposed by preload/index.ts.
import type { ListSyncApi } from '../../../main/common/contract';
import { asContractError } from './contractError';

/**
 * The preload's bridge as a ListSyncApi, or null outside Electron. Calls reject with a
 * ContractError: the preload rejects with the plain error shape (an Error subclass would lose its
 * fields crossing contextBridge), rebuilt into the class here.
 */
export function electronApi(target: { listsync?: ListSyncApi } | undefined = typeof window === 'undefined' ? undefined : window): ListSyncApi | null {
  const bridge = target?.listsync;
  if (!bridge) return null;
  return {
    invoke: (channel, request) =>
      bridge.invoke(channel, request).catch((error: unknown) => {
        throw asContractError(error);
      }),
    on: (event, listener) => bridge.on(event, listener),
  };
}

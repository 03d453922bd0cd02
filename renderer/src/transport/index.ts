// The one API the renderer programs against: the Electron bridge when the preload put it on
// `window`, else the browser host's WebSocket. Both reject with ContractError, so UI code can
// `catch (e) { if (e instanceof ContractError) … e.code }`.
import type { ListSyncApi } from '../../../main/common/contract';
import { electronApi } from './electronApi';
import { createSocketApi, type ConnectionState, type SocketApi } from './socketApi';

const bridge = electronApi();
const socket: SocketApi | null = bridge ? null : createSocketApi();

export const transportKind: 'electron' | 'browser' = bridge ? 'electron' : 'browser';

export const api: ListSyncApi = bridge ?? socket!;

/** The connection's state ('open' for good in Electron), e.g. for a "reconnecting…" banner. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  if (!socket) {
    listener('open');
    return () => undefined;
  }
  listener(socket.state);
  return socket.onStateChange(listener);
}

export { ContractError } from '../../../main/common/contract';
export type { ConnectionState } from './socketApi';

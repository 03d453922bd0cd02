// The two Electron IPC channel names the contract travels on. Every contract call goes through
// INVOKE_CHANNEL as (channel, request) and comes back as an Envelope; every core event goes
// through EVENT_CHANNEL as (event, payload). Shared by preload/index.ts and main/electron/ipc.ts.
// No imports: the sandboxed preload bundles this file.

export const INVOKE_CHANNEL = 'listsync:invoke';
export const EVENT_CHANNEL = 'listsync:event';

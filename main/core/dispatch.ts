import { ZodError } from 'zod';
import {
  channels, ContractError, type Channel, type ContractErrorShape, type Envelope, type ParsedRequest, type Reply,
} from '../common/contract';
import type { Logger } from './ports';

export type Handlers = { [C in Channel]: (request: ParsedRequest<C>) => Promise<Reply<C>> | Reply<C> };

/** Maps errors from anywhere in the core to the contract's typed error shape. Never a stack trace. */
export function toContractError(error: unknown): ContractErrorShape {
  if (error instanceof ContractError) return error.toShape();
  if (error instanceof ZodError) {
    return {
      code: 'invalid-request',
      message: 'The request is not valid',
      issues: error.issues.map((i) => ({ path: i.path.join('.') || '(request)', message: i.message })),
    };
  }
  const e = error as { name?: string; kind?: string; message?: string; retryAfterMs?: number };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  switch (e?.name) {
    case 'SyncBusyError': return { code: 'busy', message };
    case 'KeychainUnavailableError': return { code: 'keychain', message };
  }
  if (e?.name === 'ZohoApiError' || e?.name === 'RunFailure') {
    switch (e.kind) {
      case 'auth': return { code: 'key-rejected', message };
      case 'network': case 'timeout': return { code: 'source-unreachable', message };
      case 'rate-limit': return { code: 'rate-limited', message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) };
      case 'keychain': return { code: 'keychain', message };
      default: return { code: 'source-error', message };
    }
  }
  return { code: 'internal', message: `Something went wrong: ${message}` };
}

function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

/**
 * Validates one call against the contract, runs its handler and validates the reply.
 * The same function serves Electron IPC, the browser host and in-memory tests.
 */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown, logger?: Logger): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid-request', message: `Unknown channel: ${String(channel).slice(0, 100)}` } };
  }
  try {
    const spec = channels[channel];
    const request = spec.request.parse(payload ?? {});
    const handler = handlers[channel] as (r: unknown) => Promise<unknown> | unknown;
    const value = await handler(request);
    return { ok: true, value: spec.reply.parse(value) };
  } catch (error) {
    const shape = toContractError(error);
    if (shape.code === 'internal') logger?.log('error', 'ipc.internal', { channel, message: (error as Error)?.message });
    return { ok: false, error: shape };
  }
}

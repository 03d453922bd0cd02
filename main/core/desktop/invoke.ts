import { ContractError, type Channel, type Reply, type Request } from '../../common/contract';
import type { Envelope } from '../../common/contract';

/** A typed contract call that throws the ContractError instead of returning the envelope. */
export type Invoke = <C extends Channel>(channel: C, request: Request<C>) => Promise<Reply<C>>;

/**
 * Desktop features (tray, notifications) call the core through the contract, exactly as the
 * window does, so every request is validated and every rule (busy, inactive) applies the same way.
 */
export function invokerOf(core: { call(channel: unknown, payload: unknown): Promise<Envelope<unknown>> }): Invoke {
  return async <C extends Channel>(channel: C, request: Request<C>) => {
    const reply = await core.call(channel, request);
    if (!reply.ok) throw new ContractError(reply.error);
    return reply.value as Reply<C>;
  };
}

// A stand-in for ../transport in component and store tests (vitest + happy-dom): `api.invoke`
// answers from per-test handlers, so views run without a core. Use it with
//   vi.mock('<relative path>/transport', () => import('<relative path>/testing/fakeTransport'));
// and set `fake.handlers` in the test. Never imported by the app.
import { ContractError, type Channel, type ListSyncApi, type Reply, type Request } from '../../../main/common/contract';

export type FakeHandlers = { [C in Channel]?: (request: Request<C>) => Reply<C> | Promise<Reply<C>> };

export const fake = {
  handlers: {} as FakeHandlers,
  calls: [] as Array<{ channel: Channel; request: unknown }>,
  reset(handlers: FakeHandlers = {}): void {
    this.handlers = handlers;
    this.calls = [];
  },
};

export const api: ListSyncApi = {
  async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Reply<C>> {
    fake.calls.push({ channel, request });
    const handler = fake.handlers[channel] as ((r: Request<C>) => Reply<C> | Promise<Reply<C>>) | undefined;
    if (!handler) throw new ContractError({ code: 'not-found', message: `No fake reply for ${channel}` });
    return handler(request);
  },
  on() {
    return () => undefined;
  },
};

export const transportKind = 'browser' as const;

export function onConnectionState(listener: (state: 'open') => void): () => void {
  listener('open');
  return () => undefined;
}

export { ContractError };

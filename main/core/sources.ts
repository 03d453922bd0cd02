import type { Account, AccountEndpoint } from '../common/domain/account';
import { ContractError } from '../common/contract';
import type { DemoSandbox } from './demo';
import type { Logger } from './ports';
import type { ContactSource } from './sync/contactSource';
import { ZohoClient, isLoopbackHost, resolveApiRoot, type ZohoClientOptions } from './zoho';

/** The stored base URL of the built-in demo account: resolved to the in-process sandbox at run time. */
export const demoBaseUrl = 'http://127.0.0.1/listsync-demo';

/**
 * The demo organization is served by this process, not by Zoho: its reads need not wait for
 * Zoho's 100 requests a minute, so a criteria preview on the demo takes seconds, not minutes.
 */
const demoLimits = { requests: 3_000, windowMs: 60_000, concurrent: 8 } as const;

/** Builds Zoho Invoice clients for accounts; the demo account is routed to the in-process sandbox. */
export class SourceFactory {
  constructor(
    private readonly demo: DemoSandbox,
    private readonly logger: Logger,
    private readonly clientDefaults: Partial<ZohoClientOptions> = {},
    /** Applied only to API roots on this computer (the sandbox): a real data center never gets them. */
    private readonly loopbackOverrides: Partial<ZohoClientOptions> = {},
  ) {}

  async apiRootOf(account: Pick<Account, 'isDemo' | 'dataCenter' | 'baseUrl'>): Promise<string> {
    if (account.isDemo) return (await this.demo.ensureStarted()).apiRoot;
    return this.apiRootFor(account.dataCenter ? { dataCenter: account.dataCenter } : { baseUrl: account.baseUrl ?? '' });
  }

  apiRootFor(endpoint: AccountEndpoint): string {
    try {
      return resolveApiRoot('dataCenter' in endpoint ? { dc: endpoint.dataCenter } : { baseUrl: endpoint.baseUrl });
    } catch (error) {
      throw new ContractError({ code: 'invalid-request', message: (error as Error).message });
    }
  }

  client(apiRoot: string, key: string, onRequest?: () => void): ZohoClient {
    const loopback = isLoopbackHost(new URL(apiRoot).hostname) ? this.loopbackOverrides : {};
    const demo = apiRoot === this.demo.apiRoot ? { limits: demoLimits } : {};
    return new ZohoClient({ ...this.clientDefaults, ...loopback, ...demo, apiRoot, token: key, logger: this.logger, onRequest: onRequest ? () => onRequest() : undefined });
  }

  async sourceFor(account: Account, key: string, onRequest: () => void): Promise<ContactSource> {
    return this.client(await this.apiRootOf(account), key, onRequest);
  }
}

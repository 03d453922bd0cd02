import type { Account, AccountEndpoint } from '../common/domain/account';
import { ContractError } from '../common/contract';
import type { DemoSandbox } from './demo';
import type { Logger } from './ports';
import type { ContactSource } from './sync/contactSource';
import type { SourceHooks } from './sync/engine';
import { ZohoClient, isLoopbackHost, resolveApiRoot, type ZohoClientOptions } from './zoho';

/** Counts one API request of an account against an organization's daily budget. */
export type RequestMeter = (accountId: string, organizationId: string) => void;

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
    /** Counts the organization-scoped requests of clientFor() (handlers); runs count their own. */
    private readonly meter?: RequestMeter,
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

  client(apiRoot: string, key: string, hooks: Partial<SourceHooks> = {}): ZohoClient {
    const { onRequest, onRetry } = hooks;
    return new ZohoClient({
      ...this.optionsFor(apiRoot), token: key,
      onRequest: onRequest ? () => onRequest() : undefined,
      onRetry: onRetry ? () => onRetry() : undefined,
    });
  }

  /** A client for an account whose organization-scoped requests count against its daily API budget. */
  async clientFor(account: Account, key: string): Promise<ZohoClient> {
    const meter = this.meter;
    return new ZohoClient({
      ...this.optionsFor(await this.apiRootOf(account)), token: key,
      onRequest: meter ? (info) => { if (info.orgId !== undefined) meter(account.id, info.orgId); } : undefined,
    });
  }

  async sourceFor(account: Account, key: string, hooks: SourceHooks): Promise<ContactSource> {
    return this.client(await this.apiRootOf(account), key, hooks);
  }

  private optionsFor(apiRoot: string): Omit<ZohoClientOptions, 'token'> {
    const loopback = isLoopbackHost(new URL(apiRoot).hostname) ? this.loopbackOverrides : {};
    const demo = apiRoot === this.demo.apiRoot ? { limits: demoLimits } : {};
    return { ...this.clientDefaults, ...loopback, ...demo, apiRoot, logger: this.logger };
  }
}

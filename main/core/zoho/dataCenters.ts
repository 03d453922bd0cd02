import { dataCenterIds, dataCenterLabels, type DataCenterId } from '../../common/domain/account';

/**
 * Zoho Invoice data centers. An organization lives in exactly one; its ZSC key only works there,
 * so the account names its data center (or, for the demo and tests, a loopback base URL).
 */
export interface DataCenter {
  id: DataCenterId;
  /** For the UI, e.g. "United States (zoho.com)". */
  label: string;
  apiRoot: string;
}

const apiDomains: Record<DataCenterId, string> = {
  us: 'com',
  eu: 'eu',
  in: 'in',
  au: 'com.au',
  jp: 'jp',
  ca: 'ca',
  sa: 'sa',
  cn: 'com.cn',
};

export const dataCenters: readonly DataCenter[] = dataCenterIds.map((id) => ({
  id,
  label: dataCenterLabels[id],
  apiRoot: `https://www.zohoapis.${apiDomains[id]}/invoice/v3`,
}));

export type { DataCenterId };

/** Thrown for a data center or base URL ListSync will not talk to; the message says what to fix. */
export class ApiRootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiRootError';
  }
}

/** Loopback hosts: the only ones where plain http is acceptable (the traffic never leaves the machine). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  // WHATWG URL parsing already normalizes IPv4 forms such as "127.1" or "0x7f.1" to dotted decimal.
  const parts = host.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * The API root for an account: a known data center, or a custom base URL (the sandbox).
 * A custom URL must be https, except on loopback where plain http is allowed. A bare origin
 * ("http://127.0.0.1:4010") gets Zoho's path "/invoice/v3" appended.
 */
export function resolveApiRoot(input: { dc: DataCenterId | string } | { baseUrl: string }): string {
  if ('dc' in input) {
    const dc = dataCenters.find((d) => d.id === input.dc);
    if (!dc) {
      throw new ApiRootError(`Unknown Zoho data center "${String(input.dc)}"; choose one of ${dataCenterIds.join(', ')}`);
    }
    return dc.apiRoot;
  }
  const raw = input.baseUrl.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiRootError(`The base URL "${raw.slice(0, 200)}" is not a valid URL (expected e.g. https://host/invoice/v3)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ApiRootError(`The base URL must start with https:// (got ${url.protocol.replace(/:$/, '')})`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ApiRootError(
      `Plain http is allowed only for this computer (127.0.0.1, localhost, [::1]); use https:// for ${url.hostname}`,
    );
  }
  if (url.username || url.password) {
    throw new ApiRootError('The base URL must not contain a user name or password; the ZSC key is sent separately');
  }
  if (url.search || url.hash) {
    throw new ApiRootError('The base URL must not contain a query (?…) or fragment (#…)');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path === '' ? '/invoice/v3' : path}`;
}

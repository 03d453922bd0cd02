import type { SourceContact } from './sourceRecord';

/** One page of contacts as read from Zoho Invoice. */
export interface SourcePage {
  page: number;
  contacts: SourceContact[];
  hasMorePage: boolean;
}

/**
 * What the engine needs from Zoho Invoice. The real ZohoClient satisfies it; keeping the engine
 * on this small port leaves paging, limits and retries to the client.
 */
export interface ContactSource {
  listOrganizations(signal?: AbortSignal): Promise<Array<{ organization_id: string; name: string }>>;
  /** `prefetch`: pages fetched ahead of the one being processed (each still through the limiter). */
  iterateContacts(
    orgId: string,
    opts: { sortColumn?: string; sortOrder?: 'A' | 'D'; filters?: Record<string, string>; prefetch?: number },
    signal?: AbortSignal,
  ): AsyncIterable<SourcePage>;
  iterateChangedContacts(
    orgId: string, opts: { since: Date; overlapMs?: number; prefetch?: number }, signal?: AbortSignal,
  ): AsyncIterable<SourcePage>;
  getContact(orgId: string, contactId: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
}

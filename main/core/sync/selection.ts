import type { Database } from 'better-sqlite3';
import { conditionMatches, type Condition, type ImportOption } from '../../common/domain/criteria';
import type { FieldMapping } from '../../common/domain/mapping';
import type { ContactSource } from './contactSource';
import { fieldReader, pathNeedsDetail, type SourceContact } from './sourceRecord';

export interface SelectedRecord {
  summary: SourceContact;
  detail?: Record<string, unknown>;
}

/** Address searches Zoho does server-side: a superset of the contacts a detail condition can match. */
const narrowableOps = new Set(['is', 'contains', 'starts_with', 'ends_with']);

/**
 * Decides which fetched contacts meet a sync's criteria, fetching a contact's detail only when a
 * criteria or mapped field lives there, only for candidates, and only once per modification
 * (details are cached by last_modified_time).
 */
export class RecordSelector {
  private readonly summaryConditions: Condition[];
  private readonly detailConditions: Condition[];
  private readonly match: 'all' | 'any';
  private readonly mappingNeedsDetail: boolean;
  private candidates: Set<string> | null = null;
  private readonly cacheGet;
  private readonly cachePut;
  private pendingCache: Array<[string, string, string]> = [];
  detailRequests = 0;

  constructor(
    private readonly db: Database,
    private readonly source: ContactSource,
    private readonly scope: { accountId: string; organizationId: string },
    importOption: ImportOption,
    mapping: FieldMapping,
  ) {
    const conditions = importOption.kind === 'criteria' ? importOption.criteria.conditions : [];
    this.match = importOption.kind === 'criteria' ? importOption.criteria.match : 'all';
    this.summaryConditions = conditions.filter((c) => !pathNeedsDetail(c.field));
    this.detailConditions = conditions.filter((c) => pathNeedsDetail(c.field));
    this.mappingNeedsDetail = mapping.some((m) => pathNeedsDetail(m.source));
    this.cacheGet = db.prepare(
      `SELECT source_id, last_modified, detail FROM source_details
       WHERE account_id = ? AND organization_id = ? AND source_id IN (SELECT value FROM json_each(?))`,
    );
    this.cachePut = db.prepare(
      `INSERT INTO source_details (account_id, organization_id, source_id, last_modified, detail) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, organization_id, source_id) DO UPDATE SET last_modified = excluded.last_modified, detail = excluded.detail`,
    );
  }

  /** Before reading: collect candidates with a server-side address search where one narrows the set. */
  async prepare(signal?: AbortSignal): Promise<number> {
    const narrowing = this.match === 'all' ? this.detailConditions.find((c) => narrowableOps.has(c.op) && c.value) : undefined;
    if (!narrowing?.value) return 0;
    this.candidates = new Set();
    let pages = 0;
    for await (const page of this.source.iterateContacts(this.scope.organizationId, { filters: { address_contains: narrowing.value } }, signal)) {
      pages += 1;
      for (const c of page.contacts) this.candidates.add(c.contact_id);
    }
    return pages;
  }

  private summaryVerdict(summary: SourceContact): boolean | 'needs-detail' {
    const read = fieldReader(summary);
    if (this.match === 'all') {
      if (!this.summaryConditions.every((c) => conditionMatches(c, read))) return false;
      if (this.detailConditions.length === 0) return true;
      if (this.candidates && !this.candidates.has(summary.contact_id)) return false;
      return 'needs-detail';
    }
    if (this.summaryConditions.length > 0 && this.summaryConditions.some((c) => conditionMatches(c, read))) return true;
    if (this.detailConditions.length === 0) return this.summaryConditions.length === 0;
    return 'needs-detail';
  }

  private detailVerdict(summary: SourceContact, detail: Record<string, unknown>): boolean {
    const read = fieldReader(summary, detail);
    return this.match === 'all'
      ? this.detailConditions.every((c) => conditionMatches(c, read))
      : this.detailConditions.some((c) => conditionMatches(c, read));
  }

  /** The page's records that meet the criteria, with details where needed. */
  async select(page: readonly SourceContact[], signal?: AbortSignal): Promise<SelectedRecord[]> {
    // No criteria and no detail to fetch (an "import all" sync): every record, as the general path gives it.
    if (this.summaryConditions.length === 0 && this.detailConditions.length === 0 && !this.mappingNeedsDetail) {
      return page.map((summary) => ({ summary }));
    }
    const verdicts = page.map((s) => ({ summary: s, verdict: this.summaryVerdict(s) }));
    const wanted = verdicts.filter((v) => v.verdict === 'needs-detail' || (v.verdict === true && this.mappingNeedsDetail));
    const details = await this.details(wanted.map((v) => v.summary), signal);
    const selected: SelectedRecord[] = [];
    for (const { summary, verdict } of verdicts) {
      const detail = details.get(summary.contact_id);
      if (verdict === false) continue;
      if (verdict === 'needs-detail' && (!detail || !this.detailVerdict(summary, detail))) continue;
      selected.push(detail ? { summary, detail } : { summary });
    }
    return selected;
  }

  private async details(summaries: readonly SourceContact[], signal?: AbortSignal): Promise<Map<string, Record<string, unknown>>> {
    const result = new Map<string, Record<string, unknown>>();
    if (summaries.length === 0) return result;
    const cached = this.cacheGet.all(
      this.scope.accountId, this.scope.organizationId, JSON.stringify(summaries.map((s) => s.contact_id)),
    ) as Array<{ source_id: string; last_modified: string; detail: string }>;
    const byId = new Map(cached.map((c) => [c.source_id, c]));
    const missing: SourceContact[] = [];
    for (const s of summaries) {
      const hit = byId.get(s.contact_id);
      if (hit && hit.last_modified === (s.last_modified_time ?? '')) result.set(s.contact_id, JSON.parse(hit.detail) as Record<string, unknown>);
      else missing.push(s);
    }
    // The client's per-organization limiter bounds how many of these run at once.
    const fetched = await Promise.all(
      missing.map(async (s) => [s, await this.source.getContact(this.scope.organizationId, s.contact_id, signal)] as const),
    );
    this.detailRequests += fetched.length;
    for (const [s, detail] of fetched) {
      result.set(s.contact_id, detail);
      this.pendingCache.push([s.contact_id, s.last_modified_time ?? '', JSON.stringify(detail)]);
    }
    return result;
  }

  /** Saves fetched details; called inside the page's transaction (never in a dry run). */
  flushCache(): void {
    for (const [id, modified, detail] of this.pendingCache) {
      this.cachePut.run(this.scope.accountId, this.scope.organizationId, id, modified, detail);
    }
    this.pendingCache = [];
  }

  discardCache(): void {
    this.pendingCache = [];
  }
}

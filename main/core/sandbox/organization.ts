import { formatZohoTime, parseZohoTime } from '../zoho/time';
import { buildContact, patchContact, toSummary, type SandboxContact, type SandboxContactInput } from './contact';
import { ContactGenerator, describeGenerated, type GenerateSpec, type GeneratedComposition } from './generate';
import { SortedIndex, sortSlots } from './sortedIndex';
import { SummaryStore } from './summaryStore';

/*
 * One sandbox organization: generated contacts (computed from the index on demand) plus the few
 * contacts tests add, edit or delete. Only those changes are held in memory. Each sort order is
 * computed once, on first use, and then maintained by single inserts and removals.
 */

export const sortColumns = [
  'contact_name', 'first_name', 'last_name', 'email', 'outstanding_receivable_amount', 'created_time', 'last_modified_time',
] as const;
export type SortColumn = (typeof sortColumns)[number];

export const searchFields = ['contact_name', 'company_name', 'first_name', 'last_name', 'email', 'phone', 'address'] as const;
export type SearchField = (typeof searchFields)[number] | 'search_text';
export type SearchMode = 'is' | 'startswith' | 'contains';

export const statusFilters = [
  'Status.All', 'Status.Active', 'Status.Inactive', 'Status.Duplicate', 'Status.PortalEnabled', 'Status.PortalDisabled',
  'Status.CreditLimitExceed', 'Status.Crm', 'Invoice.OverDue', 'Invoice.Unpaid',
] as const;
export type StatusFilter = (typeof statusFilters)[number];

export interface ContactQuery {
  page: number;
  perPage: number;
  sortColumn: SortColumn;
  sortOrder: 'A' | 'D';
  searches: Array<{ field: SearchField; mode: SearchMode; value: string }>;
  contactType?: 'customer' | 'vendor';
  filterBy: StatusFilter;
}

export interface OrganizationSetup {
  organization_id: string;
  name: string;
  /** Serve IDs and zip codes as JSON numbers, like Zoho's doc examples. */
  numericIds: boolean;
  currencyCode: string;
  timeZone: string;
  offsetMinutes: number;
  country: string;
  /** First number of this organization's ID range. */
  idBase: number;
  generate?: GenerateSpec;
  contacts?: readonly SandboxContactInput[];
}

const queryCacheSize = 8;
/** The demo's 3,000 contacts need ~2.6 MB. */
export const defaultSummaryCacheBytes = 64 * 1024 * 1024;

function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : typeof value === 'number' ? String(value) : '';
}

function timeKey(value: unknown): number {
  const t = parseZohoTime(typeof value === 'string' ? value : undefined);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

export class SandboxOrganization {
  readonly id: string;
  readonly name: string;
  readonly setup: OrganizationSetup;
  private readonly generator: ContactGenerator | null;
  private readonly generated: number;
  private deletedGenerated: Uint8Array | null = null;
  private readonly overrides = new Map<number, SandboxContact>();
  private readonly stored: Array<SandboxContact | null> = [];
  private readonly storedIds = new Map<string, number>();
  private live: number;
  private nextStored = 0;
  private readonly indexes = new Map<SortColumn, SortedIndex>();
  private readonly queryCache = new Map<string, Uint32Array>();
  private composition: GeneratedComposition | null = null;
  /**
   * Each contact's list-page summary as JSON bytes, serialized once until the contact changes:
   * generating and serializing a contact costs the sandbox about as much CPU as the client's whole
   * parse of it, and on a 2-core machine the sandbox would otherwise be what a benchmark measures.
   */
  private readonly summaries = new SummaryStore();

  /** `summaryCacheBytes`: most bytes of serialized summaries kept (past that, each is serialized per request). */
  constructor(setup: OrganizationSetup, private readonly clock: () => Date, private readonly summaryCacheBytes = defaultSummaryCacheBytes) {
    this.setup = setup;
    this.id = setup.organization_id;
    this.name = setup.name;
    this.generator = setup.generate
      ? new ContactGenerator(setup.generate, {
          idBase: setup.idBase,
          offsetMinutes: setup.offsetMinutes,
          tierFieldId: String(setup.idBase + 700_000_000_001),
          industryFieldId: String(setup.idBase + 700_000_000_002),
        })
      : null;
    this.generated = this.generator?.count ?? 0;
    this.live = this.generated;
    for (const input of setup.contacts ?? []) this.add(input, false);
  }

  get contactCount(): number {
    return this.live;
  }

  /** The generated composition (as generated, before any test edits); null for hand-written organizations. */
  generatedComposition(): GeneratedComposition | null {
    if (!this.generator) return null;
    this.composition ??= describeGenerated(this.generator);
    return this.composition;
  }

  get generatorForTests(): ContactGenerator | null {
    return this.generator;
  }

  nowText(): string {
    return formatZohoTime(this.clock().getTime(), this.setup.offsetMinutes);
  }

  private slotOf(contactId: string): number {
    const stored = this.storedIds.get(contactId);
    if (stored !== undefined) return stored;
    const i = this.generator?.indexOf(contactId) ?? -1;
    if (i < 0 || this.deletedGenerated?.[i] === 1) return -1;
    return i;
  }

  private record(slot: number): SandboxContact | null {
    if (slot >= this.generated) return this.stored[slot - this.generated] ?? null;
    return this.overrides.get(slot) ?? null;
  }

  private contactAt(slot: number): SandboxContact {
    return this.record(slot) ?? (this.generator as ContactGenerator).contact(slot);
  }

  get(contactId: string): SandboxContact | null {
    const slot = this.slotOf(String(contactId));
    return slot < 0 ? null : this.contactAt(slot);
  }

  add(input: SandboxContactInput, track = true): SandboxContact {
    const n = this.nextStored++;
    const contact = buildContact(input, {
      contactId: String(this.setup.idBase + 100_000_000_000 + n + 1),
      personId: String(this.setup.idBase + 600_000_000_000 + n + 1),
      now: this.nowText(),
      currencyCode: this.setup.currencyCode,
    });
    if (this.slotOf(contact.contact_id) >= 0) {
      throw new SandboxStateError(`Contact ${contact.contact_id} already exists in organization ${this.id}`);
    }
    const slot = this.generated + this.stored.length;
    this.stored.push(contact);
    this.storedIds.set(contact.contact_id, slot);
    this.live += 1;
    if (track) this.changed(() => undefined, slot);
    return contact;
  }

  update(contactId: string, patch: SandboxContactInput): SandboxContact {
    const slot = this.requireSlot(contactId);
    const next = patchContact(this.contactAt(slot), patch, this.nowText());
    this.changed(() => {
      if (slot >= this.generated) this.stored[slot - this.generated] = next;
      else this.overrides.set(slot, next);
    }, slot);
    return next;
  }

  remove(contactId: string): void {
    const slot = this.requireSlot(contactId);
    for (const index of this.indexes.values()) index.remove(slot);
    if (slot >= this.generated) {
      this.stored[slot - this.generated] = null;
      this.storedIds.delete(String(contactId));
    } else {
      this.deletedGenerated ??= new Uint8Array(this.generated);
      this.deletedGenerated[slot] = 1;
      this.overrides.delete(slot);
    }
    this.live -= 1;
    this.summaries.delete(slot);
    this.queryCache.clear();
  }

  /** The contact in `slot` as the list endpoint serves it, JSON.stringify(toSummary(…)) as UTF-8. */
  summaryJson(slot: number): Buffer {
    const hit = this.summaries.get(slot);
    if (hit) return hit;
    const text = JSON.stringify(toSummary(this.contactAt(slot), this.setup.numericIds));
    if (this.summaries.bytes + text.length * 3 > this.summaryCacheBytes) return Buffer.from(text, 'utf8');
    return this.summaries.set(slot, text);
  }

  private requireSlot(contactId: string): number {
    const slot = this.slotOf(String(contactId));
    if (slot < 0) throw new SandboxStateError(`No contact ${contactId} in organization ${this.id}`);
    return slot;
  }

  /** Applies a change to one slot, keeping every built sort order in order. */
  private changed(apply: () => void, slot: number): void {
    for (const index of this.indexes.values()) index.remove(slot);
    this.summaries.delete(slot);
    apply();
    for (const index of this.indexes.values()) index.insert(slot);
    this.queryCache.clear();
  }

  private liveSlots(): Uint32Array {
    const slots = new Uint32Array(this.live);
    let n = 0;
    const deleted = this.deletedGenerated;
    for (let i = 0; i < this.generated; i += 1) if (deleted?.[i] !== 1) slots[n++] = i;
    for (let k = 0; k < this.stored.length; k += 1) if (this.stored[k]) slots[n++] = this.generated + k;
    return slots;
  }

  private sortKey(slot: number, column: SortColumn): number | string {
    const rec = this.record(slot);
    if (rec) {
      switch (column) {
        case 'created_time':
        case 'last_modified_time':
          return timeKey(rec[column]);
        case 'outstanding_receivable_amount':
          return Number(rec.outstanding_receivable_amount) || 0;
        case 'email':
          return lower(rec.email).trim();
        default:
          return lower(rec[column]);
      }
    }
    const g = this.generator as ContactGenerator;
    switch (column) {
      case 'created_time': return g.createdSec(slot) * 1000;
      case 'last_modified_time': return g.modifiedSec(slot) * 1000;
      case 'outstanding_receivable_amount': return g.outstanding(slot);
      case 'email': return lower(g.email(slot)).trim();
      case 'contact_name': return g.contactName(slot).toLowerCase();
      case 'first_name': return g.person(slot).first[0].toLowerCase();
      case 'last_name': return g.person(slot).last[0].toLowerCase();
    }
  }

  private compareSlots(column: SortColumn): (a: number, b: number) => number {
    return (a, b) => {
      const x = this.sortKey(a, column);
      const y = this.sortKey(b, column);
      if (x < y) return -1;
      if (x > y) return 1;
      return a - b;
    };
  }

  /** The slots in ascending order of a column, built on first use. */
  private index(column: SortColumn): SortedIndex {
    let index = this.indexes.get(column);
    if (!index) {
      const slots = this.liveSlots();
      const numeric = column === 'created_time' || column === 'last_modified_time' || column === 'outstanding_receivable_amount';
      const keys = numeric ? new Float64Array(slots.length) : new Array<string>(slots.length);
      for (let p = 0; p < slots.length; p += 1) keys[p] = this.sortKey(slots[p] as number, column) as never;
      // Generated contacts are created in index order: the created_time order is usually there already.
      let sorted = true;
      for (let p = 1; p < slots.length && sorted; p += 1) if ((keys[p - 1] as number | string) > (keys[p] as number | string)) sorted = false;
      index = new SortedIndex(sorted ? slots : sortSlots(slots, keys), this.compareSlots(column));
      this.indexes.set(column, index);
    }
    return index;
  }

  /** Texts a search looks in, for one contact. */
  private searchTexts(slot: number, field: SearchField): string[] {
    const rec = this.record(slot);
    if (rec) {
      switch (field) {
        case 'phone': return [lower(rec.phone), lower(rec.mobile)];
        case 'address': return [rec.billing_address, rec.shipping_address].flatMap((a) => addressTexts(a));
        case 'search_text': return [lower(rec.contact_name), lower(rec.notes)];
        default: return [lower(rec[field])];
      }
    }
    const g = this.generator as ContactGenerator;
    switch (field) {
      case 'contact_name': return [g.contactName(slot).toLowerCase()];
      case 'company_name': return [g.companyName(slot).toLowerCase()];
      case 'first_name': return [g.person(slot).first[0].toLowerCase()];
      case 'last_name': return [g.person(slot).last[0].toLowerCase()];
      case 'email': return [lower(g.email(slot))];
      case 'phone': {
        const p = g.phones(slot);
        return [p.phone.toLowerCase(), p.mobile.toLowerCase()];
      }
      case 'address': {
        const a = g.addresses(slot);
        return [...addressTexts(a.billing), ...addressTexts(a.shipping)];
      }
      case 'search_text': return [g.contactName(slot).toLowerCase(), g.notes(slot).toLowerCase()];
    }
  }

  private passesFilterBy(slot: number, filterBy: StatusFilter): boolean {
    if (filterBy === 'Status.All') return true;
    const rec = this.record(slot);
    const g = this.generator;
    const status = rec ? lower(rec.status) : (g as ContactGenerator).status(slot);
    switch (filterBy) {
      case 'Status.Active': return status === 'active';
      case 'Status.Inactive': return status === 'inactive';
      case 'Status.PortalEnabled':
      case 'Status.PortalDisabled': {
        const enabled = lower(this.contactAt(slot).portal_status) === 'enabled';
        return filterBy === 'Status.PortalEnabled' ? enabled : !enabled;
      }
      case 'Invoice.Unpaid': {
        const amount = rec ? Number(rec.outstanding_receivable_amount) || 0 : (g as ContactGenerator).outstanding(slot);
        return amount > 0;
      }
      // Duplicates, credit limits, CRM links and overdue invoices are not modelled: no contact matches.
      default: return false;
    }
  }

  private matches(slot: number, q: ContactQuery): boolean {
    if (q.contactType) {
      const rec = this.record(slot);
      const type = rec ? lower(rec.contact_type) : (this.generator as ContactGenerator).contactType(slot);
      if (type !== q.contactType) return false;
    }
    if (!this.passesFilterBy(slot, q.filterBy)) return false;
    for (const s of q.searches) {
      const value = s.value.toLowerCase();
      const texts = this.searchTexts(slot, s.field);
      const hit = texts.some((t) => (s.mode === 'is' ? t === value : s.mode === 'startswith' ? t.startsWith(value) : t.includes(value)));
      if (!hit) return false;
    }
    return true;
  }

  /** The slots of a filtered listing in ascending order; cached until the organization changes. */
  private filtered(q: ContactQuery): Uint32Array {
    const key = JSON.stringify([q.sortColumn, q.searches, q.contactType ?? '', q.filterBy]);
    const hit = this.queryCache.get(key);
    if (hit) {
      this.queryCache.delete(key);
      this.queryCache.set(key, hit);
      return hit;
    }
    const all = this.index(q.sortColumn).view();
    const out = new Uint32Array(all.length);
    let n = 0;
    for (const slot of all) if (this.matches(slot, q)) out[n++] = slot;
    const result = out.slice(0, n);
    this.queryCache.set(key, result);
    if (this.queryCache.size > queryCacheSize) this.queryCache.delete(this.queryCache.keys().next().value as string);
    return result;
  }

  /** The slots of one page of a listing, in the page's order. */
  listSlots(q: ContactQuery): { slots: number[]; hasMore: boolean; total: number } {
    const unfiltered = q.searches.length === 0 && !q.contactType && q.filterBy === 'Status.All';
    const ordered = unfiltered ? this.index(q.sortColumn).view() : this.filtered(q);
    const total = ordered.length;
    const start = Math.min(total, (q.page - 1) * q.perPage);
    const end = Math.min(total, start + q.perPage);
    const slots: number[] = [];
    for (let p = start; p < end; p += 1) slots.push(ordered[q.sortOrder === 'D' ? total - 1 - p : p] as number);
    return { slots, hasMore: end < total, total };
  }

  list(q: ContactQuery): { contacts: SandboxContact[]; hasMore: boolean; total: number } {
    const { slots, hasMore, total } = this.listSlots(q);
    return { contacts: slots.map((slot) => this.contactAt(slot)), hasMore, total };
  }
}

function addressTexts(a: unknown): string[] {
  if (a === null || typeof a !== 'object') return [];
  const r = a as Record<string, unknown>;
  return [r.address, r.street2, r.city, r.state, r.zip, r.country].map(lower).filter((t) => t !== '');
}

/** A state API call that cannot be done (unknown contact, duplicate ID …). */
export class SandboxStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStateError';
  }
}

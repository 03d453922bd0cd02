import { formatZohoTime } from '../zoho/time';
import type { SandboxAddress, SandboxContact, SandboxContactPerson, SandboxCustomField } from './contact';
import {
  companyTrades, countries, departments, designations, fillPattern, industries, notes, personalDomains, roleLocalParts,
  salutations, tiers, type Country, type Name,
} from './pools';
import { fieldRng, hash32, pick, pickWeighted, stream, uniform } from './prng';

/*
 * Generated organizations. Contact i is a pure function of (seed, i): nothing is stored, any
 * contact can be produced in microseconds, and created_time grows with i, so the generated order
 * is already the created_time order.
 *
 * Email composition (per contact, by a hash of seed and index), covering every ListSync outcome:
 *   3% role/group addresses (info@, support@, careers@ …), unique
 *   3% invalid addresses (Zoho's own examples johngmail.com, jane@aol …, spaces, two @,
 *      display names, quoted local parts, IP-literal domains)
 *   3% empty (no email field, "", or blanks)
 *   2% the address of an earlier contact in another letter case (Bob@Example.com / bob@example.com)
 *   the rest valid and unique (the local part ends in the contact's index).
 */

export interface GenerateSpec {
  count: number;
  seed: number;
  /** Generated times lie in the two years before this instant. Default 2026-11-01T00:00:00Z. */
  anchor?: string | Date;
}

export type EmailCategory = 'valid' | 'role' | 'invalid' | 'empty' | 'case-duplicate';

export const emailRates = { role: 0.03, invalid: 0.03, empty: 0.03, caseDuplicate: 0.02 } as const;

export const defaultAnchor = '2026-11-01T00:00:00Z';
const twoYearsSec = 2 * 365 * 86_400;
export const maxGeneratedContacts = 10_000_000;

export interface GeneratorContext {
  /** contact_id of contact i is idBase + i + 1. */
  idBase: number;
  /** The organization's UTC offset, used to format times like Zoho does. */
  offsetMinutes: number;
  /** IDs of the organization's two custom fields. */
  tierFieldId: string;
  industryFieldId: string;
}

export interface Person {
  first: Name;
  last: Name;
  salutation: string;
}

/** Zoho's examples of invalid addresses, and the other defects ListSync names. */
const invalidShapes: ReadonlyArray<(f: string, l: string, i: number, r: number) => string> = [
  (f, _l, _i, r) => (r < 0.5 ? 'johngmail.com' : `${f}gmail.com`),
  (f, _l, _i, r) => (r < 0.5 ? 'jane@aol' : `${f}@aol`),
  (f, _l, _i, r) => (r < 0.5 ? 'ted@zylkercom' : `${f}@zylkercom`),
  (f, l, _i, r) => (r < 0.5 ? 'johndoe.yahoo.com' : `${f}${l}.yahoo.com`),
  (f, _l, _i, r) => (r < 0.5 ? 'darren@outlookcom' : `${f}@outlookcom`),
  (f, l, i) => `${f} ${l}${i}@example.com`,
  (f, l, i) => `${f}@${l}${i}@example.com`,
  (f, l, i) => `${cap(f)} ${cap(l)} <${f}.${l}${i}@example.com>`,
  (f, l, i) => `"${f} ${l}${i}"@example.com`,
  (f, _l, i) => `${f}${i}@[192.168.${i % 250}.${(i >> 8) % 250}]`,
];

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Another letter case of the same address: Bob@Example.com for bob@example.com and back. */
export function caseVariant(address: string): string {
  const at = address.indexOf('@');
  const variant = `${cap(address.slice(0, at))}@${cap(address.slice(at + 1))}`;
  if (variant !== address) return variant;
  return address.toLowerCase() !== address ? address.toLowerCase() : address.toUpperCase();
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export class ContactGenerator {
  readonly count: number;
  readonly seed: number;
  private readonly anchorSec: number;

  constructor(spec: GenerateSpec, private readonly ctx: GeneratorContext) {
    if (!Number.isInteger(spec.count) || spec.count < 0 || spec.count > maxGeneratedContacts) {
      throw new RangeError(`generate.count must be an integer from 0 to ${maxGeneratedContacts} (got ${spec.count})`);
    }
    this.count = spec.count;
    this.seed = spec.seed >>> 0;
    const anchor = spec.anchor === undefined ? Date.parse(defaultAnchor) : new Date(spec.anchor).getTime();
    if (Number.isNaN(anchor)) throw new RangeError('generate.anchor is not a valid date');
    this.anchorSec = Math.floor(anchor / 1000);
  }

  contactId(i: number): string {
    return String(this.ctx.idBase + i + 1);
  }

  /** The index of a generated contact ID, or -1. */
  indexOf(contactId: string): number {
    if (!/^\d{1,16}$/.test(contactId)) return -1;
    const i = Number(contactId) - this.ctx.idBase - 1;
    return Number.isInteger(i) && i >= 0 && i < this.count && this.contactId(i) === contactId ? i : -1;
  }

  private rawCategory(i: number): EmailCategory {
    const u = uniform(this.seed, i, stream.category);
    if (u < emailRates.role) return 'role';
    if (u < emailRates.role + emailRates.invalid) return 'invalid';
    if (u < emailRates.role + emailRates.invalid + emailRates.empty) return 'empty';
    if (u < emailRates.role + emailRates.invalid + emailRates.empty + emailRates.caseDuplicate) return 'case-duplicate';
    return 'valid';
  }

  // One-entry memo: building one contact asks for its duplicate target, country and person often.
  private memoIndex = -1;
  private memoDuplicate = -1;
  private memoCountry: Country | null = null;
  private memoPerson: Person | null = null;

  private memo(i: number): void {
    if (this.memoIndex === i) return;
    this.memoIndex = i;
    this.memoDuplicate = this.findDuplicateOf(i);
    this.memoCountry = null;
    this.memoPerson = null;
  }

  /** For a case duplicate: the earlier valid contact whose address it repeats (else -1). */
  duplicateOf(i: number): number {
    this.memo(i);
    return this.memoDuplicate;
  }

  private findDuplicateOf(i: number): number {
    if (this.rawCategory(i) !== 'case-duplicate' || i === 0) return -1;
    const start = i - 1 - Math.floor(uniform(this.seed, i, stream.duplicate) * Math.min(i, 200));
    for (let j = start; j >= 0; j -= 1) if (this.rawCategory(j) === 'valid') return j;
    for (let j = start + 1; j < i; j += 1) if (this.rawCategory(j) === 'valid') return j;
    return -1;
  }

  category(i: number): EmailCategory {
    const raw = this.rawCategory(i);
    return raw === 'case-duplicate' && this.duplicateOf(i) < 0 ? 'valid' : raw;
  }

  country(i: number): Country {
    this.memo(i);
    if (this.memoCountry) return this.memoCountry;
    const j = this.memoDuplicate;
    this.memoCountry = pickWeighted(countries, uniform(this.seed, j >= 0 ? j : i, stream.country));
    return this.memoCountry;
  }

  person(i: number): Person {
    this.memo(i);
    if (this.memoPerson) return this.memoPerson;
    const j = this.memoDuplicate;
    const k = j >= 0 ? j : i; // a case duplicate is the same person entered twice
    const r = fieldRng(this.seed, k, stream.person);
    // One contact in ten has a name from another country: organizations are international.
    const from = r() < 0.1 ? pick(countries, r()) : this.country(i);
    const person = { first: pick(from.first, r()), last: pick(from.last, r()), salutation: pick(salutations, r()) };
    this.memoPerson = person;
    return person;
  }

  isBusiness(i: number): boolean {
    return uniform(this.seed, i, stream.kind) < 0.6;
  }

  companyName(i: number): string {
    if (!this.isBusiness(i)) return '';
    const country = this.country(i);
    const r = fieldRng(this.seed, i, stream.company);
    const word = pick(country.companyWords, r())[0];
    const trade = pick(companyTrades, r())[0];
    const legal = pick(country.legal, r());
    return legal === '株式会社' ? `${legal} ${word} ${trade}` : `${word} ${trade} ${legal}`;
  }

  private companyDomain(i: number): string {
    const country = this.country(i);
    const r = fieldRng(this.seed, i, stream.company);
    const word = pick(country.companyWords, r())[1];
    const trade = pick(companyTrades, r())[1];
    return `${slug(word)}${slug(trade)}.example`;
  }

  personName(i: number): string {
    const p = this.person(i);
    return this.country(i).familyFirst ? `${p.last[0]} ${p.first[0]}` : `${p.first[0]} ${p.last[0]}`;
  }

  contactName(i: number): string {
    return this.isBusiness(i) ? this.companyName(i) : this.personName(i);
  }

  /** The contact's email as Zoho would send it; undefined when the field is missing altogether. */
  email(i: number): string | undefined {
    const category = this.category(i);
    const r = fieldRng(this.seed, i, stream.email);
    const p = this.person(i);
    const f = p.first[1];
    const l = slug(p.last[1]);
    switch (category) {
      case 'empty': {
        const x = r();
        return x < 0.3 ? undefined : x < 0.8 ? '' : '   ';
      }
      case 'invalid':
        return pick(invalidShapes, r())(f, l, i, r());
      case 'role': {
        const local = pick(roleLocalParts, r());
        return `${r() < 0.15 ? cap(local) : local}@${this.companyDomain(i).replace('.example', `-${i.toString(36)}.example`)}`;
      }
      case 'case-duplicate':
        return caseVariant(this.email(this.duplicateOf(i)) as string);
      case 'valid': {
        const domain = this.isBusiness(i) && r() < 0.5 ? this.companyDomain(i) : pick(personalDomains, r());
        const shape = r();
        const local =
          shape < 0.55 ? `${f}.${l}${i}` : shape < 0.8 ? `${f.charAt(0)}${l}${i}` : shape < 0.9 ? `${f}_${l}${i}` : `${f}.${l}+invoices${i}`;
        const address = `${local}@${domain}`;
        return r() < 0.1 ? `${cap(local)}@${cap(domain)}` : address;
      }
    }
  }

  createdSec(i: number): number {
    // Slot i of the two years, jittered inside its slot: strictly increasing with i.
    const f = uniform(this.seed, i, stream.time);
    return this.anchorSec - twoYearsSec + Math.floor(((i + f) * twoYearsSec) / Math.max(1, this.count));
  }

  modifiedSec(i: number): number {
    const created = this.createdSec(i);
    const r = fieldRng(this.seed, i, stream.time);
    r();
    if (r() >= 0.35) return created;
    return created + Math.floor(r() * (this.anchorSec - created));
  }

  contactType(i: number): 'customer' | 'vendor' {
    return uniform(this.seed, i, stream.misc) < 0.15 ? 'vendor' : 'customer';
  }

  status(i: number): 'active' | 'inactive' {
    return uniform(this.seed, i, stream.misc + 100) < 0.1 ? 'inactive' : 'active';
  }

  tier(i: number): string | null {
    const u = uniform(this.seed, i, stream.custom);
    return u < 0.2 ? 'Gold' : u < 0.55 ? 'Silver' : u < 0.85 ? 'Bronze' : null;
  }

  industry(i: number): string | null {
    const u = uniform(this.seed, i, stream.custom + 100);
    return u < 0.8 ? pick(industries, u / 0.8) : null;
  }

  outstanding(i: number): number {
    const u = uniform(this.seed, i, stream.misc + 200);
    return u < 0.55 ? 0 : Math.round(((u - 0.55) / 0.45) * 500_000) / 100;
  }

  formatTime(sec: number): string {
    return formatZohoTime(sec * 1000, this.ctx.offsetMinutes);
  }

  phones(i: number): { phone: string; mobile: string } {
    const country = this.country(i);
    const r = fieldRng(this.seed, i, stream.phone);
    return { phone: fillPattern(country.phone, r), mobile: fillPattern(country.mobile, r) };
  }

  /** Billing and shipping addresses: seven in ten ship to the billing address. */
  addresses(i: number): { billing: SandboxAddress; shipping: SandboxAddress } {
    const country = this.country(i);
    const a = fieldRng(this.seed, i, stream.address);
    const place = pick(country.places, a());
    const billing: SandboxAddress = {
      attention: this.personName(i),
      address: `${1 + Math.floor(a() * 250)} ${pick(country.streets, a())}`,
      street2: a() < 0.3 ? `Suite ${1 + Math.floor(a() * 900)}` : '',
      state_code: place.state_code,
      city: place.city,
      state: place.state,
      zip: fillPattern(place.zip, a),
      country: country.name,
      fax: '',
      phone: this.phones(i).phone,
    };
    if (a() < 0.7) return { billing, shipping: { ...billing } };
    const other = pick(country.places, a());
    const shipping: SandboxAddress = {
      ...billing,
      address: `${1 + Math.floor(a() * 250)} ${pick(country.streets, a())}`,
      street2: '',
      city: other.city,
      state: other.state,
      state_code: other.state_code,
      zip: fillPattern(other.zip, a),
    };
    return { billing, shipping };
  }

  notes(i: number): string {
    const u = uniform(this.seed, i, stream.notes);
    return u < 0.25 ? pick(notes, u / 0.25) : '';
  }

  private customFields(i: number): SandboxCustomField[] {
    const fields: SandboxCustomField[] = [];
    const tier = this.tier(i);
    const industry = this.industry(i);
    if (tier) fields.push({ customfield_id: this.ctx.tierFieldId, index: 1, label: 'Customer Tier', value: tier, api_name: 'cf_customer_tier', data_type: 'dropdown' });
    if (industry) fields.push({ customfield_id: this.ctx.industryFieldId, index: 2, label: 'Industry', value: industry, api_name: 'cf_industry', data_type: 'string' });
    return fields;
  }

  private persons(i: number, email: string | undefined, phones: { phone: string; mobile: string }): SandboxContactPerson[] {
    const country = this.country(i);
    const p = this.person(i);
    const business = this.isBusiness(i);
    const m = fieldRng(this.seed, i, stream.persons);
    const personId = (k: number) => String(this.ctx.idBase + 500_000_000_000 + i * 4 + k);
    const persons: SandboxContactPerson[] = [];
    // A contact whose email field is missing has no contact person at all.
    if (email !== undefined) {
      persons.push({
        contact_person_id: personId(0),
        salutation: p.salutation,
        first_name: p.first[0],
        last_name: p.last[0],
        email,
        phone: phones.phone,
        mobile: phones.mobile,
        designation: business ? pick(designations, m()) : '',
        department: business ? pick(departments, m()) : '',
        is_primary_contact: true,
      });
    }
    if (business && m() < 0.3) {
      const other = pick(country.first, m());
      const otherLast = pick(country.last, m());
      persons.push({
        contact_person_id: personId(1),
        salutation: '',
        first_name: other[0],
        last_name: otherLast[0],
        email: `${other[1]}.${slug(otherLast[1])}${i}@${this.companyDomain(i)}`,
        phone: '',
        mobile: '',
        designation: pick(designations, m()),
        department: pick(departments, m()),
        is_primary_contact: false,
      });
    }
    return persons;
  }

  /** The full contact (the single-contact reply's shape). */
  contact(i: number): SandboxContact {
    const p = this.person(i);
    const email = this.email(i);
    const business = this.isBusiness(i);
    const phones = this.phones(i);
    const { billing, shipping } = this.addresses(i);
    const w = uniform(this.seed, i, stream.web);
    return {
      contact_id: this.contactId(i),
      contact_name: this.contactName(i),
      company_name: this.companyName(i),
      contact_type: this.contactType(i),
      customer_sub_type: business ? 'business' : 'individual',
      status: this.status(i),
      first_name: p.first[0],
      last_name: p.last[0],
      ...(email !== undefined ? { email } : {}),
      phone: phones.phone,
      mobile: phones.mobile,
      website: business && w < 0.5 ? `https://www.${this.companyDomain(i)}` : '',
      currency_code: this.country(i).currency,
      language_code: this.country(i).language,
      outstanding_receivable_amount: this.outstanding(i),
      portal_status: w >= 0.5 && w < 0.6 ? 'enabled' : 'disabled',
      notes: this.notes(i),
      custom_fields: this.customFields(i),
      billing_address: billing,
      shipping_address: shipping,
      contact_persons: this.persons(i, email, phones),
      created_time: this.formatTime(this.createdSec(i)),
      last_modified_time: this.formatTime(this.modifiedSec(i)),
    };
  }
}

export interface GeneratedComposition {
  total: number;
  /** Contacts per email category; together they make `total`. */
  emails: Record<EmailCategory, number>;
  /** Distinct addresses after trimming and lower-casing, among valid, role and duplicate contacts. */
  distinctValidAddresses: number;
  byType: Record<'customer' | 'vendor', number>;
  byStatus: Record<'active' | 'inactive', number>;
  byCountry: Record<string, number>;
  byTier: Record<string, number>;
}

/**
 * What a generated organization holds, counted from the generator's own decisions. Tests compare
 * ListSync's outcomes with it (and with their own classification of the served data), so no test
 * needs a magic number.
 */
export function describeGenerated(generator: ContactGenerator): GeneratedComposition {
  const emails: Record<EmailCategory, number> = { valid: 0, role: 0, invalid: 0, empty: 0, 'case-duplicate': 0 };
  const byType = { customer: 0, vendor: 0 };
  const byStatus = { active: 0, inactive: 0 };
  const byCountry: Record<string, number> = {};
  const byTier: Record<string, number> = {};
  for (let i = 0; i < generator.count; i += 1) {
    emails[generator.category(i)] += 1;
    byType[generator.contactType(i)] += 1;
    byStatus[generator.status(i)] += 1;
    const country = generator.country(i).name;
    byCountry[country] = (byCountry[country] ?? 0) + 1;
    const tier = generator.tier(i) ?? '(none)';
    byTier[tier] = (byTier[tier] ?? 0) + 1;
  }
  return { total: generator.count, emails, distinctValidAddresses: emails.valid + emails.role, byType, byStatus, byCountry, byTier };
}

/** A stable 32-bit seed from any text or number (for seeds given on a command line). */
export function seedFrom(value: number | string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value >>> 0;
  let h = 0;
  for (const ch of String(value)) h = hash32(h, ch.codePointAt(0) ?? 0);
  return h;
}

export { tiers };

/*
 * Contacts as the sandbox holds and serves them: Zoho Invoice's detail shape with string IDs.
 * Explicit test contacts keep whatever they were given (including nulls and fields Zoho may add
 * later); only fields they leave out are filled with Zoho-like defaults.
 */

export interface SandboxAddress {
  address_id?: string | number;
  attention?: string | null;
  address?: string | null;
  street2?: string | null;
  state_code?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | number | null;
  country?: string | null;
  fax?: string | number | null;
  phone?: string | number | null;
}

export interface SandboxContactPerson {
  contact_person_id?: string | number;
  salutation?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | number | null;
  mobile?: string | number | null;
  designation?: string | null;
  department?: string | null;
  is_primary_contact?: boolean;
}

export interface SandboxCustomField {
  customfield_id?: string | number;
  index?: number;
  label?: string;
  value?: string | number | boolean | null;
  api_name?: string;
  data_type?: string;
}

/** What tests and the admin API may give for a contact: any subset of the detail shape. */
export interface SandboxContactInput {
  contact_id?: string | number;
  contact_name?: string | null;
  company_name?: string | null;
  contact_type?: string | null;
  customer_sub_type?: string | null;
  status?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | number | null;
  mobile?: string | number | null;
  website?: string | null;
  currency_code?: string | null;
  language_code?: string | null;
  outstanding_receivable_amount?: number | null;
  portal_status?: string | null;
  notes?: string | null;
  custom_fields?: SandboxCustomField[] | null;
  billing_address?: SandboxAddress | null;
  shipping_address?: SandboxAddress | null;
  contact_persons?: SandboxContactPerson[] | null;
  created_time?: string | null;
  last_modified_time?: string | null;
}

/** A contact held by the sandbox: the input shape with an ID and Zoho's usual fields filled in. */
export interface SandboxContact extends SandboxContactInput {
  contact_id: string;
  contact_name: string | null;
  contact_persons: SandboxContactPerson[];
  created_time: string | null;
  last_modified_time: string | null;
}

/** Present only in the single-contact reply. */
const detailOnlyKeys: ReadonlySet<string> = new Set(['billing_address', 'shipping_address', 'contact_persons', 'notes', 'addresses']);

const personFields = ['first_name', 'last_name', 'email'] as const;

function nonBlank(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function clonePersons(persons: readonly SandboxContactPerson[] | null | undefined): SandboxContactPerson[] {
  return Array.isArray(persons) ? persons.map((p) => ({ ...p })) : [];
}

export interface BuildContext {
  contactId: string;
  personId: string;
  now: string;
  currencyCode: string;
}

/**
 * A stored contact from test input. The contact's email, first and last name are those of its
 * primary contact person (as in Zoho): whichever side is given fills the other.
 */
export function buildContact(input: SandboxContactInput, ctx: BuildContext): SandboxContact {
  const persons = clonePersons(input.contact_persons);
  let primary = persons.find((p) => p.is_primary_contact);
  const c: SandboxContact = {
    company_name: '',
    contact_type: 'customer',
    customer_sub_type: nonBlank(input.company_name) ? 'business' : 'individual',
    status: 'active',
    first_name: primary?.first_name ?? '',
    last_name: primary?.last_name ?? '',
    ...(primary?.email !== undefined ? { email: primary.email } : {}),
    phone: '',
    mobile: '',
    website: '',
    currency_code: ctx.currencyCode,
    language_code: 'en',
    outstanding_receivable_amount: 0,
    portal_status: 'disabled',
    notes: '',
    custom_fields: [],
    billing_address: {},
    shipping_address: {},
    created_time: input.created_time ?? ctx.now,
    ...structuredClone(input),
    contact_id: input.contact_id === undefined ? ctx.contactId : String(input.contact_id),
    contact_name: null,
    last_modified_time: input.last_modified_time ?? input.created_time ?? ctx.now,
    contact_persons: persons,
  };
  c.contact_name =
    input.contact_name !== undefined
      ? input.contact_name
      : nonBlank(c.company_name) ? (c.company_name as string) : `${c.first_name ?? ''} ${c.last_name ?? ''}`.trim();
  if (primary) {
    for (const f of personFields) if (f in input) primary[f] = input[f] ?? '';
  } else if (nonBlank(c.first_name) || nonBlank(c.last_name) || 'email' in c) {
    primary = {
      contact_person_id: ctx.personId,
      salutation: '',
      first_name: c.first_name ?? '',
      last_name: c.last_name ?? '',
      email: c.email ?? '',
      phone: c.phone ?? '',
      mobile: c.mobile ?? '',
      designation: '',
      department: '',
      is_primary_contact: true,
    };
    persons.unshift(primary);
  }
  return c;
}

/** The contact after an edit in Zoho: primary person kept in step, last_modified_time bumped. */
export function patchContact(current: SandboxContact, patch: SandboxContactInput, now: string): SandboxContact {
  const next: SandboxContact = {
    ...structuredClone(current),
    ...structuredClone(patch),
    contact_id: current.contact_id,
    contact_persons: clonePersons(patch.contact_persons ?? current.contact_persons),
    contact_name: current.contact_name,
    created_time: current.created_time,
    last_modified_time: patch.last_modified_time ?? now,
  };
  if (patch.created_time !== undefined) next.created_time = patch.created_time;
  const primary = next.contact_persons.find((p) => p.is_primary_contact);
  if (patch.contact_persons && primary) {
    for (const f of personFields) if (!(f in patch) && primary[f] !== undefined) next[f] = primary[f];
  } else if (primary) {
    for (const f of personFields) if (f in patch) primary[f] = patch[f] ?? '';
  }
  const oldPersonName = `${current.first_name ?? ''} ${current.last_name ?? ''}`.trim();
  if (patch.contact_name !== undefined) next.contact_name = patch.contact_name;
  else if (current.contact_name === oldPersonName && !nonBlank(next.company_name)) {
    // An individual's display name follows their name, as in Zoho.
    next.contact_name = `${next.first_name ?? ''} ${next.last_name ?? ''}`.trim();
  }
  return next;
}

/** Zoho's list rows also carry each custom field as a top-level `cf_*` key. */
function withCustomKeys(out: Record<string, unknown>, c: SandboxContact): void {
  if (out.customer_name === undefined) out.customer_name = c.contact_name;
  for (const f of c.custom_fields ?? []) {
    if (f.api_name && !(f.api_name in out)) out[f.api_name] = f.value ?? '';
  }
}

const idKeys: ReadonlySet<string> = new Set(['contact_id', 'contact_person_id', 'customfield_id', 'address_id', 'currency_id', 'zip']);

/** Doc-example style: IDs and zip codes as JSON numbers where they are all digits. */
function numbersForIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(numbersForIds);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = idKeys.has(k) && typeof v === 'string' && /^[1-9]\d{0,14}$/.test(v) ? Number(v) : numbersForIds(v);
  }
  return out;
}

export function toSummary(c: SandboxContact, numericIds: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!detailOnlyKeys.has(k)) out[k] = v;
  withCustomKeys(out, c);
  return numericIds ? (numbersForIds(out) as Record<string, unknown>) : out;
}

export function toDetail(c: SandboxContact, numericIds: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  withCustomKeys(out, c);
  return numericIds ? (numbersForIds(out) as Record<string, unknown>) : out;
}

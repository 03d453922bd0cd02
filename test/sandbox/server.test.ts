/*
 * The Invoice sandbox speaks the Zoho Invoice API (as described in
 * shared/reference/zoho-invoice-api.md): authentication, envelopes, paging, sorting, searches,
 * details, Zoho's error codes, and the admin endpoints and faults tests rely on. Checked with
 * plain HTTP, outside the client, to see exactly what goes over the wire.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_CONTACTS, DEMO_KEY, DEMO_LABS_CONTACTS, DEMO_LABS_ORG_ID, DEMO_ORG_ID, sortColumns, startSandbox,
  type GeneratedComposition, type Sandbox, type SandboxContactInput,
} from '../../main/core/sandbox';
import { toSummary } from '../../main/core/sandbox/contact';
import { roleLocalParts } from '../../main/core/sandbox/pools';
import { formatZohoTime, parseZohoTime } from '../../main/core/zoho';
import { admin, person, rawGet, type RawReply } from './support';

const GEN = '6100001'; // generated: 1 030 contacts, seed 3 (read only)
const HAND = '6100002'; // hand-written contacts for searches (read only)
const NUMERIC = '6100003'; // IDs and zips as JSON numbers
const EDIT = '6100004'; // hand-written, changed by the tests

type Row = Record<string, unknown>;

const hand: SandboxContactInput[] = [
  person(1, 'Asha Menon', 'Asha.Menon@Zylker.example', {
    contact_name: 'Lotus Pvt Ltd',
    company_name: 'Lotus Pvt Ltd',
    phone: '+91 80 1111 2222',
    mobile: '+91 98111 22222',
    notes: 'Prefers invoices by email.',
    outstanding_receivable_amount: 120.5,
    portal_status: 'enabled',
    billing_address: { attention: 'Asha Menon', address: '12 MG Road', city: 'Bengaluru', state: 'Karnataka', zip: '560001', country: 'India' },
    custom_fields: [{ customfield_id: '7001', index: 1, label: 'Customer Tier', value: 'Gold', api_name: 'cf_customer_tier', data_type: 'dropdown' }],
  }),
  person(2, 'Bob Stone', 'bob@bluestone.example', {
    status: 'inactive',
    billing_address: { city: 'Indianapolis', state: 'Indiana', country: 'United States' },
    shipping_address: { city: 'Chicago', state: 'Illinois', country: 'United States' },
  }),
  person(3, 'Carla Jones', 'carla@zylker.example', {
    contact_type: 'vendor',
    phone: '+44 20 7000 1234',
    shipping_address: { city: 'London', country: 'United Kingdom' },
  }),
  person(4, 'Dan Brown', undefined, { notes: 'Met at the trade fair in 2024.' }),
  person(5, 'Eve Adams', '  ', { outstanding_receivable_amount: 10 }),
];

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    organizations: [
      { organization_id: GEN, name: 'Generated Ltd', generate: { count: 1030, seed: 3 } },
      { organization_id: HAND, name: 'Hand Ltd', contacts: hand },
      {
        organization_id: NUMERIC,
        name: 'Numeric Ltd',
        numericIds: true,
        contacts: [person(9, 'Nina Number', 'nina@example.com', { billing_address: { zip: '94588', country: 'U.S.A' } })],
      },
      { organization_id: EDIT, name: 'Edit Ltd', contacts: [person(20, 'Edda Edit', 'edda@example.com')] },
    ],
  });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  sandbox.setFaults({});
  sandbox.setRateLimit(null);
  sandbox.resetStats();
});

afterEach(() => {
  sandbox.setFaults({});
  sandbox.setRateLimit(null);
  sandbox.setClock(null);
});

const contactsOf = (reply: RawReply) => (reply.json?.contacts ?? []) as Row[];
const contextOf = (reply: RawReply) => reply.json?.page_context as Row;
const names = (reply: RawReply) => contactsOf(reply).map((c) => c.contact_name);
const list = (org: string, query = '') => rawGet(sandbox, `/contacts?organization_id=${org}${query}`);

/** Every page of a listing, at 200 a page. */
async function listAll(s: Sandbox, org: string, query = ''): Promise<Row[]> {
  const out: Row[] = [];
  for (let page = 1; page < 100; page += 1) {
    const reply = await rawGet(s, `/contacts?organization_id=${org}&per_page=200&page=${page}${query}`);
    expect(reply.status).toBe(200);
    out.push(...contactsOf(reply));
    if (contextOf(reply).has_more_page !== true) return out;
  }
  throw new Error('has_more_page never ended');
}

describe('authentication', () => {
  it('accepts the key in the Zoho-oauthtoken header', async () => {
    for (const header of [`Zoho-oauthtoken ${sandbox.key}`, `zoho-oauthtoken ${sandbox.key}`, `Zoho-oauthtoken   ${sandbox.key}  `]) {
      const reply = await rawGet(sandbox, '/organizations', header);
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ code: 0, message: 'success' });
    }
  });

  it('a missing or wrong key is 401 with code 57; an unreadable header is 401 with code 14', async () => {
    const notAuthorized = { code: 57, message: 'You are not authorized to perform this operation' };
    const badToken = { code: 14, message: 'Invalid value passed for authtoken' };
    const cases: Array<[string | null, object]> = [
      [null, notAuthorized],
      ['', notAuthorized],
      ['Zoho-oauthtoken not-the-key', notAuthorized],
      [`Bearer ${sandbox.key}`, badToken],
      ['Zoho-oauthtoken', badToken],
      [`Zoho-oauthtoken ${sandbox.key} extra`, badToken],
    ];
    for (const [header, body] of cases) {
      for (const path of ['/organizations', `/contacts?organization_id=${HAND}`, `/contacts/900000001?organization_id=${HAND}`]) {
        const reply = await rawGet(sandbox, path, header);
        expect(reply.status, `${header} ${path}`).toBe(401);
        expect(reply.json).toEqual(body);
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
    // The key goes in the header only: a query parameter is not read.
    expect((await rawGet(sandbox, `/organizations?authtoken=${sandbox.key}`, null)).status).toBe(401);
  });

  it('regenerating the key refuses the old one at once, on the API and the admin endpoints', async () => {
    const old = sandbox.key;
    const fresh = sandbox.regenerateKey();
    expect(fresh).not.toBe(old);
    expect(sandbox.key).toBe(fresh);
    expect((await rawGet(sandbox, '/organizations', `Zoho-oauthtoken ${old}`)).json).toMatchObject({ code: 57 });
    expect((await admin(sandbox, '/stats', undefined, old)).status).toBe(401);
    expect((await rawGet(sandbox, '/organizations')).status).toBe(200);
    // Through the admin endpoint too.
    const reply = await admin(sandbox, '/key/regenerate', {});
    const newest = reply.json?.key as string;
    expect(newest).toMatch(/^demo-zsc-key-[0-9a-f]{24}$/);
    expect(sandbox.key).toBe(newest);
    expect((await rawGet(sandbox, '/organizations', `Zoho-oauthtoken ${fresh}`)).status).toBe(401);
  });
});

describe('organizations and the envelope', () => {
  it('GET /organizations lists the organizations in Zoho\'s shape', async () => {
    const reply = await rawGet(sandbox, '/organizations');
    expect(reply.json).toMatchObject({ code: 0, message: 'success' });
    const orgs = reply.json?.organizations as Row[];
    expect(orgs.map((o) => o.organization_id)).toEqual([GEN, HAND, Number(NUMERIC), EDIT]); // numericIds: a number
    expect(orgs[0]).toMatchObject({
      name: 'Generated Ltd', contact_name: expect.any(String), email: expect.any(String), is_default_org: true,
      currency_code: 'INR', time_zone: 'Asia/Kolkata',
    });
    expect(orgs.slice(1).every((o) => o.is_default_org === false)).toBe(true);
  });

  it('organization_id is required, and must be one the key reaches', async () => {
    for (const path of ['/contacts', '/contacts/900000001']) {
      const missing = await rawGet(sandbox, path);
      expect(missing.status).toBe(400);
      expect(missing.json).toEqual({ code: 6041, message: 'organization_id is required' });
      const unknown = await rawGet(sandbox, `${path}?organization_id=999`);
      expect(unknown.status).toBe(400);
      expect(unknown.json).toEqual({ code: 2, message: 'Invalid value passed for organization_id' });
    }
  });

  it('unknown URLs are 404 code 5; only GET is served', async () => {
    expect(await rawGet(sandbox, `/invoices?organization_id=${HAND}`)).toMatchObject({ status: 404, json: { code: 5, message: 'Invalid URL Passed' } });
    const origin = new URL(sandbox.apiRoot).origin;
    expect((await fetch(`${origin}/api/v1/contacts`, { headers: { authorization: `Zoho-oauthtoken ${sandbox.key}` } })).status).toBe(404);
    const post = await fetch(`${sandbox.apiRoot}/contacts?organization_id=${HAND}`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${sandbox.key}` } });
    expect(post.status).toBe(405);
  });
});

describe('contact lists', () => {
  it('pages with has_more_page and page_context until the end', async () => {
    const sizes: number[] = [];
    const more: boolean[] = [];
    const seen = new Set<unknown>();
    for (let page = 1; page <= 6; page += 1) {
      const reply = await list(GEN, `&page=${page}&per_page=200`);
      expect(reply.json).toMatchObject({ code: 0, message: 'success' });
      expect(contextOf(reply)).toMatchObject({
        page, per_page: 200, report_name: 'Contacts', applied_filter: 'Status.All', sort_column: 'contact_name', sort_order: 'A',
      });
      sizes.push(contactsOf(reply).length);
      more.push(contextOf(reply).has_more_page as boolean);
      for (const c of contactsOf(reply)) seen.add(c.contact_id);
    }
    expect(sizes).toEqual([200, 200, 200, 200, 200, 30]);
    expect(more).toEqual([true, true, true, true, true, false]);
    expect(seen.size).toBe(1030);
    const past = await list(GEN, '&page=7');
    expect(contactsOf(past)).toEqual([]);
    expect(contextOf(past).has_more_page).toBe(false);
  });

  it('per_page: default 200, at most 200, at least 1; bad page numbers are refused', async () => {
    const sizeOf = async (query: string) => {
      const reply = await list(GEN, query);
      return [contactsOf(reply).length, contextOf(reply).per_page];
    };
    expect(await sizeOf('')).toEqual([200, 200]);
    expect(await sizeOf('&per_page=1')).toEqual([1, 1]);
    expect(await sizeOf('&per_page=37')).toEqual([37, 37]);
    expect(await sizeOf('&per_page=201')).toEqual([200, 200]);
    expect(await sizeOf('&per_page=5000')).toEqual([200, 200]);
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      expect(await list(GEN, `&per_page=${bad}`)).toMatchObject({ status: 400, json: { code: 2, message: 'Invalid value passed for per_page' } });
      expect(await list(GEN, `&page=${bad}`)).toMatchObject({ status: 400, json: { code: 2, message: 'Invalid value passed for page' } });
    }
    // Smaller pages are slices of the same order.
    const big = contactsOf(await list(GEN, '&per_page=200&page=2')).map((c) => c.contact_id);
    const small = contactsOf(await list(GEN, '&per_page=100&page=4')).map((c) => c.contact_id);
    expect(small).toEqual(big.slice(100));
  });

  it('sorts on every documented column, both ways', async () => {
    const key = (c: Row, column: string): number | string => {
      const v = c[column];
      if (column === 'created_time' || column === 'last_modified_time') return parseZohoTime(v as string);
      if (column === 'outstanding_receivable_amount') return Number(v) || 0;
      return typeof v === 'string' ? v.toLowerCase().trim() : '';
    };
    for (const column of sortColumns) {
      const asc = await listAll(sandbox, GEN, `&sort_column=${column}&sort_order=A`);
      const desc = await listAll(sandbox, GEN, `&sort_column=${column}&sort_order=D`);
      expect(asc).toHaveLength(1030);
      const keys = asc.map((c) => key(c, column));
      expect(keys.every((k, i) => i === 0 || (keys[i - 1] as number | string) <= k), column).toBe(true);
      expect(desc.map((c) => c.contact_id)).toEqual(asc.map((c) => c.contact_id).reverse());
    }
    // The default is contact_name ascending.
    expect(names(await list(HAND))).toEqual(['Bob Stone', 'Carla Jones', 'Dan Brown', 'Eve Adams', 'Lotus Pvt Ltd']);
    expect(names(await list(HAND, '&sort_column=contact_name&sort_order=D'))).toEqual(['Lotus Pvt Ltd', 'Eve Adams', 'Dan Brown', 'Carla Jones', 'Bob Stone']);
    expect(await list(HAND, '&sort_column=website')).toMatchObject({ status: 400, json: { code: 2, message: 'Invalid value passed for sort_column' } });
    expect(await list(HAND, '&sort_order=X')).toMatchObject({ status: 400, json: { code: 2, message: 'Invalid value passed for sort_order' } });
  });

  it.each([
    ['&contact_name=bob%20stone', ['Bob Stone']],
    ['&contact_name_startswith=C', ['Carla Jones']],
    ['&contact_name_contains=o', ['Bob Stone', 'Carla Jones', 'Dan Brown', 'Lotus Pvt Ltd']],
    ['&company_name_contains=lotus', ['Lotus Pvt Ltd']],
    ['&first_name=dan', ['Dan Brown']],
    ['&last_name_startswith=ST', ['Bob Stone']],
    ['&email=bob@bluestone.example', ['Bob Stone']],
    ['&email_contains=ZYLKER', ['Carla Jones', 'Lotus Pvt Ltd']],
    ['&email_startswith=asha', ['Lotus Pvt Ltd']],
    ['&phone_contains=98111', ['Lotus Pvt Ltd']], // the mobile number counts as a phone
    ['&phone_startswith=%2B44', ['Carla Jones']],
    ['&address_contains=india', ['Bob Stone', 'Lotus Pvt Ltd']], // Indiana contains "india"
    ['&address_contains=London', ['Carla Jones']], // shipping address
    ['&address=chicago', ['Bob Stone']],
    ['&search_text=trade%20fair', ['Dan Brown']], // notes
    ['&search_text=lotus', ['Lotus Pvt Ltd']], // name
    ['&filter_by=Status.Inactive', ['Bob Stone']],
    ['&filter_by=Status.Active', ['Carla Jones', 'Dan Brown', 'Eve Adams', 'Lotus Pvt Ltd']],
    ['&filter_by=Status.PortalEnabled', ['Lotus Pvt Ltd']],
    ['&filter_by=Invoice.Unpaid', ['Eve Adams', 'Lotus Pvt Ltd']],
    ['&filter_by=Status.Duplicate', []],
    ['&contact_type=vendor', ['Carla Jones']],
    ['&contact_type=customer&email_contains=zylker', ['Lotus Pvt Ltd']], // searches combine with AND
    ['&foo=bar&modified_since=2030-01-01', ['Bob Stone', 'Carla Jones', 'Dan Brown', 'Eve Adams', 'Lotus Pvt Ltd']], // unknown parameters are ignored
  ])('searches: %s', async (query, expected) => {
    const reply = await list(HAND, query);
    expect(reply.status).toBe(200);
    expect(names(reply)).toEqual(expected);
  });

  it('reports the search in page_context, and refuses unknown filter values', async () => {
    const reply = await list(HAND, '&email_contains=zylker&filter_by=Status.Active');
    expect(contextOf(reply)).toMatchObject({
      applied_filter: 'Status.Active',
      search_criteria: [{ column_name: 'email', search_text: 'zylker', comparator: 'contains' }],
    });
    expect(await list(HAND, '&filter_by=Status.Whatever')).toMatchObject({ status: 400, json: { code: 2, message: 'Invalid value passed for filter_by' } });
    expect(await list(HAND, '&contact_type=partner')).toMatchObject({ status: 400, json: { code: 2, message: 'Invalid value passed for contact_type' } });
  });

  it('a list row is a summary: no addresses, persons or notes; custom fields also as cf_* keys', async () => {
    const [row] = contactsOf(await list(HAND, '&company_name=Lotus%20Pvt%20Ltd'));
    expect(row).toMatchObject({
      contact_id: '900000001', contact_name: 'Lotus Pvt Ltd', customer_name: 'Lotus Pvt Ltd', company_name: 'Lotus Pvt Ltd',
      contact_type: 'customer', status: 'active', first_name: 'Asha', last_name: 'Menon', email: 'Asha.Menon@Zylker.example',
      currency_code: 'INR', cf_customer_tier: 'Gold',
      custom_fields: [{ customfield_id: '7001', index: 1, label: 'Customer Tier', value: 'Gold', api_name: 'cf_customer_tier' }],
      created_time: formatZohoTime(Date.UTC(2025, 0, 1, 0, 1), 330),
      last_modified_time: '2025-01-01T05:31:00+0530',
    });
    for (const detailOnly of ['billing_address', 'shipping_address', 'contact_persons', 'notes']) expect(row).not.toHaveProperty(detailOnly);
  });
});

describe('one contact', () => {
  it('GET /contacts/{id} gives the detail: addresses, persons, notes', async () => {
    const reply = await rawGet(sandbox, `/contacts/900000001?organization_id=${HAND}`);
    expect(reply.json).toMatchObject({ code: 0, message: 'success' });
    const contact = reply.json?.contact as Row;
    expect(contact).toMatchObject({
      contact_id: '900000001',
      notes: 'Prefers invoices by email.',
      billing_address: { attention: 'Asha Menon', address: '12 MG Road', city: 'Bengaluru', zip: '560001', country: 'India' },
      custom_fields: [{ api_name: 'cf_customer_tier', value: 'Gold' }],
    });
    // The contact's email and names are its primary contact person's.
    expect(contact.contact_persons).toEqual([expect.objectContaining({ first_name: 'Asha', last_name: 'Menon', email: 'Asha.Menon@Zylker.example', is_primary_contact: true })]);
  });

  it('an unknown contact is 404 code 1002', async () => {
    expect(await rawGet(sandbox, `/contacts/123?organization_id=${HAND}`)).toMatchObject({ status: 404, json: { code: 1002, message: 'Contact does not exist.' } });
  });

  it('a generated contact\'s detail has both addresses and its persons', async () => {
    const [first] = contactsOf(await list(GEN, '&per_page=1'));
    const contact = (await rawGet(sandbox, `/contacts/${first?.contact_id}?organization_id=${GEN}`)).json?.contact as Row;
    expect(contact.contact_id).toBe(first?.contact_id);
    expect(contact.billing_address).toMatchObject({ country: expect.any(String), city: expect.any(String) });
    expect(contact.shipping_address).toMatchObject({ country: expect.any(String) });
    expect(Array.isArray(contact.contact_persons)).toBe(true);
    expect(String(contact.last_modified_time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
  });

  it('numericIds serves IDs and zips as JSON numbers, like Zoho\'s doc examples', async () => {
    const orgs = (await rawGet(sandbox, '/organizations')).json?.organizations as Row[];
    expect(orgs.find((o) => String(o.organization_id) === NUMERIC)?.organization_id).toBe(Number(NUMERIC));
    const [row] = contactsOf(await list(NUMERIC));
    expect(row?.contact_id).toBe(900000009);
    const detail = (await rawGet(sandbox, `/contacts/900000009?organization_id=${NUMERIC}`)).json?.contact as Row;
    expect(detail.contact_id).toBe(900000009);
    expect((detail.billing_address as Row).zip).toBe(94588);
  });
});

describe('generated organizations', () => {
  it('are deterministic: the same seed gives the same contacts, another seed others', async () => {
    const spec = (seed: number) => ({ organizations: [{ organization_id: '42', name: 'Seeded', generate: { count: 300, seed } }] });
    const [a, b, c] = await Promise.all([startSandbox(spec(42)), startSandbox(spec(42)), startSandbox(spec(43))]);
    try {
      const [la, lb, lc] = await Promise.all([listAll(a, '42'), listAll(b, '42'), listAll(c, '42')]);
      expect(la).toHaveLength(300);
      expect(lb).toEqual(la);
      expect(lc.map((x) => x.email)).not.toEqual(la.map((x) => x.email));
      for (const row of la.slice(0, 20)) {
        const path = `/contacts/${row.contact_id}?organization_id=42`;
        const [da, db] = await Promise.all([rawGet(a, path), rawGet(b, path)]);
        expect(db.text).toBe(da.text);
      }
      expect(b.composition('42')).toEqual(a.composition('42'));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('the default demo: its key, two organizations, the documented sizes, the same data every start', async () => {
    const [a, b] = await Promise.all([startSandbox(), startSandbox()]);
    try {
      expect(a.key).toBe(DEMO_KEY);
      expect(a.organizations).toEqual([DEMO_ORG_ID, DEMO_LABS_ORG_ID]);
      expect(a.contactCount(DEMO_ORG_ID)).toBe(DEMO_CONTACTS);
      expect(a.contactCount(DEMO_LABS_ORG_ID)).toBe(DEMO_LABS_CONTACTS);
      expect(a.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invoice\/v3$/);
      const page = `/contacts?organization_id=${DEMO_ORG_ID}&sort_column=created_time&page=3`;
      expect((await rawGet(b, page)).text).toBe((await rawGet(a, page)).text);
      expect(contactsOf(await rawGet(a, `/contacts?organization_id=${DEMO_LABS_ORG_ID}`))).toHaveLength(DEMO_LABS_CONTACTS);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the served data matches the composition the generator describes', async () => {
    const composition = sandbox.composition(GEN) as GeneratedComposition;
    expect((await admin(sandbox, `/organizations/${GEN}/composition`)).json?.composition).toEqual(composition);
    expect(sandbox.composition(HAND)).toBeNull();

    const rows = await listAll(sandbox, GEN, '&sort_column=created_time');
    const count = <K extends string>(keys: K[]) => keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
    expect(composition.total).toBe(1030);
    expect(rows).toHaveLength(composition.total);
    expect(Object.values(composition.emails).reduce((s, n) => s + n, 0)).toBe(composition.total);
    expect(count(rows.map((r) => String(r.contact_type)))).toEqual(composition.byType);
    expect(count(rows.map((r) => String(r.status)))).toEqual(composition.byStatus);
    const tierOf = (r: Row) => ((r.custom_fields as Row[]).find((f) => f.label === 'Customer Tier')?.value as string | undefined) ?? '(none)';
    expect(count(rows.map(tierOf))).toEqual(composition.byTier);
    const countryOf = (r: Row) => String(sandbox.getContact(GEN, String(r.contact_id))?.billing_address?.country);
    expect(count(rows.map(countryOf))).toEqual(composition.byCountry);

    // Emails, classified from the served data.
    const emails = rows.map((r) => (typeof r.email === 'string' ? r.email : undefined));
    expect(emails.filter((e) => e === undefined || e.trim() === '').length).toBe(composition.emails.empty);
    const roles: readonly string[] = roleLocalParts;
    const isRole = (e: string) => e.split('@').length === 2 && roles.includes((e.split('@')[0] as string).toLowerCase());
    expect(emails.filter((e) => e !== undefined && isRole(e)).length).toBe(composition.emails.role);
    const firstSpelling = new Map<string, string>();
    let caseDuplicates = 0;
    for (const e of emails) {
      if (e === undefined || e.trim() === '') continue;
      const lower = e.trim().toLowerCase();
      const first = firstSpelling.get(lower);
      if (first === undefined) firstSpelling.set(lower, e);
      else if (first !== e) caseDuplicates += 1;
    }
    expect(caseDuplicates).toBe(composition.emails['case-duplicate']);
    for (const kind of ['role', 'invalid', 'empty', 'case-duplicate'] as const) expect(composition.emails[kind], kind).toBeGreaterThan(0);
  });
});

describe('changes to contacts', () => {
  it('added, updated and deleted contacts show in lists and details; updates bump last_modified_time', async () => {
    sandbox.setClock(() => new Date(Date.UTC(2027, 2, 1, 10, 0, 0)));
    const added = sandbox.addContact(EDIT, { first_name: 'Finn', last_name: 'Fresh', email: 'finn@example.com' });
    expect(added).toMatchObject({ contact_name: 'Finn Fresh', created_time: '2027-03-01T15:30:00+0530', last_modified_time: '2027-03-01T15:30:00+0530' });
    expect(added.contact_persons[0]).toMatchObject({ email: 'finn@example.com', is_primary_contact: true });
    expect(names(await list(EDIT))).toEqual(['Edda Edit', 'Finn Fresh']);

    sandbox.setClock(() => new Date(Date.UTC(2027, 2, 2, 10, 0, 0)));
    const edda = '900000020';
    const updated = sandbox.updateContact(EDIT, edda, { email: 'edda@new.example', last_name: 'Edited' });
    expect(updated).toMatchObject({ contact_name: 'Edda Edited', last_modified_time: '2027-03-02T15:30:00+0530', created_time: person(20, 'x', '').created_time });
    expect(updated.contact_persons[0]).toMatchObject({ email: 'edda@new.example', last_name: 'Edited' });
    const newest = contactsOf(await list(EDIT, '&sort_column=last_modified_time&sort_order=D'));
    expect(newest.map((c) => [c.contact_id, c.email])).toEqual([[edda, 'edda@new.example'], [added.contact_id, 'finn@example.com']]);

    sandbox.deleteContact(EDIT, added.contact_id);
    expect(names(await list(EDIT))).toEqual(['Edda Edited']);
    expect((await rawGet(sandbox, `/contacts/${added.contact_id}?organization_id=${EDIT}`)).status).toBe(404);
    expect(sandbox.contactCount(EDIT)).toBe(1);
    expect(() => sandbox.updateContact(EDIT, added.contact_id, {})).toThrow(/No contact/);
    expect(() => sandbox.addContact(EDIT, { contact_id: edda })).toThrow(/already exists/);
  });
});

describe('serialized pages', () => {
  /** What a page's reply must be, byte for byte: JSON.stringify of the envelope, each contact summarized afresh. */
  const expectedText = (s: Sandbox, org: string, reply: RawReply, numeric: boolean) =>
    JSON.stringify({
      code: 0,
      message: 'success',
      contacts: contactsOf(reply).map((c) => toSummary(s.getContact(org, String(c.contact_id))!, numeric)),
      page_context: contextOf(reply),
    });

  it('a page built from cached contacts is exactly JSON.stringify of the reply, after edits and deletions too', async () => {
    for (const [org, numeric] of [[GEN, false], [HAND, false], [NUMERIC, true]] as const) {
      for (const query of ['', '&page=2&per_page=50&sort_column=email&sort_order=D', '&email_contains=a']) {
        const first = await list(org, query);
        // Served twice: the second reply comes from the cache.
        const again = await list(org, query);
        expect(again.text).toBe(first.text);
        expect(first.text).toBe(expectedText(sandbox, org, first, numeric));
      }
    }
    sandbox.setClock(() => new Date(Date.UTC(2027, 5, 1)));
    const before = await list(EDIT);
    const target = String(contactsOf(before)[0]!.contact_id);
    sandbox.updateContact(EDIT, target, { first_name: 'Zoë', notes: 'ünïcode' });
    const after = await list(EDIT);
    expect(contactsOf(after).find((c) => c.contact_id === target)).toMatchObject({ first_name: 'Zoë' });
    expect(after.text).toBe(expectedText(sandbox, EDIT, after, false));
  });

  it('past the cache size each contact is serialized per request, with the same bytes', async () => {
    const small = await startSandbox({ organizations: [{ organization_id: GEN, generate: { count: 1030, seed: 3 } }], summaryCacheBytes: 20_000 });
    try {
      const pages = await listAll(small, GEN);
      const all = await listAll(sandbox, GEN);
      expect(pages).toEqual(all);
      const reply = await rawGet(small, `/contacts?organization_id=${GEN}&page=3`);
      expect(reply.text).toBe(expectedText(small, GEN, reply, false));
    } finally {
      await small.close();
    }
  });
});

describe('admin endpoints under /__sandbox', () => {
  it('need the current key, are never counted, faulted or rate limited', async () => {
    sandbox.setFaults({ truncateNext: 1, serverErrors: { count: 1 } });
    sandbox.setRateLimit({ requests: 1, windowMs: 60_000 });
    expect(await admin(sandbox, '', undefined, 'wrong')).toMatchObject({ status: 401, json: { code: 57 } });
    for (let i = 0; i < 3; i += 1) {
      const reply = await admin(sandbox, '');
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({
        code: 0,
        api_root: sandbox.apiRoot,
        organizations: [
          { organization_id: GEN, name: 'Generated Ltd', contacts: 1030 },
          { organization_id: HAND, name: 'Hand Ltd', contacts: 5 },
          { organization_id: NUMERIC, name: 'Numeric Ltd', contacts: 1 },
          { organization_id: EDIT, name: 'Edit Ltd', contacts: sandbox.contactCount(EDIT) },
        ],
      });
    }
    expect((await admin(sandbox, '/stats')).json?.stats).toMatchObject({ requests: 0 });
    expect(sandbox.faults()).toMatchObject({ truncateNext: 1, serverErrors: { count: 1 } });
    expect(await admin(sandbox, '/nothing-here')).toMatchObject({ status: 404, json: { code: 5 } });
  });

  it('stats, faults, rate limit and clock can be driven over HTTP', async () => {
    await rawGet(sandbox, '/organizations');
    expect((await admin(sandbox, '/stats')).json?.stats).toMatchObject({ requests: 1, byEndpoint: { organizations: 1 } });
    expect((await admin(sandbox, '/stats/reset', {})).json).toEqual({ code: 0, message: 'success' });
    expect(sandbox.stats().requests).toBe(0);

    expect((await admin(sandbox, '/faults', { truncateNext: 2 })).json?.faults).toEqual({ truncateNext: 2 });
    expect((await admin(sandbox, '/faults')).json?.faults).toEqual({ truncateNext: 2 });
    expect(await admin(sandbox, '/faults', { truncateNext: -1 })).toMatchObject({ status: 400, json: { code: 2 } });
    expect(await admin(sandbox, '/faults', { noSuchFault: 1 })).toMatchObject({ status: 400, json: { code: 2 } });
    expect((await admin(sandbox, '/faults', {})).json?.faults).toEqual({});

    await admin(sandbox, '/rate-limit', { requests: 1, windowMs: 60_000 });
    expect((await list(HAND)).status).toBe(200);
    expect((await list(HAND)).status).toBe(429);
    await admin(sandbox, '/rate-limit', {});
    expect((await list(HAND)).status).toBe(200);
    expect(await admin(sandbox, '/rate-limit', { requests: 0, windowMs: 1 })).toMatchObject({ status: 400 });

    await admin(sandbox, '/clock', { now: '2028-06-01T00:00:00Z' });
    expect(sandbox.updateContact(EDIT, '900000020', { notes: 'clocked' }).last_modified_time).toBe('2028-06-01T05:30:00+0530');
    expect(await admin(sandbox, '/clock', { now: 'not a date' })).toMatchObject({ status: 400 });
    await admin(sandbox, '/clock', { now: null });
    const stamped = parseZohoTime(sandbox.updateContact(EDIT, '900000020', { notes: 'now' }).last_modified_time);
    expect(Math.abs(stamped - Date.now())).toBeLessThan(5000);
  });

  it('add, read, update and delete contacts over HTTP', async () => {
    const created = await admin(sandbox, `/organizations/${EDIT}/contacts`, { contact_name: 'Gus Admin', email: 'gus@example.com' });
    const id = (created.json?.contact as Row).contact_id as string;
    expect(names(await list(EDIT, '&email=gus@example.com'))).toEqual(['Gus Admin']);
    expect((await admin(sandbox, `/organizations/${EDIT}/contacts/${id}`)).json?.contact).toMatchObject({ contact_id: id, email: 'gus@example.com' });
    const updated = await admin(sandbox, `/organizations/${EDIT}/contacts/${id}`, { email: 'gus@new.example' });
    expect(updated.json?.contact).toMatchObject({ email: 'gus@new.example' });
    expect(names(await list(EDIT, '&email=gus@new.example'))).toEqual(['Gus Admin']);
    expect((await admin(sandbox, `/organizations/${EDIT}/contacts/${id}/delete`, {})).status).toBe(200);
    expect(await admin(sandbox, `/organizations/${EDIT}/contacts/${id}`)).toMatchObject({ status: 404, json: { code: 1002 } });
    expect(await admin(sandbox, `/organizations/${EDIT}/contacts/${id}/delete`, {})).toMatchObject({ status: 400, json: { code: 2 } });
    expect(await admin(sandbox, '/organizations/999/contacts', {})).toMatchObject({ status: 400, json: { code: 2 } });
  });
});

describe('faults', () => {
  /** A list request to HAND: status and whether the body is JSON. */
  const probe = async (query = '') => {
    const reply = await list(HAND, query);
    return { status: reply.status, json: reply.json !== null };
  };
  const ok = { status: 200, json: true };

  it('each counted fault fires on the next list request only, then clears itself', async () => {
    sandbox.setFaults({ rateLimitBurst: { count: 1 } });
    const limited = await list(HAND);
    expect(limited).toMatchObject({ status: 429, json: { code: 44 } });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await probe()).toEqual(ok);

    sandbox.setFaults({ rateLimitBurst: { count: 1, retryAfterSec: null } });
    expect((await list(HAND)).headers.get('retry-after')).toBeNull();
    expect(await probe()).toEqual(ok);

    sandbox.setFaults({ serverErrors: { count: 1 } });
    expect(await list(HAND)).toMatchObject({ status: 500, json: { code: 1 } });
    expect(await probe()).toEqual(ok);
    for (const status of [502, 503] as const) {
      sandbox.setFaults({ serverErrors: { count: 1, status } });
      const proxy = await list(HAND);
      expect(proxy.status).toBe(status);
      expect(proxy.headers.get('content-type')).toMatch(/^text\/html/);
      expect(proxy.json).toBeNull();
      expect(await probe()).toEqual(ok);
    }

    sandbox.setFaults({ truncateNext: 1 });
    const truncated = await list(HAND);
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeNull();
    expect(truncated.text.startsWith('{"code":0')).toBe(true);
    expect(await probe()).toEqual(ok);

    sandbox.setFaults({ resetConnectionNext: 1 });
    await expect(list(HAND)).rejects.toThrow();
    expect(await probe()).toEqual(ok);
    expect(sandbox.stats().byStatus.reset).toBe(1);

    expect(sandbox.faults()).toEqual({ resetConnectionNext: 0 });
  });

  it.each([
    ['email-number', (r: RawReply) => expect(contactsOf(r)[0]?.email).toBe(4155550123)],
    ['contacts-object', (r: RawReply) => expect(Array.isArray(r.json?.contacts)).toBe(false)],
    ['no-page-context', (r: RawReply) => expect(r.json).not.toHaveProperty('page_context')],
  ] as const)('wrongShape %s fires once', async (wrongShape, check) => {
    sandbox.setFaults({ wrongShapeNext: 1, wrongShape });
    check(await list(HAND));
    const next = await list(HAND);
    expect(Array.isArray(next.json?.contacts)).toBe(true);
    expect(contextOf(next)).toBeDefined();
    expect(sandbox.faults()).toMatchObject({ wrongShapeNext: 0 });
  });

  it('repeatPreviousPageNext serves the previous page\'s contacts as the next page, once', async () => {
    sandbox.setFaults({ repeatPreviousPageNext: 1 });
    const page1 = await list(GEN, '&page=1');
    const repeated = await list(GEN, '&page=2');
    expect(contextOf(repeated)).toMatchObject({ page: 2, has_more_page: true });
    expect(contactsOf(repeated)).toEqual(contactsOf(page1));
    const page2 = await list(GEN, '&page=2');
    expect(contactsOf(page2).map((c) => c.contact_id)).not.toEqual(contactsOf(page1).map((c) => c.contact_id));
    // The last page repeated still says there is more.
    sandbox.setFaults({ repeatPreviousPageNext: 1 });
    expect(contextOf(await list(HAND, '&page=2&per_page=3'))).toMatchObject({ has_more_page: true });
    expect(contextOf(await list(HAND, '&page=2&per_page=3'))).toMatchObject({ has_more_page: false });
  });

  it('endlessPaging and slowMs stay until cleared; slowNext limits the delay to N list requests', async () => {
    sandbox.setFaults({ endlessPaging: true });
    for (const page of [1, 2, 50]) expect(contextOf(await list(HAND, `&page=${page}`)).has_more_page).toBe(true);
    expect(contactsOf(await list(HAND, '&page=50'))).toEqual([]);
    sandbox.setFaults({});
    expect(contextOf(await list(HAND)).has_more_page).toBe(false);

    const timed = async (path: string) => {
      const started = performance.now();
      await rawGet(sandbox, path);
      return performance.now() - started;
    };
    // Lower bounds are exact (the delay is served); upper bounds leave room for a loaded machine.
    sandbox.setFaults({ slowMs: 400 });
    expect(await timed(`/contacts?organization_id=${HAND}`)).toBeGreaterThanOrEqual(390);
    expect(await timed('/organizations')).toBeGreaterThanOrEqual(390);
    expect(await timed(`/contacts?organization_id=${HAND}`)).toBeGreaterThanOrEqual(390);
    sandbox.setFaults({ slowMs: 400, slowNext: 1 });
    expect(await timed('/organizations')).toBeLessThan(300);
    expect(await timed(`/contacts?organization_id=${HAND}`)).toBeGreaterThanOrEqual(390);
    expect(await timed(`/contacts?organization_id=${HAND}`)).toBeLessThan(300);
  });

  it('counted faults hit only list requests, not details or organizations', async () => {
    sandbox.setFaults({ truncateNext: 1, serverErrors: { count: 1 }, rateLimitBurst: { count: 1 }, resetConnectionNext: 1, wrongShapeNext: 1 });
    expect((await rawGet(sandbox, '/organizations')).status).toBe(200);
    expect((await rawGet(sandbox, `/contacts/900000001?organization_id=${HAND}`)).json).toMatchObject({ code: 0 });
    expect(sandbox.faults()).toMatchObject({ truncateNext: 1, serverErrors: { count: 1 }, rateLimitBurst: { count: 1 }, resetConnectionNext: 1, wrongShapeNext: 1 });
  });

  it('faults given at start apply from the first request', async () => {
    const s = await startSandbox({ organizations: [{ organization_id: '1', contacts: [person(1, 'A B', 'a@example.com')] }], faults: { serverErrors: { count: 1, status: 503 } } });
    try {
      expect((await rawGet(s, '/contacts?organization_id=1')).status).toBe(503);
      expect((await rawGet(s, '/contacts?organization_id=1')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('rate limit', () => {
  it('limits requests per window per organization with 429 code 44 and Retry-After', async () => {
    sandbox.setRateLimit({ requests: 2, windowMs: 60_000 });
    expect((await list(HAND)).status).toBe(200);
    expect((await rawGet(sandbox, `/contacts/900000001?organization_id=${HAND}`)).status).toBe(200);
    const limited = await list(HAND);
    expect(limited).toMatchObject({ status: 429, json: { code: 44 } });
    expect(String(limited.json?.message)).toMatch(/per-minute limit/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect((await list(GEN, '&per_page=1')).status).toBe(200); // another organization has its own budget
    expect(sandbox.stats()).toMatchObject({ rateLimited: 1, byStatus: { 200: 3, 429: 1 } });
  });

  it('limits simultaneous requests per organization', async () => {
    sandbox.setRateLimit({ requests: 100, windowMs: 60_000, concurrent: 1 });
    sandbox.setFaults({ slowMs: 200 });
    const replies = await Promise.all([list(HAND), new Promise<RawReply>((r) => setTimeout(() => r(list(HAND)), 50))]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 429]);
    const refused = replies.find((r) => r.status === 429) as RawReply;
    expect(String(refused.json?.message)).toMatch(/simultaneous/);
    expect(refused.headers.get('retry-after')).toBe('1');
  });
});

describe('stats', () => {
  it('count API requests by status, endpoint and organization, with arrivals and concurrency', async () => {
    sandbox.setFaults({ slowMs: 100 });
    await Promise.all([list(HAND), list(HAND), list(GEN, '&per_page=1'), rawGet(sandbox, `/contacts/900000001?organization_id=${HAND}`)]);
    sandbox.setFaults({});
    await rawGet(sandbox, '/organizations');
    await rawGet(sandbox, '/organizations', 'Zoho-oauthtoken wrong');
    await rawGet(sandbox, `/contacts/1?organization_id=${HAND}`);
    await rawGet(sandbox, `/nowhere?organization_id=${HAND}`);
    const stats = sandbox.stats();
    expect(stats).toMatchObject({
      requests: 8,
      byStatus: { 200: 5, 401: 1, 404: 2 },
      byEndpoint: { organizations: 2, contacts: 3, contact: 2, other: 1 },
      inFlight: 0,
      rateLimited: 0,
    });
    expect(stats.byOrg[HAND]).toMatchObject({ requests: 5 });
    expect(stats.byOrg[HAND]?.maxConcurrent).toBeGreaterThanOrEqual(2);
    expect(stats.byOrg[GEN]).toMatchObject({ requests: 1, maxConcurrent: 1 });
    expect(stats.byOrg['*']).toMatchObject({ requests: 2 });
    expect(stats.maxConcurrent).toBeGreaterThanOrEqual(3);
    expect(stats.arrivals[HAND]).toHaveLength(5);
    sandbox.resetStats();
    expect(sandbox.stats()).toMatchObject({ requests: 0, byStatus: {}, byOrg: {}, arrivals: {}, maxConcurrent: 0 });
  });
});

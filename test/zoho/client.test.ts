/*
 * ZohoClient against a real sandbox on 127.0.0.1: paging, incremental reads, details, searches,
 * and every failure the sandbox can inject. Delays are made tiny (or recorded instead of slept)
 * so the tests assert request counts, never timings.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxInWindow, startSandbox, type Sandbox, type SandboxContactInput } from '../../main/core/sandbox';
import {
  ZohoApiError, ZohoClient, formatZohoTime, parseZohoTime, perPageMax, resetLimiters,
  type ContactsPage, type RequestInfo, type ZohoClientOptions,
} from '../../main/core/zoho';
import { capturingLogger, person } from '../sandbox/support';

const PAGED = '5100001'; // generated, 1 050 contacts: five full pages and one of 50 (read only)
const EXACT = '5100002'; // generated, 400 contacts: exactly two full pages (read only)
const CHANGES = '5100003'; // generated, 600 contacts, edited by the incremental-read tests
const HAND = '5100004'; // hand-written contacts with addresses, persons and custom fields
const NUMERIC = '5100005'; // IDs and zips as JSON numbers, as in Zoho's doc examples
const FAULTY = '5100006'; // 450 hand-written contacts (three pages) for fault injection

const faultyContacts = Array.from({ length: 450 }, (_, i) => person(i, `Fault Person${i}`, `fault${i}@example.com`));

const handContacts: SandboxContactInput[] = [
  person(1, 'Asha Menon', 'asha@zylker.example', {
    company_name: 'Lotus Pvt Ltd',
    phone: '+91 80 1234 5678',
    notes: 'Prefers email',
    billing_address: { attention: 'Asha Menon', address: '12 MG Road', street2: 'Suite 4', city: 'Bengaluru', state: 'Karnataka', state_code: 'KA', zip: '560001', country: 'India', fax: '', phone: '+91 80 1234 5678' },
    shipping_address: { address: '9 Anna Salai', city: 'Chennai', state: 'Tamil Nadu', zip: '600002', country: 'India' },
    custom_fields: [
      { customfield_id: '7001', index: 1, label: 'Customer Tier', value: 'Gold', api_name: 'cf_customer_tier', data_type: 'dropdown' },
      { customfield_id: '7002', index: 2, label: 'Industry', value: 'Retail', api_name: 'cf_industry', data_type: 'string' },
    ],
    contact_persons: [
      { contact_person_id: '8001', first_name: 'Asha', last_name: 'Menon', email: 'asha@zylker.example', is_primary_contact: true },
      { contact_person_id: '8002', first_name: 'Ravi', last_name: 'Menon', email: 'ravi@zylker.example', is_primary_contact: false },
    ],
  }),
  person(2, 'Bob Stone', 'bob@bluestone.example', {
    billing_address: { city: 'Indianapolis', state: 'Indiana', zip: '46204', country: 'United States' },
  }),
  person(3, 'Carla Jones', 'carla@zylker.example', {
    contact_type: 'vendor',
    billing_address: { city: 'London', country: 'United Kingdom', zip: 'EC1A 1AA' },
  }),
  person(4, 'Dan Brown', undefined, { billing_address: { city: 'Pune', country: 'India' } }),
];

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    organizations: [
      { organization_id: PAGED, name: 'Paged Ltd', generate: { count: 1050, seed: 7 } },
      { organization_id: EXACT, name: 'Exact Ltd', generate: { count: 400, seed: 9 } },
      { organization_id: CHANGES, name: 'Changes Ltd', generate: { count: 600, seed: 8 } },
      { organization_id: HAND, name: 'Hand Ltd', contacts: handContacts },
      {
        organization_id: NUMERIC,
        name: 'Numeric Ltd',
        numericIds: true,
        contacts: [person(5, 'Nina Number', 'nina@example.com', { billing_address: { zip: '94588', country: 'U.S.A' } })],
      },
      { organization_id: FAULTY, name: 'Faulty Ltd', contacts: faultyContacts },
    ],
  });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  resetLimiters(); // every test's first client sets its organization's limits
  sandbox.setFaults({});
  sandbox.setRateLimit(null);
  sandbox.resetStats();
});

afterEach(() => {
  sandbox.setFaults({});
  sandbox.setRateLimit(null);
  sandbox.setClock(null);
});

/** A client with fast retries and limits that never get in the way (unless a test says otherwise). */
function client(overrides: Partial<ZohoClientOptions> = {}): ZohoClient {
  return new ZohoClient({
    apiRoot: sandbox.apiRoot,
    token: sandbox.key,
    timeoutMs: 5000,
    maxRetries: 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    limits: { requests: 100_000, windowMs: 60_000, concurrent: 5 },
    ...overrides,
  });
}

/** Records the retry waits the client asks for and returns at once. */
function recordedSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

async function collect(pages: AsyncIterable<ContactsPage>): Promise<ContactsPage[]> {
  const out: ContactsPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function failureOf(promise: Promise<unknown>): Promise<ZohoApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ZohoApiError);
    return error as ZohoApiError;
  }
  throw new Error('expected the call to fail');
}

async function iterationFailure(pages: AsyncIterable<ContactsPage>, seen: ContactsPage[] = []): Promise<ZohoApiError> {
  return failureOf(
    (async () => {
      for await (const page of pages) seen.push(page);
    })(),
  );
}

const ids = (pages: ContactsPage[]) => pages.flatMap((p) => p.contacts.map((c) => c.contact_id));
const listRequests = () => sandbox.stats().byEndpoint.contacts;

describe('ZohoClient: reading', () => {
  it('lists the organizations the key reaches, IDs always as strings', async () => {
    const seen: RequestInfo[] = [];
    const orgs = await client({ onRequest: (info) => seen.push(info) }).listOrganizations();
    expect(orgs.map((o) => o.organization_id)).toEqual(sandbox.organizations);
    expect(orgs.map((o) => o.name)).toEqual(['Paged Ltd', 'Exact Ltd', 'Changes Ltd', 'Hand Ltd', 'Numeric Ltd', 'Faulty Ltd']);
    expect(orgs.find((o) => o.organization_id === NUMERIC)?.organization_id).toBe(NUMERIC); // served as a number
    expect(orgs[0]).toMatchObject({ is_default_org: true, currency_code: 'INR', time_zone: 'Asia/Kolkata' });
    expect(seen).toEqual([{ path: '/organizations', status: 200 }]);
    expect(sandbox.stats().byEndpoint.organizations).toBe(1);
  });

  it('pages at 200 until has_more_page is false: exact count, no duplicates, no request past the end', async () => {
    for (const prefetch of [0, 2, 5]) {
      sandbox.resetStats();
      const urls: URL[] = [];
      const c = client({ fetchImpl: (input, init) => (urls.push(new URL(String(input))), fetch(input, init)) });
      const pages = await collect(c.iterateContacts(PAGED, { prefetch }));
      expect(pages.map((p) => p.contacts.length)).toEqual([200, 200, 200, 200, 200, 50]);
      expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(pages.map((p) => p.hasMorePage)).toEqual([true, true, true, true, true, false]);
      const all = ids(pages);
      expect(new Set(all).size).toBe(1050);
      expect(all.every((id) => sandbox.getContact(PAGED, id) !== null)).toBe(true);
      expect(listRequests()).toBe(6);
      expect(urls.map((u) => u.searchParams.get('per_page'))).toEqual(Array(6).fill(String(perPageMax)));
      expect(urls.map((u) => u.searchParams.get('page')).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
      expect(urls.every((u) => u.searchParams.get('organization_id') === PAGED)).toBe(true);
    }
  });

  it('stops after the last full page when the count is an exact multiple of 200', async () => {
    const pages = await collect(client().iterateContacts(EXACT));
    expect(pages.map((p) => [p.contacts.length, p.hasMorePage])).toEqual([[200, true], [200, false]]);
    expect(new Set(ids(pages)).size).toBe(400);
    expect(listRequests()).toBe(2);
  });

  it('a listing past ten full pages also asks for the page after the one in flight: two overlap, one goes past the end, every page comes once and in order', async () => {
    const LONG = '5100007'; // 2,250 contacts: eleven full pages and one of 50
    const TEN = '5100008'; // 2,000 contacts: exactly ten full pages
    const own = await startSandbox({
      organizations: [
        { organization_id: LONG, name: 'Long Ltd', generate: { count: 2250, seed: 10 } },
        { organization_id: TEN, name: 'Ten Ltd', generate: { count: 2000, seed: 11 } },
      ],
    });
    try {
      const reader = () => client({ apiRoot: own.apiRoot, token: own.key });
      // Answers held back a little, so that requests sent together are in flight together.
      own.setFaults({ slowMs: 5 });
      for (let round = 0; round < 3; round += 1) {
        own.resetStats();
        const pages = await collect(reader().iterateContacts(LONG, { prefetch: 10 }));
        expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        expect(pages.map((p) => p.contacts.length)).toEqual([...Array(11).fill(200), 50]);
        expect(new Set(ids(pages)).size).toBe(2250);
        // Page 13 was asked for once page 11 said there is more, before page 12 said it is the last.
        expect(own.stats().byEndpoint.contacts).toBe(13);
        expect(own.stats().byOrg[LONG]?.maxConcurrent).toBe(2);
      }

      // Up to ten full pages, a page is asked for only once the one before said there is more.
      own.resetStats();
      const ten = await collect(reader().iterateContacts(TEN, { prefetch: 10 }));
      expect(ten.map((p) => p.contacts.length)).toEqual(Array(10).fill(200));
      expect(own.stats().byEndpoint.contacts).toBe(10);
      expect(own.stats().byOrg[TEN]?.maxConcurrent).toBe(1);

      // Under the rate limit the page asked for ahead may still wait for a slot when the last page
      // comes: it is withdrawn unsent, neither counted nor waited for (the window is a minute).
      own.resetStats();
      resetLimiters();
      const counted: number[] = [];
      const limited = client({ apiRoot: own.apiRoot, token: own.key, limits: { requests: 12, windowMs: 60_000, concurrent: 5 }, onRequest: (i) => counted.push(i.status) });
      expect(ids(await collect(limited.iterateContacts(LONG, { prefetch: 10 })))).toHaveLength(2250);
      expect(own.stats().byEndpoint.contacts).toBe(12);
      expect(counted).toEqual(Array(12).fill(200));
      resetLimiters();

      // prefetch 0 (no pipelining) asks for nothing ahead either.
      own.resetStats();
      expect(ids(await collect(reader().iterateContacts(LONG, { prefetch: 0 })))).toHaveLength(2250);
      expect(own.stats().byEndpoint.contacts).toBe(12);
      expect(own.stats().byOrg[LONG]?.maxConcurrent).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('passes the sort through: created_time ascending and descending', async () => {
    const c = client();
    const asc = ids(await collect(c.iterateContacts(PAGED, { sortColumn: 'created_time', sortOrder: 'A' })));
    const desc = ids(await collect(c.iterateContacts(PAGED, { sortColumn: 'created_time', sortOrder: 'D' })));
    expect(desc).toEqual([...asc].reverse());
    const times = asc.map((id) => parseZohoTime(sandbox.getContact(PAGED, id)?.created_time));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
  });

  it('reads exactly the contacts changed since a cursor, newest first, and stops early', async () => {
    const since = Date.UTC(2027, 0, 1);
    let tick = 0;
    sandbox.setClock(() => new Date(since + 1000 * ++tick));
    const all = ids(await collect(client().iterateContacts(CHANGES)));
    expect(all).toHaveLength(600);
    const updated = all.filter((_, i) => i % 3 === 0).slice(0, 230);
    for (const id of updated) sandbox.updateContact(CHANGES, id, { notes: `edited ${id}` });
    const added = [1, 2, 3].map((n) => sandbox.addContact(CHANGES, { contact_name: `New ${n}`, email: `new${n}@example.com` }).contact_id);
    const expected = new Set([...updated, ...added]);

    sandbox.resetStats();
    const pages = await collect(client().iterateChangedContacts(CHANGES, { since: new Date(since), overlapMs: 0 }));
    const changed = ids(pages);
    expect(changed).toHaveLength(expected.size);
    expect(new Set(changed)).toEqual(expected);
    // Newest first: the three added contacts were stamped last.
    expect(changed.slice(0, 3)).toEqual([...added].reverse());
    const times = pages.flatMap((p) => p.contacts.map((c) => parseZohoTime(c.last_modified_time)));
    expect(times.every((t, i) => t >= since && (i === 0 || t <= (times[i - 1] as number)))).toBe(true);
    // 233 changed contacts: page 1 and the start of page 2; nothing read after the page that reached the cursor.
    expect(listRequests()).toBe(2);

    // A cursor after every change: one request, no contacts.
    sandbox.resetStats();
    expect(ids(await collect(client().iterateChangedContacts(CHANGES, { since: new Date(since + 3_600_000), overlapMs: 0 })))).toEqual([]);
    expect(listRequests()).toBe(1);
  });

  it('includes the contact stamped exactly at the cursor, and the overlap reaches back further', async () => {
    const since = Date.UTC(2027, 5, 1);
    const all = ids(await collect(client().iterateContacts(CHANGES, { sortColumn: 'created_time' })));
    const [atCursor, twoMinutesBefore, tenMinutesBefore] = all.slice(-3) as [string, string, string];
    const stamp = (id: string, ms: number) => sandbox.updateContact(CHANGES, id, { last_modified_time: formatZohoTime(ms, 330) });
    stamp(atCursor, since);
    stamp(twoMinutesBefore, since - 2 * 60_000);
    stamp(tenMinutesBefore, since - 10 * 60_000);
    const read = async (overlapMs?: number) =>
      ids(await collect(client().iterateChangedContacts(CHANGES, { since: new Date(since), ...(overlapMs === undefined ? {} : { overlapMs }) })));
    expect(await read(0)).toEqual([atCursor]);
    expect(await read()).toEqual([atCursor, twoMinutesBefore]); // default overlap: 5 minutes
    expect(await read(15 * 60_000)).toEqual([atCursor, twoMinutesBefore, tenMinutesBefore]);
  });

  it('gets a contact\'s details: addresses, persons, custom fields, notes', async () => {
    const asha = handContacts[0]?.contact_id as string;
    const detail = await client().getContact(HAND, asha);
    expect(detail).toMatchObject({
      contact_id: asha,
      contact_name: 'Asha Menon',
      company_name: 'Lotus Pvt Ltd',
      email: 'asha@zylker.example',
      notes: 'Prefers email',
      billing_address: { address: '12 MG Road', street2: 'Suite 4', city: 'Bengaluru', state_code: 'KA', zip: '560001', country: 'India' },
      shipping_address: { city: 'Chennai', country: 'India' },
    });
    expect(detail.custom_fields).toEqual([
      { customfield_id: '7001', index: 1, label: 'Customer Tier', value: 'Gold', api_name: 'cf_customer_tier', data_type: 'dropdown' },
      { customfield_id: '7002', index: 2, label: 'Industry', value: 'Retail', api_name: 'cf_industry', data_type: 'string' },
    ]);
    expect(detail.contact_persons?.map((p) => [p.email, p.is_primary_contact])).toEqual([
      ['asha@zylker.example', true],
      ['ravi@zylker.example', false],
    ]);
    expect(sandbox.stats().byEndpoint.contact).toBe(1);

    // A generated contact's detail carries its address too.
    const [first] = (await client().listContactsPage(PAGED, { page: 1, perPage: 1 })).contacts;
    const generated = await client().getContact(PAGED, first?.contact_id as string);
    expect(generated.billing_address?.country).toBe(sandbox.getContact(PAGED, first?.contact_id as string)?.billing_address?.country);
  });

  it('accepts IDs and zip codes sent as numbers, and gives them as strings', async () => {
    const page = await client().listContactsPage(NUMERIC, { page: 1 });
    const id = page.contacts[0]?.contact_id;
    expect(typeof id).toBe('string');
    const detail = await client().getContact(NUMERIC, id as string);
    expect(detail.billing_address?.zip).toBe('94588');
    expect(typeof detail.contact_persons?.[0]?.contact_person_id).toBe('string');
  });

  it('an unknown contact is a typed not-found error, not retried', async () => {
    const error = await failureOf(client().getContact(HAND, '123456789'));
    expect(error).toMatchObject({ kind: 'not-found', status: 404, code: 1002, retryable: false });
    expect(sandbox.stats().requests).toBe(1);
  });

  it('narrows reads with the server-side searches', async () => {
    const c = client();
    const all = ids(await collect(c.iterateContacts(PAGED)));
    const mentionsIndia = (id: string) => {
      const contact = sandbox.getContact(PAGED, id);
      return [contact?.billing_address, contact?.shipping_address].some((a) =>
        [a?.address, a?.street2, a?.city, a?.state, a?.zip, a?.country].some((t) => String(t ?? '').toLowerCase().includes('india')),
      );
    };
    const expected = all.filter(mentionsIndia);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    sandbox.resetStats();
    const narrowed = ids(await collect(c.iterateContacts(PAGED, { filters: { address_contains: 'India' } })));
    expect(new Set(narrowed)).toEqual(new Set(expected));
    expect(narrowed).toHaveLength(expected.length);
    expect(listRequests()).toBe(Math.ceil(expected.length / perPageMax));

    const byId = (cs: ContactsPage) => cs.contacts.map((x) => x.contact_name);
    const hand = (filters: Record<string, string>) => c.listContactsPage(HAND, { page: 1, filters });
    // "Indiana" contains "india": a server-side search is a narrowing, not an answer.
    expect(byId(await hand({ address_contains: 'india' }))).toEqual(['Asha Menon', 'Bob Stone', 'Dan Brown']);
    expect(byId(await hand({ email_contains: 'ZYLKER' }))).toEqual(['Asha Menon', 'Carla Jones']);
    expect(byId(await hand({ email: 'bob@bluestone.example' }))).toEqual(['Bob Stone']);
    expect(byId(await hand({ contact_name_startswith: 'da' }))).toEqual(['Dan Brown']);
    expect(byId(await hand({ contact_type: 'vendor' }))).toEqual(['Carla Jones']);
    expect(byId(await hand({ email_contains: 'zylker', address_contains: 'London' }))).toEqual(['Carla Jones']);
  });
});

describe('ZohoClient: failures', () => {
  it('a rejected key (401, Zoho code 57) is a typed auth error, not retried, and the key is never shown', async () => {
    const secret = 'wrong-key-5f3a9c';
    const logger = capturingLogger();
    const error = await failureOf(client({ token: secret, logger }).listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'auth', status: 401, code: 57, retryable: false });
    expect(error.message).toMatch(/rejected the ZSC key/);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(logger.entries)).not.toContain(secret);
    expect(sandbox.stats().requests).toBe(1);

    // A key Zoho cannot even read (code 14) is an auth error too.
    const unreadable = await failureOf(client({ token: 'two words' }).listOrganizations());
    expect(unreadable).toMatchObject({ kind: 'auth', status: 401, code: 14, retryable: false });
    expect(sandbox.stats().requests).toBe(2);
  });

  it('after the key is regenerated, the old key is refused and the new one works', async () => {
    const old = sandbox.key;
    const fresh = sandbox.regenerateKey();
    expect(await failureOf(client({ token: old }).listOrganizations())).toMatchObject({ kind: 'auth' });
    expect(await client({ token: fresh }).listOrganizations()).toHaveLength(6);
  });

  it('429 with Retry-After: waits as asked, then succeeds', async () => {
    const { sleeps, sleep } = recordedSleep();
    const seen: number[] = [];
    sandbox.setFaults({ rateLimitBurst: { count: 2, retryAfterSec: 3 } });
    const page = await client({ sleep, onRequest: (i) => seen.push(i.status) }).listContactsPage(FAULTY, { page: 1 });
    expect(page.contacts).toHaveLength(200);
    expect(sleeps).toEqual([3000, 3000]);
    expect(seen).toEqual([429, 429, 200]);
    expect(sandbox.stats().byStatus).toEqual({ 429: 2, 200: 1 });
  });

  it('429 without Retry-After: backs off with jitter, then succeeds', async () => {
    const { sleeps, sleep } = recordedSleep();
    sandbox.setFaults({ rateLimitBurst: { count: 3, retryAfterSec: null } });
    const page = await client({ sleep, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 10_000 }).listContactsPage(FAULTY, { page: 1 });
    expect(page.contacts).toHaveLength(200);
    expect(sleeps).toEqual([50, 100, 200]); // random · base · 2^attempt
    expect(sandbox.stats().byStatus).toEqual({ 429: 3, 200: 1 });
  });

  it('429 with a real (zero) Retry-After is retried end to end', async () => {
    sandbox.setFaults({ rateLimitBurst: { count: 2, retryAfterSec: 0 } });
    const pages = await collect(client().iterateContacts(FAULTY));
    expect(ids(pages)).toHaveLength(450);
    expect(sandbox.stats().byStatus).toEqual({ 429: 2, 200: 3 });
  });

  it('a Retry-After longer than the client waits within a run fails at once as rate-limit', async () => {
    const { sleeps, sleep } = recordedSleep();
    sandbox.setFaults({ rateLimitBurst: { count: 1, retryAfterSec: 3600 } });
    const error = await failureOf(client({ sleep, maxRetryAfterMs: 120_000 }).listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 3_600_000 });
    expect(error.message).toMatch(/try again later/);
    expect(sleeps).toEqual([]);
    expect(sandbox.stats().requests).toBe(1);
  });

  it('429 more often than maxRetries: a rate-limit error after maxRetries + 1 attempts', async () => {
    const { sleeps, sleep } = recordedSleep();
    sandbox.setFaults({ rateLimitBurst: { count: 10, retryAfterSec: 1 } });
    const error = await failureOf(client({ sleep, maxRetries: 2 }).listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429 });
    expect(error.message).toMatch(/gave up after 3 attempts/);
    expect(sleeps).toEqual([1000, 1000]);
    expect(sandbox.stats().requests).toBe(3);
  });

  it.each([500, 502, 503] as const)('HTTP %i is retried, then succeeds', async (status) => {
    sandbox.setFaults({ serverErrors: { count: 2, status } });
    const pages = await collect(client().iterateContacts(FAULTY));
    expect(ids(pages)).toHaveLength(450);
    expect(sandbox.stats().byStatus).toEqual({ [status]: 2, 200: 3 });
  });

  it('a server error that persists is a typed server error after maxRetries + 1 attempts', async () => {
    sandbox.setFaults({ serverErrors: { count: 10, status: 502 } });
    const error = await failureOf(client({ maxRetries: 2 }).listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'server', status: 502, retryable: true });
    expect(error.message).toMatch(/HTTP 502.*gave up after 3 attempts/);
    expect(sandbox.stats().requests).toBe(3);
  });

  it('a reset connection is retried, then succeeds', async () => {
    const seen: number[] = [];
    sandbox.setFaults({ resetConnectionNext: 2 });
    const page = await client({ onRequest: (i) => seen.push(i.status) }).listContactsPage(FAULTY, { page: 1 });
    expect(page.contacts).toHaveLength(200);
    expect(seen).toEqual([0, 0, 200]);
    expect(sandbox.stats().byStatus).toEqual({ reset: 2, 200: 1 });

    sandbox.resetStats();
    sandbox.setFaults({ resetConnectionNext: 10 });
    const error = await failureOf(client({ maxRetries: 1 }).listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toMatch(/gave up after 2 attempts/);
    expect(sandbox.stats().requests).toBe(2);
  });

  it('a reply slower than timeoutMs is a typed timeout error after maxRetries + 1 attempts', async () => {
    const seen: number[] = [];
    sandbox.setFaults({ slowMs: 1500 });
    const error = await failureOf(client({ timeoutMs: 100, maxRetries: 2, onRequest: (i) => seen.push(i.status) }).listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toMatch(/did not answer within 0\.1 s \(page 1 of contacts\).*gave up after 3 attempts/);
    expect(seen).toEqual([0, 0, 0]);
    expect(sandbox.stats().requests).toBe(3);

    // One slow reply: the retry succeeds.
    sandbox.resetStats();
    sandbox.setFaults({ slowMs: 1500, slowNext: 1 });
    const page = await client({ timeoutMs: 300 }).listContactsPage(FAULTY, { page: 1 });
    expect(page.contacts).toHaveLength(200);
    expect(sandbox.stats().requests).toBe(2);
  });

  it('truncated JSON is a typed malformed error naming the page', async () => {
    sandbox.setFaults({ truncateNext: 1 });
    const error = await failureOf(client().listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'malformed', status: 200, retryable: false });
    expect(error.message).toMatch(/^Page 1 of contacts was malformed: the reply is not complete JSON/);
    expect(sandbox.stats().requests).toBe(1);
  });

  it.each([
    ['email-number', /^Page 1 of contacts was malformed: contacts\[0\]\.email: expected string, received number/],
    ['contacts-object', /^Page 1 of contacts was malformed: contacts: expected array, received object/],
    ['no-page-context', /^Page 1 of contacts was malformed: page_context: expected object, received undefined/],
  ] as const)('a wrong shape (%s) is a typed malformed error naming the problem', async (wrongShape, message) => {
    sandbox.setFaults({ wrongShapeNext: 1, wrongShape });
    const error = await failureOf(client().listContactsPage(FAULTY, { page: 1 }));
    expect(error).toMatchObject({ kind: 'malformed', retryable: false });
    expect(error.message).toMatch(message);
  });

  it('a malformed page in the middle of a listing stops it there: nothing skipped silently', async () => {
    const seen: ContactsPage[] = [];
    const pages = client().iterateContacts(FAULTY, { prefetch: 0 });
    const error = await failureOf(
      (async () => {
        for await (const page of pages) {
          seen.push(page);
          if (page.page === 1) sandbox.setFaults({ truncateNext: 1 });
        }
      })(),
    );
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/^Page 2 of contacts was malformed/);
    expect(seen.map((p) => p.page)).toEqual([1]);
  });

  it('a page that repeats the previous one is detected and stops the listing', async () => {
    sandbox.setFaults({ repeatPreviousPageNext: 1 });
    const seen: ContactsPage[] = [];
    const error = await iterationFailure(client().iterateContacts(FAULTY), seen);
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/Page 2 of contacts repeats page 1/);
    expect(seen.map((p) => p.page)).toEqual([1]);
    expect(listRequests()).toBeLessThanOrEqual(3);
  });

  it('has_more_page that never ends is detected after the pages that exist, not after the cap', async () => {
    sandbox.setFaults({ endlessPaging: true });
    const seen: ContactsPage[] = [];
    const error = await iterationFailure(client().iterateContacts(FAULTY), seen);
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/has_more_page/);
    expect(ids(seen)).toHaveLength(450);
    expect(new Set(ids(seen)).size).toBe(450);
    expect(listRequests()).toBeLessThanOrEqual(6);
  });

  it('the page cap stops a listing with a clear error and no request past the cap', async () => {
    const seen: ContactsPage[] = [];
    const error = await iterationFailure(client({ maxPages: 3 }).iterateContacts(PAGED), seen);
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/stopped after 3 pages/);
    expect(seen.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(listRequests()).toBe(3);
  });
});

describe('ZohoClient: cancellation', () => {
  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failureOf(client().listOrganizations(controller.signal))).kind).toBe('cancelled');
    expect((await iterationFailure(client().iterateContacts(FAULTY, {}, controller.signal))).kind).toBe('cancelled');
    expect(sandbox.stats().requests).toBe(0);
  });

  it('aborting a request in flight rejects promptly with a cancellation error', async () => {
    sandbox.setFaults({ slowMs: 5000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await failureOf(client({ timeoutMs: 10_000 }).getContact(HAND, String(handContacts[0]?.contact_id), controller.signal));
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sandbox.stats().requests).toBe(1); // not retried
  });

  it('aborting during a Retry-After wait rejects promptly', async () => {
    sandbox.setFaults({ rateLimitBurst: { count: 1, retryAfterSec: 60 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(client().listContactsPage(FAULTY, { page: 1 }, controller.signal));
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sandbox.stats().requests).toBe(1);
  });

  it('aborting while waiting for the limiter rejects promptly', async () => {
    const c = client({ limits: { requests: 1, windowMs: 60_000, concurrent: 1 } });
    await c.listContactsPage(FAULTY, { page: 1 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(c.listContactsPage(FAULTY, { page: 2 }, controller.signal));
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sandbox.stats().requests).toBe(1);
  });

  it('aborting a listing between pages stops it, and nothing more is requested', async () => {
    sandbox.setFaults({ slowMs: 200 });
    const controller = new AbortController();
    const seen: ContactsPage[] = [];
    let fetches = 0;
    let fetchesAtAbort = -1;
    const c = client({ fetchImpl: (input, init) => ((fetches += 1), fetch(input, init)) });
    const error = await iterationFailure(
      (async function* () {
        for await (const page of c.iterateContacts(PAGED, { prefetch: 2 }, controller.signal)) {
          yield page;
          fetchesAtAbort = fetches;
          controller.abort();
        }
      })(),
      seen,
    );
    expect(error.kind).toBe('cancelled');
    expect(seen.map((p) => p.page)).toEqual([1]);
    expect(fetchesAtAbort).toBeLessThanOrEqual(3); // page 1 and at most the prefetched pages
    await new Promise((r) => setTimeout(r, 300));
    expect(fetches).toBe(fetchesAtAbort);
    expect(listRequests()).toBeLessThanOrEqual(fetchesAtAbort);
  });
});

describe('ZohoClient: the per-organization limiter against a rate-limited sandbox', () => {
  const limit = { requests: 5, windowMs: 1000, concurrent: 2 };

  it('never lets more than the limit reach the sandbox: zero 429s', async () => {
    sandbox.setRateLimit(limit);
    // Two clients of one organization share its limiter; maxRetries 0 makes any 429 fail the test.
    const a = client({ limits: limit, maxRetries: 0 });
    const b = client({ limits: limit, maxRetries: 0 });
    const listing = collect(a.iterateContacts(PAGED, { prefetch: 4 }));
    const firstIds = ids([await a.listContactsPage(PAGED, { page: 1, perPage: 10 })]);
    const details = await Promise.all(firstIds.map((id, i) => (i % 2 === 0 ? a : b).getContact(PAGED, id)));
    expect(details.map((d) => d.contact_id)).toEqual(firstIds);
    expect(ids(await listing)).toHaveLength(1050);

    const stats = sandbox.stats();
    expect(stats.byEndpoint).toMatchObject({ contacts: 7, contact: 10 });
    expect(stats.rateLimited).toBe(0);
    expect(stats.byStatus).toEqual({ 200: 17 });
    expect(maxInWindow(stats.arrivals[PAGED] ?? [], limit.windowMs)).toBeLessThanOrEqual(limit.requests);
    expect(stats.byOrg[PAGED]?.maxConcurrent).toBeLessThanOrEqual(limit.concurrent);
  });

  it('(control) without the client-side limit the same sandbox answers 429', async () => {
    sandbox.setRateLimit(limit);
    const c = client({ maxRetries: 0 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => c.listContactsPage(FAULTY, { page: 1 + (i % 3) })));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => (r.reason as ZohoApiError).kind === 'rate-limit')).toBe(true);
    expect(sandbox.stats().rateLimited).toBe(rejected.length);
  });
});

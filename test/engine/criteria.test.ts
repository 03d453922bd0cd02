import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';

const org = '7000002';
const tier = (value: string) => [{ customfield_id: '9001', index: 1, label: 'Customer Tier', value, api_name: 'cf_customer_tier' }];
const contacts = [
  fixture('Asha Rao', 'asha@example.in', { billing_address: { country: 'India', city: 'Chennai' }, custom_fields: tier('Gold') }),
  fixture('Vikram Shah', 'vikram@example.in', { billing_address: { country: 'india', city: 'Pune' }, custom_fields: tier('Silver') }),
  fixture('Hans Meier', 'hans@example.de', { billing_address: { country: 'Germany', city: 'Berlin' }, custom_fields: tier('Gold') }),
  fixture('Lena Indiana', 'lena@example.com', { billing_address: { country: 'United States', city: 'Indianapolis' } }),
  fixture('Sales Team', 'sales@example.in', { billing_address: { country: 'India' } }),
];

describe('criteria syncs', () => {
  let h: Harness;
  let accountId: string;

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Zylker India', contacts }] });
    accountId = await h.addAccount();
  });
  afterAll(() => h?.close());

  it('Country is India: only matching records are counted; details fetched for candidates only', async () => {
    const listId = await h.addList('India');
    const syncId = await h.addSync({
      accountId, listId, organizationId: org,
      importOption: { kind: 'criteria', criteria: { match: 'all', conditions: [{ field: 'billing_address.country', op: 'is', value: 'India' }] } },
    });
    const before = h.sandbox.stats().requests;
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 3, new: 2, ignored: 1 });
    expect(r.counts.ignored_by_reason.group).toBe(1);
    // The address search narrows candidates to the 3 Indian contacts and Lena of Indianapolis;
    // only those get a detail request, never Hans.
    const detailRequests = h.sandbox.stats().requests - before;
    expect(detailRequests).toBeLessThanOrEqual(4 + 2 + 1);
    // A second run fetches no details again: they are cached until the contact changes.
    const again = h.sandbox.stats().requests;
    await h.core.runAndWait(syncId, 'manual');
    expect(h.sandbox.stats().requests - again).toBeLessThanOrEqual(2);
  });

  it('match any over a custom field and a summary field', async () => {
    const listId = await h.addList('Gold or Lena');
    const syncId = await h.addSync({
      accountId, listId, organizationId: org,
      importOption: {
        kind: 'criteria',
        criteria: { match: 'any', conditions: [
          { field: 'custom:cf_customer_tier', op: 'is', value: 'gold' },
          { field: 'first_name', op: 'starts_with', value: 'Le' },
        ] },
      },
      mapping: [{ target: 'email', source: 'email' }, { target: 'first_name', source: 'first_name' }, { target: 'country', source: 'billing_address.country' }],
    });
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 3, new: 2, duplicate: 1 });
    const members = await h.call('lists.members', { listId, offset: 0, limit: 10 });
    const hans = members.members.find((m) => m.email === 'hans@example.de')!;
    expect(hans.fields.country).toBe('Germany');
  });

  it('the import option of a saved sync cannot change', async () => {
    const listId = await h.addList('Fixed');
    const syncId = await h.addSync({ accountId, listId, organizationId: org });
    expect(() => h.core.store.db.prepare(`UPDATE syncs SET import_option = '{"kind":"criteria"}' WHERE id = ?`).run(syncId))
      .toThrow(/cannot change/);
  });
});

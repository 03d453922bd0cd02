import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { fixture } from '../support/fixtures';
import { createHarness, tableRows, userVisibleState, type Harness } from '../support/harness';

/** Retrieval details of sync-rules.md: the After date, incremental reads with overlap, reconciliation, update policies. */
const org = '7100001';
const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00+0000`;
const dated = (name: string, email: string, minute: number) =>
  fixture(name, email, { created_time: at(minute), last_modified_time: at(minute) });
const daily = { kind: 'daily', at: '09:00', timeZone: 'Europe/Berlin' } as const;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(contacts: ReturnType<typeof fixture>[], readPolicy?: { overlapMs: number; reconcileEveryMs: number }) {
  h = await createHarness({ secrets: new MemorySecretStore(), organizations: [{ organization_id: org, name: 'Retrieval Org', contacts }], ...(readPolicy ? { readPolicy } : {}) });
  return { h, accountId: await h.addAccount(), listId: await h.addList() };
}

describe('retrieval', () => {
  it('After a date: the first run imports only contacts created or modified after it', async () => {
    const { h, accountId, listId } = await setup([dated('Ana A', 'ana@example.com', 1), dated('Ben B', 'ben@example.com', 2), dated('Cy C', 'cy@example.com', 3)]);
    const syncId = await h.addSync({ accountId, listId, organizationId: org, retrievalStart: { kind: 'after', after: '2025-01-01T00:02:00Z' } });
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 1, new: 1, duplicate: 0, ignored: 0 });
    expect(userVisibleState(h.core).members).toEqual([{ list: 'Customers', email: 'cy@example.com' }]);
  });

  it('a recurring sync reads only what changed; overlap re-reads are Duplicate, never New', async () => {
    const contacts = [dated('Ana A', 'ana@example.com', 1), dated('Ben B', 'ben@example.com', 2), dated('Cy C', 'cy@example.com', 3)];
    const { h, accountId, listId } = await setup(contacts);
    const syncId = await h.addSync({ accountId, listId, organizationId: org, schedule: daily });
    const first = await h.core.runAndWait(syncId, 'manual');
    expect(first).toMatchObject({ fullRead: true, counts: { total: 3, new: 3 } });

    h.sandbox.updateContact(org, contacts[1]!.contact_id, { first_name: 'Benjamin' });
    // Added now (the sandbox stamps its own times when none are given).
    const { created_time: _c, last_modified_time: _m, ...dee } = fixture('Dee D', 'dee@example.com');
    h.sandbox.addContact(org, dee);
    const second = await h.core.runAndWait(syncId, 'manual');
    expect(second).toMatchObject({ fullRead: false, counts: { total: 2, new: 1, duplicate: 1, ignored: 0, deleted: 0 } });
    expect(userVisibleState(h.core).contacts).toContainEqual(expect.objectContaining({ email: 'ben@example.com', first_name: 'Benjamin' }));

    // Nothing changed since: the overlap window re-reads the two just-changed contacts as duplicates.
    const third = await h.core.runAndWait(syncId, 'manual');
    expect(third).toMatchObject({ fullRead: false, counts: { total: 2, new: 0, duplicate: 2 } });
  });

  it('deletions are seen only by a full read: the periodic reconciliation pass of a recurring sync', async () => {
    const contacts = [dated('Ana A', 'ana@example.com', 1), dated('Ben B', 'ben@example.com', 2)];
    const { h, accountId, listId } = await setup(contacts, { overlapMs: 0, reconcileEveryMs: 0 });
    const syncId = await h.addSync({ accountId, listId, organizationId: org, schedule: daily });
    await h.core.runAndWait(syncId, 'manual');
    h.sandbox.deleteContact(org, contacts[0]!.contact_id);
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r).toMatchObject({ fullRead: true, counts: { total: 1, duplicate: 1, deleted: 1 } });
    expect(userVisibleState(h.core).contacts).toContainEqual(expect.objectContaining({ email: 'ana@example.com', state: 'deleted' }));
  });

  it('update policy: overwrite, fill empty only, never', async () => {
    const contacts = [dated('Ana A', 'ana@example.com', 1), fixture('', 'ben@example.com', { created_time: at(2), last_modified_time: at(2), first_name: '', last_name: '' })];
    const { h, accountId, listId } = await setup(contacts);
    const never = await h.addSync({ accountId, listId, organizationId: org, name: 'Never', updatePolicy: 'never' });
    const fill = await h.addSync({ accountId, listId, organizationId: org, name: 'Fill', updatePolicy: 'fill-empty' });
    const overwrite = await h.addSync({ accountId, listId, organizationId: org, name: 'Overwrite', updatePolicy: 'overwrite' });
    await h.core.runAndWait(never, 'manual');
    h.sandbox.updateContact(org, contacts[0]!.contact_id, { first_name: 'Anna' });
    h.sandbox.updateContact(org, contacts[1]!.contact_id, { first_name: 'Benedikt' });
    const names = () => (userVisibleState(h!.core).contacts as { email: string; first_name: string | null }[]).map((c) => [c.email, c.first_name ?? '']);

    await h.core.runAndWait(never, 'manual');
    expect(names()).toEqual([['ana@example.com', 'Ana'], ['ben@example.com', '']]);
    await h.core.runAndWait(fill, 'manual');
    expect(names()).toEqual([['ana@example.com', 'Ana'], ['ben@example.com', 'Benedikt']]);
    await h.core.runAndWait(overwrite, 'manual');
    expect(names()).toEqual([['ana@example.com', 'Anna'], ['ben@example.com', 'Benedikt']]);
  });

  it('update policy over mapped extra fields: other fields are kept, and a contact whose values did not change is not rewritten', async () => {
    const contacts = [
      dated('Ana A', 'ana@example.com', 1),
      fixture('Ben B', 'ben@example.com', { created_time: at(2), last_modified_time: at(2), company_name: '' }),
    ];
    contacts[0]!.company_name = 'Acme';
    const { h, accountId, listId } = await setup(contacts);
    const mapping = (extra: { target: string; source: string }) => [
      { target: 'email', source: 'email' }, { target: 'first_name', source: 'first_name' }, extra,
    ];
    const phones = await h.addSync({ accountId, listId, organizationId: org, name: 'Phones', mapping: mapping({ target: 'phone', source: 'contact_name' }) });
    const fill = await h.addSync({ accountId, listId, organizationId: org, name: 'Fill', updatePolicy: 'fill-empty', mapping: mapping({ target: 'company', source: 'company_name' }) });
    const overwrite = await h.addSync({ accountId, listId, organizationId: org, name: 'Overwrite', updatePolicy: 'overwrite', mapping: mapping({ target: 'company', source: 'company_name' }) });
    const rows = () => tableRows(h!.core, 'SELECT email, first_name, fields, updated_at FROM contacts ORDER BY email') as { email: string; first_name: string; fields: string; updated_at: string }[];
    const fields = () => rows().map((r) => [r.email, JSON.parse(r.fields)]);

    await h.core.runAndWait(phones, 'manual');
    await h.core.runAndWait(fill, 'manual');
    expect(fields()).toEqual([['ana@example.com', { phone: 'Ana A', company: 'Acme' }], ['ben@example.com', { phone: 'Ben B' }]]);

    // Nothing changed in Zoho: a re-run leaves every contact as it was, down to its last change.
    const before = rows();
    expect((await h.core.runAndWait(fill, 'manual')).counts).toMatchObject({ duplicate: 2 });
    expect(rows()).toEqual(before);

    h.sandbox.updateContact(org, contacts[0]!.contact_id, { company_name: 'Acme Corp' });
    h.sandbox.updateContact(org, contacts[1]!.contact_id, { company_name: 'Bolt' });
    await h.core.runAndWait(fill, 'manual');
    expect(fields()).toEqual([['ana@example.com', { phone: 'Ana A', company: 'Acme' }], ['ben@example.com', { phone: 'Ben B', company: 'Bolt' }]]);
    await h.core.runAndWait(overwrite, 'manual');
    expect(fields()).toEqual([['ana@example.com', { phone: 'Ana A', company: 'Acme Corp' }], ['ben@example.com', { phone: 'Ben B', company: 'Bolt' }]]);
    expect(rows().map((r) => r.first_name)).toEqual(['Ana', 'Ben']);
  });
});

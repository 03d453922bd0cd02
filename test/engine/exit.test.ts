import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOption } from '../../main/common/domain/criteria';
import type { ExitPolicy } from '../../main/common/domain/sync';
import { createHarness, userVisibleState, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';

/**
 * Criteria exit: a contact a sync brought in that stops matching it (its criteria, or inactive in
 * Zoho Invoice) is counted Exited once, and kept, removed or marked as the sync's exit policy says.
 */
const india: ImportOption = { kind: 'criteria', criteria: { match: 'all', conditions: [{ field: 'billing_address.country', op: 'is', value: 'India' }] } };
const daily = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' } as const;
const policies: ExitPolicy[] = ['keep', 'remove', 'mark'];

function people() {
  return [
    fixture('Asha Rao', 'asha@example.in', { billing_address: { country: 'India' } }),
    fixture('Vikram Shah', 'vikram@example.in', { billing_address: { country: 'India' } }),
    fixture('Ravi Kumar', 'ravi@example.in', { billing_address: { country: 'India' } }),
    fixture('Meera Iyer', 'meera@example.in', { billing_address: { country: 'India' } }),
    fixture('Hans Meier', 'hans@example.de', { billing_address: { country: 'Germany' } }),
    // Inactive from the start: never imported, not even by an All-contacts sync.
    { ...fixture('Old Client', 'old@example.in', { billing_address: { country: 'India' } }), status: 'inactive' },
  ];
}

async function members(h: Harness, listId: string) {
  const page = await h.call('lists.members', { listId, offset: 0, limit: 50 });
  return page.members.map((m) => ({ email: m.email, state: m.state, exited: m.exitedAt !== null })).sort((a, b) => a.email.localeCompare(b.email));
}

async function exitedOutcomes(h: Harness, runId: number) {
  const page = await h.call('runs.outcomes', { runId, outcome: 'exited', offset: 0, limit: 50 });
  // Sorted: a full read goes by creation, an incremental one newest change first.
  return page.outcomes.map((o) => [o.email, o.detail]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

for (const read of ['full', 'incremental'] as const) {
  describe(`criteria exit on a ${read} read`, () => {
    const org = read === 'full' ? '7300001' : '7300002';
    const contacts = people();
    const [, vikram, ravi, meera] = contacts;
    let h: Harness;
    const syncs = new Map<ExitPolicy, { syncId: string; listId: string }>();

    beforeAll(async () => {
      h = await createHarness({ organizations: [{ organization_id: org, name: 'Zylker India', contacts }] });
      const accountId = await h.addAccount();
      for (const exitPolicy of policies) {
        const listId = await h.addList(`India (${exitPolicy})`);
        const syncId = await h.addSync({
          accountId, listId, organizationId: org, name: `India ${exitPolicy}`, importOption: india, exitPolicy,
          schedule: read === 'full' ? { kind: 'once' } : daily,
        });
        syncs.set(exitPolicy, { syncId, listId });
      }
    });
    afterAll(() => h?.close());

    it('first runs import the four Indian contacts; the inactive one is not selected', async () => {
      const counts = [];
      for (const p of policies) counts.push((await h.core.runAndWait(syncs.get(p)!.syncId, 'manual')).counts);
      expect(counts.map((c) => [c.total, c.new, c.duplicate, c.exited])).toEqual([[4, 4, 0, 0], [4, 0, 4, 0], [4, 0, 4, 0]]);
      expect(h.core.store.contacts.byEmail('old@example.in')).toBeNull();
    });

    it('a country changed and a contact made inactive in Zoho: Exited, per each policy', async () => {
      h.sandbox.updateContact(org, vikram!.contact_id, { billing_address: { country: 'Germany' } });
      h.sandbox.updateContact(org, ravi!.contact_id, { status: 'inactive' });
      // A changed contact that still matches is a plain duplicate on either read.
      h.sandbox.updateContact(org, meera!.contact_id, { first_name: 'Meera' });

      const keep = syncs.get('keep')!;
      const preview = await h.call('syncs.dryRun', { syncId: keep.syncId });
      expect(preview.counts).toMatchObject({ total: read === 'full' ? 2 : 1, exited: 2 });
      expect(preview.sample.filter((o) => o.outcome === 'exited').map((o) => o.email).sort()).toEqual(['ravi@example.in', 'vikram@example.in']);

      const results = new Map<ExitPolicy, Awaited<ReturnType<Harness['core']['runAndWait']>>>();
      for (const p of policies) results.set(p, await h.core.runAndWait(syncs.get(p)!.syncId, 'manual'));
      for (const p of policies) {
        const r = results.get(p)!;
        expect(r.fullRead).toBe(read === 'full');
        // Exited is counted apart from the total: a full read re-reads Asha and Meera, an incremental one only Meera.
        expect(r.counts).toMatchObject({ total: read === 'full' ? 2 : 1, new: 0, duplicate: read === 'full' ? 2 : 1, exited: 2, deleted: 0 });
      }

      expect(await exitedOutcomes(h, results.get('keep')!.runId!)).toEqual([
        ['ravi@example.in', 'Made inactive in Zoho Invoice: kept in the list'],
        ['vikram@example.in', "No longer matches the sync's criteria: kept in the list"],
      ]);
      expect(await exitedOutcomes(h, results.get('remove')!.runId!)).toEqual([
        ['ravi@example.in', 'Made inactive in Zoho Invoice: removed from the list'],
        ['vikram@example.in', "No longer matches the sync's criteria: removed from the list"],
      ]);
      expect(await exitedOutcomes(h, results.get('mark')!.runId!)).toEqual([
        ['ravi@example.in', 'Made inactive in Zoho Invoice: kept in the list, marked "no longer matches"'],
        ['vikram@example.in', 'No longer matches the sync\'s criteria: kept in the list, marked "no longer matches"'],
      ]);

      const all = ['asha@example.in', 'meera@example.in', 'ravi@example.in', 'vikram@example.in'];
      const active = (emails: string[], exited: string[] = []) =>
        emails.map((email) => ({ email, state: 'active', exited: exited.includes(email) }));
      expect(await members(h, keep.listId)).toEqual(active(all));
      // Removed from the list, but the contacts stay active (they are on the other lists).
      expect(await members(h, syncs.get('remove')!.listId)).toEqual(active(['asha@example.in', 'meera@example.in']));
      expect(await members(h, syncs.get('mark')!.listId)).toEqual(active(all, ['ravi@example.in', 'vikram@example.in']));
    });

    it('an exit is counted once: the next run counts none', async () => {
      for (const p of policies) {
        const r = await h.core.runAndWait(syncs.get(p)!.syncId, 'manual');
        expect(r.counts.exited).toBe(0);
      }
    });

    it('a contact that matches again comes back: joins the list again, or loses its mark', async () => {
      h.sandbox.updateContact(org, vikram!.contact_id, { billing_address: { country: 'India' } });
      const remove = await h.core.runAndWait(syncs.get('remove')!.syncId, 'manual');
      // An incremental read also re-reads Meera, changed within its overlap; Ravi is read but no longer this sync's.
      expect(remove.counts).toMatchObject({ new: 0, readded: 0, duplicate: read === 'full' ? 3 : 2, exited: 0 });
      expect((await members(h, syncs.get('remove')!.listId)).map((m) => m.email)).toEqual(['asha@example.in', 'meera@example.in', 'vikram@example.in']);
      await h.core.runAndWait(syncs.get('mark')!.syncId, 'manual');
      expect((await members(h, syncs.get('mark')!.listId)).filter((m) => m.exited).map((m) => m.email)).toEqual(['ravi@example.in']);
      // Vikram is each sync's source again: his exit mark on the source map is cleared.
      for (const p of ['remove', 'mark'] as const) {
        const exited = h.core.store.db
          .prepare('SELECT exited_at IS NOT NULL FROM sync_sources WHERE sync_id = ? AND source_id = ?')
          .pluck().all(syncs.get(p)!.syncId, vikram!.contact_id);
        expect(exited).toEqual([0]);
      }
    });
  });
}

describe('inactive contacts in an All-contacts sync', () => {
  const org = '7300003';
  const contacts = people();
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Zylker All', contacts }] });
  });
  afterAll(() => h?.close());

  let accountId = '';

  it('are not imported, and one made inactive later exits (removed), undone by undo', async () => {
    accountId = await h.addAccount();
    const listId = await h.addList('Everyone');
    const syncId = await h.addSync({ accountId, listId, organizationId: org, exitPolicy: 'remove', schedule: daily });
    const first = await h.core.runAndWait(syncId, 'manual');
    expect(first.counts).toMatchObject({ total: 5, new: 5, exited: 0 });

    h.sandbox.updateContact(org, contacts[0]!.contact_id, { status: 'inactive' });
    const second = await h.core.runAndWait(syncId, 'manual');
    expect(second).toMatchObject({ fullRead: false, counts: { total: 0, exited: 1 } });
    expect(await exitedOutcomes(h, second.runId!)).toEqual([['asha@example.in', 'Made inactive in Zoho Invoice: removed from the list']]);
    expect(userVisibleState(h.core).members).not.toContainEqual({ list: 'Everyone', email: 'asha@example.in' });

    // Undo puts the membership back as it was, and the source mapping (so the exit can be seen again).
    const undone = await h.call('runs.undo', { runId: second.runId! });
    expect(undone.counts.reverted).toBe(1);
    const member = (await h.call('lists.members', { listId, search: 'asha', offset: 0, limit: 5 })).members[0]!;
    expect(member).toMatchObject({ email: 'asha@example.in', addedBySync: 'Test sync', exitedAt: null });
    const third = await h.core.runAndWait(syncId, 'manual');
    expect(third.counts).toMatchObject({ exited: 1 });
  });

  it('a sync whose criteria test the Status field itself decides by them', async () => {
    const listId = await h.addList('Win-back');
    const syncId = await h.addSync({
      accountId, listId, organizationId: org, name: 'Inactive clients',
      importOption: { kind: 'criteria', criteria: { match: 'all', conditions: [{ field: 'status', op: 'is', value: 'Inactive' }] } },
    });
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 2, new: 1, duplicate: 1, exited: 0 });
    expect(userVisibleState(h.core).members.filter((m) => (m as { list: string }).list === 'Win-back'))
      .toEqual([{ list: 'Win-back', email: 'asha@example.in' }, { list: 'Win-back', email: 'old@example.in' }]);
  });
});

describe('exits and the source map', () => {
  const org = '7300004';
  const twins = [
    fixture('Asha Rao', 'asha@example.in', { billing_address: { country: 'India' } }),
    // A second Zoho contact with the same address (any case).
    fixture('Asha R', 'Asha@Example.in', { billing_address: { country: 'India' } }),
    fixture('Vikram Shah', 'vikram@example.in', { billing_address: { country: 'India' } }),
  ];
  let h: Harness;
  let accountId = '';
  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Zylker Twins', contacts: twins }] });
    accountId = await h.addAccount();
  });
  afterAll(() => h?.close());

  it('two Zoho contacts with one address that stop matching in the same run: the address exits once', async () => {
    const listId = await h.addList('Twins');
    const syncId = await h.addSync({ accountId, listId, organizationId: org, name: 'Twins', importOption: india, exitPolicy: 'remove' });
    expect((await h.core.runAndWait(syncId, 'manual')).counts).toMatchObject({ new: 2, ignored: 1, exited: 0 });
    h.sandbox.updateContact(org, twins[0]!.contact_id, { billing_address: { country: 'Germany' } });
    h.sandbox.updateContact(org, twins[1]!.contact_id, { billing_address: { country: 'Germany' } });
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 1, duplicate: 1, exited: 1 });
    expect(await members(h, listId)).toEqual([{ email: 'vikram@example.in', state: 'active', exited: false }]);
    h.sandbox.updateContact(org, twins[0]!.contact_id, { billing_address: { country: 'India' } });
    h.sandbox.updateContact(org, twins[1]!.contact_id, { billing_address: { country: 'India' } });
  });

  for (const exitPolicy of ['keep', 'mark'] as const) {
    it(`a contact kept after its exit (${exitPolicy}) and then deleted in Zoho is Deleted on the next full read`, async () => {
      const listId = await h.addList(`Kept ${exitPolicy}`);
      const syncId = await h.addSync({ accountId, listId, organizationId: org, name: `Kept ${exitPolicy}`, importOption: india, exitPolicy });
      expect((await h.core.runAndWait(syncId, 'manual')).counts).toMatchObject({ exited: 0 });
      const vikram = fixture('Vikram Twin', `vikram.${exitPolicy}@example.in`, { billing_address: { country: 'India' } });
      h.sandbox.addContact(org, vikram);
      expect((await h.core.runAndWait(syncId, 'manual')).counts).toMatchObject({ new: 1 });
      h.sandbox.updateContact(org, vikram.contact_id, { billing_address: { country: 'Germany' } });
      expect((await h.core.runAndWait(syncId, 'manual')).counts).toMatchObject({ exited: 1, deleted: 0 });
      expect((await h.core.runAndWait(syncId, 'manual')).counts).toMatchObject({ exited: 0, deleted: 0 });
      h.sandbox.deleteContact(org, vikram.contact_id);
      const r = await h.core.runAndWait(syncId, 'manual');
      expect(r.counts).toMatchObject({ exited: 0, deleted: 1 });
      expect((await members(h, listId)).map((m) => m.email)).not.toContain(`vikram.${exitPolicy}@example.in`);
    });
  }
});

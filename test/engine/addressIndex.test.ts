// A first import into an empty or small address book writes its contacts without the address
// index and builds it at its end (store/contacts.ts). These tests hold it to the same outcomes as a run with
// the index in place, and check what ends the deferral early: a mark by hand, another sync's run,
// and a restart after the process died mid-import.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, tableRows, userVisibleState, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';
import { deferrableBookSize } from '../../main/core/store/contacts';
import type { GuardFacts } from '../../main/core/store';

// 3,000 records in pages of 200, written in batches of 600: a file duplicate, a role address and
// an invalid one both within a batch and batches apart, and the addresses the tests mark by hand.
const people = Array.from({ length: 3000 }, (_, i) => {
  if (i === 2500) return fixture('Early Again', 'P10@Example.org'); // p10's address, four batches later
  if (i === 15) return fixture('Near Again', 'p11@example.org'); // p11's address, same batch
  if (i === 1200) return fixture('Info Desk', 'info@example.org');
  if (i === 1300) return fixture('Broken Address', 'broken@@example.org');
  return fixture(`P${i} Lee`, `p${i}@example.org`);
});
const organization = { organization_id: '7600001', name: 'First import', contacts: people };
// Another organization with 100 of the same people, the ones the first import meets last.
const branch = { organization_id: '7600002', name: 'Branch office', contacts: Array.from({ length: 100 }, (_, i) => fixture(`Q${i} Lee`, `p${2900 + i}@example.org`)) };

const hasAddressIndex = (h: Harness) =>
  tableRows(h.core, `SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'contacts_email'`).length === 1;

/** Every outcome of the run, keyed by the Zoho contact it came from. */
function outcomesOf(h: Harness, runId: number | null): unknown[] {
  return tableRows(h.core, `SELECT source_id, outcome, reason, email, detail FROM run_outcomes WHERE run_id = ${Number(runId)} ORDER BY source_id`);
}

describe('a first import into an empty or small address book', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function start(): Promise<{ h: Harness; accountId: string }> {
    h = await createHarness({ organizations: [organization, branch], batchRecords: 600 });
    return { h, accountId: await h.addAccount() };
  }

  /** Addresses marked by hand before the first import: the run must find them although it defers the index. */
  async function markBefore(h: Harness): Promise<void> {
    await h.call('contacts.mark', { email: 'p3@example.org', state: 'bounced' });
    await h.call('contacts.mark', { email: 'p7@example.org', state: 'do-not-mail' });
    await h.call('contacts.mark', { email: 'p9@example.org', state: 'active' });
    await h.call('contacts.mark', { email: 'someone.else@example.net', state: 'bounced' });
  }

  /** The run's index checks, one per written batch. */
  function watchIndex(h: Harness): { seen: boolean[]; off: () => void } {
    const seen: boolean[] = [];
    const off = h.core.events.on('run.progress', (p) => {
      if (p.phase === 'reading' && p.counts.total > 0) seen.push(hasAddressIndex(h));
    });
    return { seen, off };
  }

  it('builds the address index at its end, with the same outcomes as a run that had it all along', async () => {
    const { h, accountId } = await start();
    // Reference: a book past the size that defers the index, so the index stays in place.
    await markBefore(h);
    const filler = h.core.store.db.prepare(`INSERT INTO contacts (email, state, created_at, updated_at) VALUES (?, 'active', 'x', 'x')`);
    h.core.store.transaction(() => {
      for (let i = 0; i < deferrableBookSize; i++) filler.run(`filler${i}@example.com`);
    });
    const watchReference = watchIndex(h);
    const reference = await h.core.runAndWait(await h.addSync({ accountId, listId: await h.addList('Reference') }), 'manual');
    watchReference.off();
    expect(new Set(watchReference.seen)).toEqual(new Set([true]));
    const expected = outcomesOf(h, reference.runId);
    const expectedContacts = tableRows(h.core, `SELECT email, state, first_name, last_name, fields FROM contacts WHERE email NOT LIKE 'filler%' ORDER BY email`);
    await h.close();

    const { h: fresh, accountId: freshAccount } = await start();
    await markBefore(fresh);
    const syncId = await fresh.addSync({ accountId: freshAccount, listId: await fresh.addList('Reference') });
    const watch = watchIndex(fresh);
    const run = await fresh.core.runAndWait(syncId, 'manual');
    watch.off();
    expect(run.status).toBe('succeeded');
    expect(watch.seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(watch.seen)).toEqual(new Set([false]));
    expect(hasAddressIndex(fresh)).toBe(true);
    expect(run.counts).toMatchObject({ total: 3000, new: 2993, duplicate: 1, ignored: 6 });
    expect(run.counts.ignored_by_reason).toMatchObject({ file_duplicate: 2, group: 1, invalid: 1, bounced: 1, do_not_mail: 1 });
    expect(outcomesOf(fresh, run.runId)).toEqual(expected);
    expect(userVisibleState(fresh.core).contacts).toEqual(expectedContacts);
    // The index is the real thing: a second row of an address is refused.
    expect(() => tableRows(fresh.core, `INSERT INTO contacts (email, state, created_at, updated_at) VALUES ('p1@example.org', 'active', 'x', 'x') RETURNING id`))
      .toThrow(/UNIQUE constraint failed: contacts\.email/);

    // The next run looks every address up again: all duplicates but the suppressed ones and the
    // file duplicates. It is not a first import: it keeps the index, the book's size aside.
    const watchSecond = watchIndex(fresh);
    const second = await fresh.core.runAndWait(syncId, 'manual');
    watchSecond.off();
    expect(second.counts).toMatchObject({ total: 3000, new: 0, duplicate: 2994 });
    expect(watchSecond.seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(watchSecond.seen)).toEqual(new Set([true]));
  });

  it('builds the index at once when an address is marked by hand during the import, which then goes on with lookups', async () => {
    const { h, accountId } = await start();
    const syncId = await h.addSync({ accountId, listId: await h.addList() });
    let marked: Promise<unknown> | null = null;
    const indexAfterMark: boolean[] = [];
    const off = h.core.events.on('run.progress', (p) => {
      if (p.phase !== 'reading' || p.counts.total === 0) return;
      if (marked === null) {
        expect(hasAddressIndex(h)).toBe(false);
        // One address the run already wrote, one it has yet to meet.
        marked = h.call('contacts.mark', { email: 'p1@example.org', state: 'bounced' })
          .then(() => h.call('contacts.mark', { email: 'p2900@example.org', state: 'do-not-mail' }));
      } else {
        indexAfterMark.push(hasAddressIndex(h));
      }
    });
    const run = await h.core.runAndWait(syncId, 'manual');
    off();
    await marked;
    expect(run.status).toBe('succeeded');
    expect(indexAfterMark.length).toBeGreaterThan(0);
    expect(new Set(indexAfterMark)).toEqual(new Set([true]));
    expect(run.counts).toMatchObject({ total: 3000, new: 2995 });
    expect(run.counts.ignored_by_reason).toMatchObject({ do_not_mail: 1, file_duplicate: 2 });
    expect(tableRows(h.core, `SELECT email, state FROM contacts WHERE email IN ('p1@example.org', 'p2900@example.org') ORDER BY email`)).toEqual([
      { email: 'p1@example.org', state: 'bounced' },
      { email: 'p2900@example.org', state: 'do-not-mail' },
    ]);
    expect(tableRows(h.core, 'SELECT email FROM contacts GROUP BY email HAVING COUNT(*) > 1')).toEqual([]);
    expect(tableRows(h.core, 'SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 2996 }]);
  });

  it('shares the book with another sync that starts meanwhile: one contact per address, both lists whole', async () => {
    const { h, accountId } = await start();
    const first = await h.addSync({ accountId, listId: await h.addList('First') });
    const second = await h.addSync({ accountId, listId: await h.addList('Second') });
    const [a, b] = await Promise.all([h.core.runAndWait(first, 'manual'), h.core.runAndWait(second, 'manual')]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    // Between them, each address is new exactly once.
    expect(a.counts.new + b.counts.new).toBe(2996);
    expect(a.counts.new + a.counts.duplicate).toBe(2996);
    expect(b.counts.new + b.counts.duplicate).toBe(2996);
    expect(hasAddressIndex(h)).toBe(true);
    expect(tableRows(h.core, 'SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 2996 }]);
    const members = userVisibleState(h.core).members as Array<{ list: string }>;
    expect(members.filter((m) => m.list === 'First')).toHaveLength(2996);
    expect(members.filter((m) => m.list === 'Second')).toHaveLength(2996);
  });

  it('builds the index at once when another sync writes meanwhile, so both find each other\'s contacts', async () => {
    const { h, accountId } = await start();
    const first = await h.addSync({ accountId, listId: await h.addList('First') });
    const other = await h.addSync({ accountId, listId: await h.addList('Branch'), organizationId: branch.organization_id });
    // Pages 100 ms apart: the first import reaches its last page (p2900 …) over a second after its first batch.
    h.sandbox.setFaults({ slowMs: 100 });
    let otherRun: Promise<{ status: string; counts: { new: number } }> | null = null;
    const off = h.core.events.on('run.progress', (p) => {
      if (p.syncId === first && p.phase === 'reading' && p.counts.total > 0) otherRun ??= h.core.runAndWait(other, 'manual');
    });
    const a = await h.core.runAndWait(first, 'manual');
    off();
    const b = await otherRun!;
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    // The branch's run finished while the first import was reading its early pages: its 100 people are new
    // there, and duplicates when the first import reaches them.
    expect(b.counts.new).toBe(100);
    expect(a.counts).toMatchObject({ new: 2896, duplicate: 100 });
    expect(hasAddressIndex(h)).toBe(true);
    expect(tableRows(h.core, 'SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 2996 }]);
  });

  it('leaves the index in place for a dry run', async () => {
    const { h, accountId } = await start();
    const syncId = await h.addSync({ accountId, listId: await h.addList() });
    const preview = await h.call('syncs.dryRun', { syncId });
    expect(preview.counts.new).toBe(2996);
    expect(hasAddressIndex(h)).toBe(true);
    expect(tableRows(h.core, 'SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 0 }]);
  });

  it('gets its index back when the app starts again after dying mid-import', async () => {
    const { h } = await start();
    // As a killed first import leaves it: contacts written, the index not built yet.
    h.core.store.db.exec(`DROP INDEX contacts_email; INSERT INTO contacts (email, state, created_at, updated_at) VALUES ('a@example.org', 'active', 'x', 'x')`);
    await h.reopen();
    expect(hasAddressIndex(h)).toBe(true);
    expect(h.core.store.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE email = 'a@example.org'`).all())
      .toEqual([expect.objectContaining({ detail: expect.stringContaining('USING COVERING INDEX contacts_email') })]);
  });
});

describe('a re-run looks contacts up through the sync\'s source map first', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('with the answer an address lookup gives, addresses changed in Zoho included', async () => {
    h = await createHarness({ organizations: [organization], batchRecords: 600 });
    const listId = await h.addList();
    const syncId = await h.addSync({ accountId: await h.addAccount(), listId });
    expect((await h.core.runAndWait(syncId, 'manual')).status).toBe('succeeded');
    await h.call('contacts.mark', { email: 'someone.else@example.net', state: 'bounced' });
    const id = (i: number) => people[i]!.contact_id;
    // p5 takes p6's address, p6 a new one, p7 the address marked by hand, p8 its own in capitals.
    h.sandbox.updateContact(organization.organization_id, id(5), { email: 'p6@example.org' });
    h.sandbox.updateContact(organization.organization_id, id(6), { email: 'new6@example.org' });
    h.sandbox.updateContact(organization.organization_id, id(7), { email: 'someone.else@example.net' });
    h.sandbox.updateContact(organization.organization_id, id(8), { email: 'P8@EXAMPLE.ORG' });

    const contacts = h.core.store.contacts;
    const sources = people.map((p) => p.contact_id);
    const emails = [...new Set(people.map((p, i) => ({ 5: 'p6@example.org', 6: 'new6@example.org', 7: 'someone.else@example.net' } as Record<number, string>)[i] ?? p.email!.toLowerCase()))];
    const viaSources = contacts.byEmailsViaSources(syncId, sources, emails);
    expect(viaSources).toEqual(contacts.byEmails(emails));
    // The 2,996 imported addresses but p5's and p7's (no record has them now), and the one marked by hand.
    expect(viaSources.size).toBe(2996 - 2 + 1);
    expect(viaSources.has('new6@example.org')).toBe(false);
    // Through another sync's sources, or none: still the answer by address.
    expect(contacts.byEmailsViaSources('no-such-sync', sources, emails)).toEqual(viaSources);
    expect(contacts.byEmailsViaSources(syncId, [], emails.slice(0, 50))).toEqual(contacts.byEmails(emails.slice(0, 50)));

    // Asked for, the lookup learns which contacts found through the map are in the sync's list:
    // the facts the re-subscription guard then needs no query for, as it would read them itself.
    const exitedAt = new Map<number, string | null>();
    expect(contacts.byEmailsViaSources(syncId, sources, emails, { members: { listId, exitedAt } })).toEqual(viaSources);
    const review = h.core.store.review;
    const ids = [...viaSources.values()].map((c) => c.id);
    const queried = review.guardFacts(listId, ids);
    const members = ids.filter((i) => queried.get(i)!.member);
    expect(members.length).toBeGreaterThan(2900);
    // Every member was found through the map here (only the address marked by hand was not).
    expect([...exitedAt.keys()].sort((a, b) => a - b)).toEqual(members.sort((a, b) => a - b));
    const learned = review.guardFacts(listId, ids, exitedAt);
    const asTheGuardReadsIt = (f: GuardFacts) => (f.member ? { member: true, exitedAt: f.exitedAt } : f);
    for (const i of ids) expect(asTheGuardReadsIt(learned.get(i)!)).toEqual(asTheGuardReadsIt(queried.get(i)!));
    // The contact marked by hand is no member: its facts still come from the query.
    const outsider = viaSources.get('someone.else@example.net')!;
    expect(exitedAt.has(outsider.id)).toBe(false);
    expect(learned.get(outsider.id)).toEqual(queried.get(outsider.id));

    const second = await h.core.runAndWait(syncId, 'manual');
    expect(second.counts).toMatchObject({ total: 3000, new: 1, duplicate: 2994 });
    expect(second.counts.ignored_by_reason).toMatchObject({ bounced: 1, file_duplicate: 2 });
    expect(outcomesOf(h, second.runId)).toEqual(expect.arrayContaining([
      expect.objectContaining({ source_id: id(5), outcome: 'duplicate', email: 'p6@example.org' }),
      expect.objectContaining({ source_id: id(6), outcome: 'new', email: 'new6@example.org' }),
      expect.objectContaining({ source_id: id(7), outcome: 'ignored', reason: 'bounced', email: 'someone.else@example.net' }),
      expect.objectContaining({ source_id: id(8), outcome: 'duplicate', email: 'p8@example.org' }),
    ]));
    // The source map follows the moves (a mapping already in place is not written again).
    const mapping = (i: number) => tableRows(h!.core, `SELECT c.email FROM sync_sources s JOIN contacts c ON c.id = s.contact_id WHERE s.sync_id = '${syncId}' AND s.source_id = '${id(i)}'`);
    expect([5, 6, 8, 9].map(mapping)).toEqual([
      [{ email: 'p6@example.org' }], [{ email: 'new6@example.org' }], [{ email: 'p8@example.org' }], [{ email: 'p9@example.org' }],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, userVisibleState, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';

/**
 * The ordered outcomes of sync-rules.md, run after run against the sandbox over real HTTP, with a
 * real SQLite file and the real keychain. Every expected count is readable from the fixture below.
 */
const org = '7000001';
const contacts = [
  fixture('Ana Silva', 'ana@example.com'),
  fixture('Bob Stone', 'Bob@Example.com'),
  fixture('Robert Stone', 'bob@example.com'), // same address in another case: file duplicate
  fixture('Info Desk', 'info@example.com'), // role address: group
  fixture('No Mail', ''), // empty
  fixture('Missing Mail', undefined), // empty (no field)
  fixture('John Gmail', 'johngmail.com'), // invalid: no @
  fixture('Jane Aol', 'jane@aol'), // invalid: no dot in the domain
  fixture('Carl Bounce', 'carl@example.com'), // marked bounced before the first run
  fixture('Dana Quiet', 'dana@example.com'), // marked do-not-mail before the first run
  fixture('Eve Adams', 'eve@example.com'),
  fixture('Finn Berg', 'finn@example.org'),
];

describe('outcomes over successive runs', () => {
  let h: Harness;
  let syncId: string;
  let listId: string;

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Acme Exports', contacts }] });
    const accountId = await h.addAccount();
    listId = await h.addList('Customers');
    await h.call('contacts.mark', { email: 'carl@example.com', state: 'bounced' });
    await h.call('contacts.mark', { email: 'DANA@example.com', state: 'do-not-mail' });
    syncId = await h.addSync({ accountId, listId, organizationId: org });
  });
  afterAll(() => h?.close());

  /** Runs the sync; returns the result and the phases its progress went through. */
  async function runWithPhases() {
    const phases = new Set<string>();
    const off = h.core.events.on('run.progress', (p) => {
      if (p.syncId === syncId) phases.add(p.phase);
    });
    try {
      return { r: await h.core.runAndWait(syncId, 'manual'), phases: [...phases] };
    } finally {
      off();
    }
  }

  it('first run: every record gets exactly one outcome, in the rules order', async () => {
    const { r, phases } = await runWithPhases();
    // Nothing mapped before a first import, so nothing can be missing: no deletion check.
    expect(phases).not.toContain('checking-deletions');
    expect(r.status).toBe('succeeded');
    expect(r.counts).toEqual({
      total: 12, new: 4, readded: 0, held: 0, duplicate: 0, ignored: 8, deleted: 0, exited: 0, reverted: 0,
      ignored_by_reason: { bounced: 1, do_not_mail: 1, group: 1, file_duplicate: 1, invalid: 2, empty: 2 },
    });
    const members = await h.call('lists.members', { listId, offset: 0, limit: 50 });
    expect(members.members.map((m) => m.email).sort()).toEqual(['ana@example.com', 'bob@example.com', 'eve@example.com', 'finn@example.org']);
    // Ignored records are never written as contacts: only the two suppression entries and the four new ones exist.
    expect(h.core.store.contacts.count()).toBe(6);
  });

  it('history shows each ignored record with its reason and the defect', async () => {
    const run = (await h.call('runs.history', { syncId, offset: 0, limit: 1 })).runs[0]!;
    const invalid = await h.call('runs.outcomes', { runId: run.id, outcome: 'ignored', reason: 'invalid', offset: 0, limit: 10 });
    expect(invalid.outcomes.map((o) => [o.email, o.detail])).toEqual([
      ['johngmail.com', 'The address has no @'],
      ['jane@aol', 'The address has no dot in the domain'],
    ]);
    const dup = await h.call('runs.outcomes', { runId: run.id, reason: 'file_duplicate', offset: 0, limit: 10 });
    expect(dup.outcomes[0]!.sourceName).toBe('Robert Stone');
    const group = await h.call('runs.outcomes', { runId: run.id, reason: 'group', offset: 0, limit: 10 });
    expect(group.outcomes[0]!.detail).toContain('"info@"');
    const fresh = await h.call('runs.outcomes', { runId: run.id, outcome: 'new', offset: 0, limit: 10 });
    expect(fresh.outcomes.find((o) => o.email === 'bob@example.com')!.detail).toBe('Bob@Example.com merged into bob@example.com');
  });

  it('second run: everything already here is a duplicate', async () => {
    const { r, phases } = await runWithPhases();
    expect(phases).toContain('checking-deletions');
    expect(r.counts).toMatchObject({ total: 12, new: 0, duplicate: 4, ignored: 8, readded: 0, deleted: 0 });
  });

  it('after contacts were added, edited and deleted in Zoho Invoice', async () => {
    h.sandbox.addContact(org, fixture('Gina Holm', 'gina@example.com'));
    h.sandbox.updateContact(org, contacts[10]!.contact_id, { first_name: 'Evelyn' });
    h.sandbox.deleteContact(org, contacts[11]!.contact_id);
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 12, new: 1, duplicate: 3, ignored: 8, deleted: 1 });
    const state = userVisibleState(h.core);
    expect(state.contacts).toContainEqual(expect.objectContaining({ email: 'eve@example.com', first_name: 'Evelyn' }));
    expect(state.contacts).toContainEqual(expect.objectContaining({ email: 'finn@example.org', state: 'deleted' }));
    expect(state.members).not.toContainEqual(expect.objectContaining({ email: 'finn@example.org' }));
  });

  it('a deleted contact that comes back is re-added', async () => {
    h.sandbox.addContact(org, fixture('Finn Berg', 'finn@example.org'));
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toMatchObject({ total: 13, new: 0, readded: 1, duplicate: 4, deleted: 0 });
    expect(userVisibleState(h.core).contacts).toContainEqual(expect.objectContaining({ email: 'finn@example.org', state: 'active' }));
  });

  it('a dry run computes the same counts and writes nothing', async () => {
    const before = JSON.stringify(userVisibleState(h.core));
    const runsBefore = (await h.call('runs.history', { syncId, offset: 0, limit: 1 })).total;
    h.sandbox.addContact(org, fixture('Hana Ito', 'hana@example.com'));
    const preview = await h.call('syncs.dryRun', { syncId });
    expect(preview.counts).toMatchObject({ total: 14, new: 1, duplicate: 5, ignored: 8 });
    expect(preview.sample.some((o) => o.email === 'hana@example.com' && o.outcome === 'new')).toBe(true);
    expect(JSON.stringify(userVisibleState(h.core))).toBe(before);
    expect((await h.call('runs.history', { syncId, offset: 0, limit: 1 })).total).toBe(runsBefore);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts, type RunCounts } from '../../main/common/domain/outcome';
import type { Subscription } from '../../main/common/domain/sync';
import { createHarness, tableRows, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';

/**
 * The re-subscription guard and its review queue, run after run against the sandbox over real
 * HTTP with a real SQLite file: a contact that left a list (deleted, or removed by the user) never
 * comes back silently, and do-not-mail never comes back at all.
 */

/** A run's counts: every figure zero but those given. */
function counts(c: Partial<Omit<RunCounts, 'ignored_by_reason'>> & { do_not_mail?: number }): RunCounts {
  const { do_not_mail = 0, ...rest } = c;
  const base = emptyCounts();
  return { ...base, ...rest, ignored_by_reason: { ...base.ignored_by_reason, do_not_mail } };
}

const day = (iso: string) => iso.slice(0, 10);

/** Test-side reads of what a user would see: members with their subscriptions, contacts, the queue. */
function helpers(h: () => Harness, listId: () => string) {
  const db = () => h().core.store.db;
  return {
    members: () =>
      (tableRows(h().core, `SELECT c.email FROM list_members m JOIN contacts c ON c.id = m.contact_id WHERE m.list_id = '${listId()}' ORDER BY c.email`) as Array<{ email: string }>)
        .map((r) => r.email),
    subscriptionOf: (email: string) => {
      const raw = db().prepare('SELECT m.subscription FROM list_members m JOIN contacts c ON c.id = m.contact_id WHERE m.list_id = ? AND c.email = ?').pluck().get(listId(), email) as string | null;
      return raw === null ? null : (JSON.parse(raw) as Subscription);
    },
    contact: (email: string) => db().prepare('SELECT id, state, first_name, last_name, created_at, updated_at FROM contacts WHERE email = ?').get(email) as {
      id: number; state: string; first_name: string; last_name: string; created_at: string; updated_at: string;
    },
    removedAt: (email: string) =>
      (db().prepare('SELECT r.removed_at FROM list_removals r JOIN contacts c ON c.id = r.contact_id WHERE r.list_id = ? AND c.email = ?').pluck().get(listId(), email) as string | undefined) ?? null,
    outcome: (runId: number, email: string) => db().prepare('SELECT outcome, detail, undo FROM run_outcomes WHERE run_id = ? AND email = ?').get(runId, email) as {
      outcome: string; detail: string | null; undo: string | null;
    },
    queueRows: () => db().prepare('SELECT COUNT(*) FROM review_queue').pluck().get() as number,
  };
}

/** An undo record's `at`: when the run wrote the batch (an ISO time). */
const writtenAt = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/** An outcome with its undo record parsed. */
const parsed = (o: { outcome: string; detail: string | null; undo: string | null }) => ({ ...o, undo: o.undo === null ? null : (JSON.parse(o.undo) as unknown) });

describe('re-subscription guard, sync policy "join" (the default)', () => {
  const org = '7100001';
  const people = {
    ana: fixture('Ana Silva', 'ana@example.com'),
    bob: fixture('Bob Stone', 'bob@example.com'),
    carl: fixture('Carl Quiet', 'carl@example.com'),
    dana: fixture('Dana Holm', 'dana@example.com'),
    eve: fixture('Eve Adams', 'eve@example.com'),
    finn: fixture('Finn Berg', 'finn@example.com'), // known here before the first run, on no list
  };
  const subscription: Subscription = { type: 'non-marketing', topics: [], lawfulBasis: 'contract' };
  let h: Harness;
  let listId = '';
  let syncId = '';
  const t = helpers(() => h, () => listId);

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Acme Exports', contacts: Object.values(people) }] });
    const accountId = await h.addAccount();
    listId = await h.addList('Customers');
    await h.call('contacts.mark', { email: 'finn@example.com', state: 'active' });
    syncId = await h.addSync({ accountId, listId, organizationId: org, subscription });
  });
  afterAll(() => h?.close());

  it('first run: every contact joins with the sync\'s subscription, an existing non-member too', async () => {
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 6, new: 5, duplicate: 1 }));
    expect(t.members()).toEqual(['ana@example.com', 'bob@example.com', 'carl@example.com', 'dana@example.com', 'eve@example.com', 'finn@example.com']);
    for (const email of t.members()) expect(t.subscriptionOf(email)).toEqual(subscription);
    const finn = t.outcome(r.runId!, 'finn@example.com');
    expect(finn.outcome).toBe('duplicate');
    expect(JSON.parse(finn.undo!)).toEqual({
      previousState: 'active', changes: { first_name: ['', 'Finn'], last_name: ['', 'Berg'] }, joined: true, at: t.contact('finn@example.com').updated_at,
    });
    expect(JSON.parse(t.outcome(r.runId!, 'ana@example.com').undo!)).toEqual({ created: true, joined: true, at: t.contact('ana@example.com').created_at });
  });

  it('a contact the user removed from the list comes back Re-added, saying so; do-not-mail stays out', async () => {
    h.sandbox.deleteContact(org, people.ana.contact_id);
    const bob = t.contact('bob@example.com');
    const carl = t.contact('carl@example.com');
    expect(await h.call('lists.removeMembers', { listId, contactIds: [bob.id, carl.id] })).toEqual({ removed: 2 });
    await h.call('contacts.mark', { email: 'carl@example.com', state: 'do-not-mail' });
    const removedAt = t.removedAt('bob@example.com')!;
    expect(removedAt).not.toBeNull();

    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 5, readded: 1, duplicate: 3, ignored: 1, do_not_mail: 1, deleted: 1 }));
    expect(parsed(t.outcome(r.runId!, 'bob@example.com'))).toEqual({
      outcome: 'readded',
      detail: `You removed it from this list on ${day(removedAt)}; re-added by this sync`,
      undo: { previousState: 'active', changes: {}, joined: true, removedByUserAt: removedAt, at: t.contact('bob@example.com').updated_at },
    });
    expect(t.removedAt('bob@example.com')).toBeNull();
    expect(t.members()).toEqual(['bob@example.com', 'dana@example.com', 'eve@example.com', 'finn@example.com']);
    expect(t.contact('ana@example.com').state).toBe('deleted');
    expect(t.outcome(r.runId!, 'carl@example.com')).toMatchObject({ outcome: 'ignored', detail: 'This address is marked do-not-mail' });
  });

  it('a deleted contact that returns joins at once with the sync\'s current subscription; members keep theirs', async () => {
    const sync = await h.call('syncs.get', { syncId });
    const newer: Subscription = { type: 'marketing', topics: [], lawfulBasis: 'consent' };
    await h.call('syncs.update', {
      syncId,
      edit: {
        name: sync.name, mapping: sync.mapping, updatePolicy: sync.updatePolicy, updateEmptyValues: sync.updateEmptyValues,
        schedule: sync.schedule, retrievalStart: sync.retrievalStart, subscription: newer, readdPolicy: 'join', exitPolicy: sync.exitPolicy,
      },
    });
    h.sandbox.addContact(org, fixture('Anna Silva', 'ana@example.com'));
    const deletedAt = t.contact('ana@example.com').updated_at;
    // Dana was marked "no longer matches" by an exit policy "mark" (set here by hand): matching again clears it.
    h.core.store.db.prepare(`UPDATE list_members SET exited_at = '2026-01-02T03:04:05.000Z' WHERE list_id = ? AND contact_id = ?`)
      .run(listId, t.contact('dana@example.com').id);

    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 6, readded: 1, duplicate: 4, ignored: 1, do_not_mail: 1 }));
    expect(parsed(t.outcome(r.runId!, 'ana@example.com'))).toEqual({
      outcome: 'readded', detail: `Deleted on ${day(deletedAt)}; re-added by this sync`,
      undo: { previousState: 'deleted', changes: { first_name: ['Ana', 'Anna'] }, joined: true, at: t.contact('ana@example.com').updated_at },
    });
    expect(t.contact('ana@example.com')).toMatchObject({ state: 'active', first_name: 'Anna' });
    expect(t.subscriptionOf('ana@example.com')).toEqual(newer);
    expect(t.subscriptionOf('dana@example.com')).toEqual(subscription);
    expect(t.subscriptionOf('bob@example.com')).toEqual(subscription);
    expect(h.core.store.db.prepare('SELECT exited_at FROM list_members WHERE list_id = ? AND contact_id = ?').pluck().get(listId, t.contact('dana@example.com').id)).toBeNull();
    expect(JSON.parse(t.outcome(r.runId!, 'dana@example.com').undo!)).toEqual({
      previousState: 'active', changes: {}, joined: false, previousExitedAt: '2026-01-02T03:04:05.000Z', at: writtenAt,
    });
    // A plain duplicate changed nothing: no write time, nothing for undo.
    expect(JSON.parse(t.outcome(r.runId!, 'eve@example.com').undo!)).toEqual({ previousState: 'active', changes: {}, joined: false });
    expect(t.members()).not.toContain('carl@example.com');
    expect(t.queueRows()).toBe(0);
  });
});

describe('re-subscription guard, sync policy "review": the review queue', () => {
  const org = '7100002';
  const people = {
    ana: fixture('Ana Silva', 'ana@example.net'),
    bob: fixture('Bob Stone', 'bob@example.net'),
    carl: fixture('Carl Quiet', 'carl@example.net'),
    dana: fixture('Dana Holm', 'dana@example.net'),
    eve: fixture('Eve Adams', 'eve@example.net'),
    gus: fixture('Gus Lund', 'gus@example.net'),
  };
  const subscription: Subscription = { type: 'marketing', topics: [], lawfulBasis: 'legitimate-interests' };
  let h: Harness;
  let listId = '';
  let syncId = '';
  const t = helpers(() => h, () => listId);
  const id = (email: string) => t.contact(email).id;
  const pending = async () => (await h.call('review.list', { syncId, status: 'pending' })).items;

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Acme Labs', contacts: Object.values(people) }] });
    const accountId = await h.addAccount();
    listId = await h.addList('Newsletter');
    syncId = await h.addSync({ accountId, listId, organizationId: org, subscription, readdPolicy: 'review' });
  });
  afterAll(() => h?.close());

  it('first run: all new', async () => {
    expect((await h.core.runAndWait(syncId, 'manual')).counts).toEqual(counts({ total: 6, new: 6 }));
  });

  it('contacts the user removed are Held, queued once, and the list stays as it is', async () => {
    h.sandbox.deleteContact(org, people.ana.contact_id);
    h.sandbox.deleteContact(org, people.gus.contact_id);
    await h.call('lists.removeMembers', { listId, contactIds: [id('bob@example.net'), id('dana@example.net'), id('carl@example.net')] });
    await h.call('contacts.mark', { email: 'carl@example.net', state: 'do-not-mail' });
    const bobRemovedAt = t.removedAt('bob@example.net')!;

    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 4, held: 2, duplicate: 1, ignored: 1, do_not_mail: 1, deleted: 2 }));
    expect(t.members()).toEqual(['eve@example.net']);
    const items = await pending();
    expect(items.map((i) => [i.email, i.cause, i.leftAt, i.runId, i.status])).toEqual([
      ['dana@example.net', 'removed-from-list', t.removedAt('dana@example.net'), r.runId, 'pending'],
      ['bob@example.net', 'removed-from-list', bobRemovedAt, r.runId, 'pending'],
    ]);
    const bob = t.outcome(r.runId!, 'bob@example.net');
    expect(parsed(bob)).toEqual({
      outcome: 'held',
      detail: `You removed it from this list on ${day(bobRemovedAt)}; waiting in the review queue`,
      undo: { held: true, reviewId: items[1]!.id, at: items[1]!.heldAt },
    });
    expect(t.removedAt('bob@example.net')).toBe(bobRemovedAt);
    expect((await h.call('syncs.get', { syncId })).pendingReview).toBe(2);
    const held = await h.call('runs.outcomes', { runId: r.runId!, outcome: 'held', offset: 0, limit: 10 });
    expect(held.total).toBe(2);
  });

  it('deleted contacts that return are Held too, untouched; those already waiting get no second entry', async () => {
    h.sandbox.addContact(org, fixture('Anna Silva', 'ana@example.net'));
    h.sandbox.addContact(org, fixture('Gus Lund', 'gus@example.net'));
    const anaBefore = t.contact('ana@example.net');
    const preview = await h.call('syncs.dryRun', { syncId });
    expect(preview.counts).toEqual(counts({ total: 6, held: 4, duplicate: 1, ignored: 1, do_not_mail: 1 }));

    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 6, held: 4, duplicate: 1, ignored: 1, do_not_mail: 1 }));
    expect(t.queueRows()).toBe(4);
    expect(t.contact('ana@example.net')).toEqual(anaBefore);
    expect(t.members()).toEqual(['eve@example.net']);
    const ana = (await pending()).find((i) => i.email === 'ana@example.net')!;
    // A deleted contact left when it was marked deleted: its last change.
    expect(ana).toMatchObject({ cause: 'deleted', leftAt: anaBefore.updated_at, runId: r.runId });
    expect(t.outcome(r.runId!, 'ana@example.net').detail).toMatch(/^Deleted on \d{4}-\d{2}-\d{2}; waiting in the review queue$/);
    const dana = (await pending()).find((i) => i.email === 'dana@example.net')!;
    expect(parsed(t.outcome(r.runId!, 'dana@example.net'))).toEqual({
      outcome: 'held', detail: `Waiting in the review queue since ${day(dana.heldAt)}`, undo: { held: true, reviewId: dana.id, at: writtenAt },
    });
    const list = await h.call('review.list', { syncId, offset: 0, limit: 2 });
    expect([list.total, list.pending, list.items.length]).toEqual([4, 4, 2]);
    expect(list.items.map((i) => i.id)).toEqual([...list.items.map((i) => i.id)].sort((a, b) => b - a));
  });

  it('approving one lets it join with the values read and the sync\'s subscription; rejecting one changes nothing', async () => {
    const items = await pending();
    const ana = items.find((i) => i.email === 'ana@example.net')!;
    const bob = items.find((i) => i.email === 'bob@example.net')!;
    const before = JSON.stringify({ members: t.members(), bob: t.contact('bob@example.net') });
    expect(await h.call('review.decide', { decision: 'reject', ids: [bob.id] })).toEqual({ approved: 0, rejected: 1, skipped: 0 });
    expect(JSON.stringify({ members: t.members(), bob: t.contact('bob@example.net') })).toBe(before);

    expect(await h.call('review.decide', { decision: 'approve', ids: [ana.id, bob.id, 999_999] })).toEqual({ approved: 1, rejected: 0, skipped: 2 });
    expect(t.contact('ana@example.net')).toMatchObject({ state: 'active', first_name: 'Anna', last_name: 'Silva' });
    expect(t.members()).toEqual(['ana@example.net', 'eve@example.net']);
    expect(t.subscriptionOf('ana@example.net')).toEqual(subscription);
    const source = h.core.store.db.prepare('SELECT source_id FROM sync_sources WHERE sync_id = ? AND contact_id = ?').pluck().all(syncId, id('ana@example.net'));
    expect(source).toHaveLength(1);
    expect(source[0]).not.toBe(people.ana.contact_id);
    const decided = (await h.call('review.list', { syncId, status: 'approved' })).items;
    expect(decided.map((i) => [i.email, i.status, i.decidedBy, typeof i.decidedAt])).toEqual([['ana@example.net', 'approved', 'app', 'string']]);
    expect((await h.call('syncs.get', { syncId })).pendingReview).toBe(2);
  });

  it('a rejected contact stays out in the next run: Held, with no new entry', async () => {
    const rejected = (await h.call('review.list', { syncId, status: 'rejected' })).items[0]!;
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 6, held: 3, duplicate: 2, ignored: 1, do_not_mail: 1 }));
    expect(parsed(t.outcome(r.runId!, 'bob@example.net'))).toEqual({
      outcome: 'held', detail: `Rejected in review on ${day(rejected.decidedAt!)}; stays out`,
      undo: { held: true, reviewId: rejected.id, at: writtenAt },
    });
    expect(t.queueRows()).toBe(4);
    expect(t.members()).toEqual(['ana@example.net', 'eve@example.net']);
  });

  it('approve all: every pending entry of the sync joins, except an address marked do-not-mail meanwhile', async () => {
    await h.call('contacts.mark', { email: 'gus@example.net', state: 'do-not-mail' });
    expect(await h.call('review.decide', { decision: 'approve', allPending: true, syncId })).toEqual({ approved: 1, rejected: 0, skipped: 1 });
    expect(t.members()).toEqual(['ana@example.net', 'dana@example.net', 'eve@example.net']);
    expect(t.removedAt('dana@example.net')).toBeNull();
    expect(t.contact('gus@example.net').state).toBe('do-not-mail');

    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 6, held: 1, duplicate: 3, ignored: 2, do_not_mail: 2 }));
    expect(t.members()).toEqual(['ana@example.net', 'dana@example.net', 'eve@example.net']);
  });

  it('reject all: every pending entry stays out; each decision is on record', async () => {
    await h.call('lists.removeMembers', { listId, contactIds: [id('eve@example.net')] });
    const held = await h.core.runAndWait(syncId, 'manual');
    expect(held.counts).toEqual(counts({ total: 6, held: 2, duplicate: 2, ignored: 2, do_not_mail: 2 }));
    expect((await pending()).map((i) => i.email)).toEqual(['eve@example.net', 'gus@example.net']);

    expect(await h.call('review.decide', { decision: 'reject', allPending: true })).toEqual({ approved: 0, rejected: 2, skipped: 0 });
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 6, held: 2, duplicate: 2, ignored: 2, do_not_mail: 2 }));
    expect(t.outcome(r.runId!, 'eve@example.net').detail).toMatch(/^Rejected in review on \d{4}-\d{2}-\d{2}; stays out$/);
    expect(t.outcome(r.runId!, 'gus@example.net')).toMatchObject({ outcome: 'ignored', detail: 'This address is marked do-not-mail' });
    expect(t.members()).toEqual(['ana@example.net', 'dana@example.net']);

    const all = await h.call('review.list', { syncId });
    expect([all.total, all.pending]).toEqual([5, 0]);
    expect(all.items.map((i) => [i.email, i.status, i.decidedBy])).toEqual([
      ['eve@example.net', 'rejected', 'app'],
      ['gus@example.net', 'rejected', 'app'],
      ['ana@example.net', 'approved', 'app'],
      ['dana@example.net', 'approved', 'app'],
      ['bob@example.net', 'rejected', 'app'],
    ]);
    expect((await h.call('syncs.get', { syncId })).pendingReview).toBe(0);
  });
});

/** Switches a sync's re-subscription policy, everything else as it is. */
async function setReaddPolicy(h: Harness, syncId: string, readdPolicy: 'join' | 'review'): Promise<void> {
  const sync = await h.call('syncs.get', { syncId });
  await h.call('syncs.update', {
    syncId,
    edit: {
      name: sync.name, mapping: sync.mapping, updatePolicy: sync.updatePolicy, updateEmptyValues: sync.updateEmptyValues,
      schedule: sync.schedule, retrievalStart: sync.retrievalStart, subscription: sync.subscription, readdPolicy, exitPolicy: sync.exitPolicy,
    },
  });
}

describe('re-subscription guard: a contact deleted in Zoho Invoice while another list keeps it', () => {
  const orgA = '7100003';
  const orgB = '7100004';
  const ana = fixture('Ana Silva', 'ana@example.org');
  let h: Harness;
  let listId = '';
  let syncId = '';
  const t = helpers(() => h, () => listId);
  const removal = () =>
    h.core.store.db.prepare('SELECT cause, removed_at FROM list_removals WHERE list_id = ? AND contact_id = ?').get(listId, t.contact('ana@example.org').id) as
      | { cause: string; removed_at: string }
      | undefined;

  beforeAll(async () => {
    h = await createHarness({
      organizations: [
        { organization_id: orgA, name: 'Buyers Inc', contacts: [ana] },
        { organization_id: orgB, name: 'Partners Inc', contacts: [fixture('Ana Silva', 'ana@example.org')] },
      ],
    });
    const accountId = await h.addAccount();
    listId = await h.addList('Buyers');
    const partners = await h.addList('Partners');
    syncId = await h.addSync({ accountId, listId, organizationId: orgA, readdPolicy: 'review' });
    const other = await h.addSync({ accountId, listId: partners, organizationId: orgB });
    expect((await h.core.runAndWait(syncId, 'manual')).counts).toEqual(counts({ total: 1, new: 1 }));
    expect((await h.core.runAndWait(other, 'manual')).counts).toEqual(counts({ total: 1, duplicate: 1 }));
  });
  afterAll(() => h?.close());

  it('it leaves the list and stays active; its removal is remembered, and undo clears it again', async () => {
    h.sandbox.deleteContact(orgA, ana.contact_id);
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 0, deleted: 1 }));
    expect(t.members()).toEqual([]);
    expect(t.contact('ana@example.org').state).toBe('active');
    expect(removal()).toEqual({ cause: 'deleted', removed_at: writtenAt });
    expect(JSON.parse(t.outcome(r.runId!, 'ana@example.org').undo!)).toMatchObject({ left: true, markedDeleted: false, wroteRemoval: true, at: removal()!.removed_at });

    expect((await h.call('runs.undo', { runId: r.runId! })).counts.reverted).toBe(1);
    expect(t.members()).toEqual(['ana@example.org']);
    expect(removal()).toBeUndefined();
  });

  it('when it returns it is held as deleted; with policy "join" it is re-added, saying so; undo puts the removal back', async () => {
    // Undo brought its source back: the next full read sees the deletion again.
    expect((await h.core.runAndWait(syncId, 'manual')).counts).toEqual(counts({ total: 0, deleted: 1 }));
    const removedAt = removal()!.removed_at;
    h.sandbox.addContact(orgA, fixture('Ana Silva', 'ana@example.org'));

    const held = await h.core.runAndWait(syncId, 'manual');
    expect(held.counts).toEqual(counts({ total: 1, held: 1 }));
    expect(t.outcome(held.runId!, 'ana@example.org').detail).toBe(`Deleted in Zoho Invoice on ${day(removedAt)}; waiting in the review queue`);
    expect((await h.call('review.list', { syncId, status: 'pending' })).items.map((i) => [i.cause, i.leftAt])).toEqual([['deleted', removedAt]]);
    expect(t.members()).toEqual([]);

    await setReaddPolicy(h, syncId, 'join');
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.counts).toEqual(counts({ total: 1, readded: 1 }));
    expect(parsed(t.outcome(r.runId!, 'ana@example.org'))).toEqual({
      outcome: 'readded', detail: `Deleted in Zoho Invoice on ${day(removedAt)}; re-added by this sync`,
      undo: { previousState: 'active', changes: {}, joined: true, removal: { at: removedAt, cause: 'deleted', undoneRun: null }, at: writtenAt },
    });
    expect(t.members()).toEqual(['ana@example.org']);
    expect(removal()).toBeUndefined();
    expect(t.queueRows()).toBe(0);

    const undo = await h.call('runs.undo', { runId: r.runId! });
    expect((await h.call('runs.outcomes', { runId: undo.id, offset: 0, limit: 10 })).outcomes.map((o) => o.detail)).toEqual([
      `Undid Re-added of run #${r.runId}: left the list, its earlier removal from the list stands again`,
    ]);
    expect(removal()).toEqual({ cause: 'deleted', removed_at: removedAt });
    expect(t.members()).toEqual([]);
  });
});

describe('re-subscription guard: review decisions hold for the list, whichever sync brings the contact back', () => {
  const orgA = '7100005';
  const orgB = '7100006';
  let h: Harness;
  let listId = '';
  let first = '';
  let second = '';
  const t = helpers(() => h, () => listId);

  beforeAll(async () => {
    h = await createHarness({
      organizations: [
        { organization_id: orgA, name: 'North Ltd', contacts: [fixture('Ana Silva', 'ana@example.co')] },
        { organization_id: orgB, name: 'South Ltd', contacts: [fixture('Ana Silva', 'ana@example.co')] },
      ],
    });
    const accountId = await h.addAccount();
    listId = await h.addList('Shared');
    first = await h.addSync({ accountId, listId, organizationId: orgA, readdPolicy: 'review' });
    second = await h.addSync({ accountId, listId, organizationId: orgB, readdPolicy: 'review' });
  });
  afterAll(() => h?.close());

  it('a second sync sees the entry already waiting, and then the rejection', async () => {
    expect((await h.core.runAndWait(first, 'manual')).counts).toEqual(counts({ total: 1, new: 1 }));
    expect((await h.core.runAndWait(second, 'manual')).counts).toEqual(counts({ total: 1, duplicate: 1 }));
    await h.call('lists.removeMembers', { listId, contactIds: [t.contact('ana@example.co').id] });
    expect((await h.core.runAndWait(first, 'manual')).counts).toEqual(counts({ total: 1, held: 1 }));
    const entry = (await h.call('review.list', { status: 'pending' })).items[0]!;

    const waiting = await h.core.runAndWait(second, 'manual');
    expect(waiting.counts).toEqual(counts({ total: 1, held: 1 }));
    expect(t.outcome(waiting.runId!, 'ana@example.co').detail).toBe(`Waiting in the review queue since ${day(entry.heldAt)}`);
    expect(t.queueRows()).toBe(1);

    expect(await h.call('review.decide', { decision: 'reject', allPending: true })).toEqual({ approved: 0, rejected: 1, skipped: 0 });
    const decidedAt = (await h.call('review.list', { status: 'rejected' })).items[0]!.decidedAt!;
    // Even a sync whose policy lets returning contacts join at once honours the rejection.
    await setReaddPolicy(h, second, 'join');
    const r = await h.core.runAndWait(second, 'manual');
    expect(r.counts).toEqual(counts({ total: 1, held: 1 }));
    expect(t.outcome(r.runId!, 'ana@example.co').detail).toBe(`Rejected in review on ${day(decidedAt)}; stays out`);
    expect(t.members()).toEqual([]);
    expect(t.queueRows()).toBe(1);
  });
});

describe('review: approve all with the same contact waiting for two lists', () => {
  const orgA = '7100007';
  const orgB = '7100008';
  const ana = fixture('Ana Silva', 'ana@example.me');
  const anaB = fixture(' Silva', 'ana@example.me'); // no first name here
  let h: Harness;
  let lists: string[] = [];
  let syncs: string[] = [];

  beforeAll(async () => {
    h = await createHarness({
      organizations: [
        { organization_id: orgA, name: 'East Co', contacts: [ana] },
        { organization_id: orgB, name: 'West Co', contacts: [anaB] },
      ],
    });
    const accountId = await h.addAccount();
    lists = [await h.addList('East'), await h.addList('West')];
    syncs = [
      await h.addSync({ accountId, listId: lists[0]!, organizationId: orgA, readdPolicy: 'review' }),
      await h.addSync({ accountId, listId: lists[1]!, organizationId: orgB, readdPolicy: 'review' }),
    ];
  });
  afterAll(() => h?.close());

  it('each approval merges into the contact as the one before left it', async () => {
    for (const s of syncs) expect((await h.core.runAndWait(s, 'manual')).status).toBe('succeeded');
    const id = h.core.store.contacts.byEmail('ana@example.me')!.id;
    for (const listId of lists) await h.call('lists.removeMembers', { listId, contactIds: [id] });
    h.sandbox.updateContact(orgA, ana.contact_id, { first_name: 'Anna' });
    h.sandbox.updateContact(orgB, anaB.contact_id, { last_name: 'Souza' });
    for (const s of syncs) expect((await h.core.runAndWait(s, 'manual')).counts).toEqual(counts({ total: 1, held: 1 }));

    expect(await h.call('review.decide', { decision: 'approve', allPending: true })).toEqual({ approved: 2, rejected: 0, skipped: 0 });
    expect(h.core.store.contacts.byEmail('ana@example.me')).toMatchObject({ state: 'active', first_name: 'Anna', last_name: 'Souza' });
  });
});

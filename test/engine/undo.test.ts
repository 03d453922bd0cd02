import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../main/common/contract';
import { cli } from '../support/cli';
import { createHarness, userVisibleState, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';
import { ManualTime } from '../../main/core/schedule/manualTime';

/**
 * Undo a run: what one run did to its list is put back from its outcomes' undo records, unless a
 * later run or a change by hand touched the same contacts; the undo is a run of its own.
 */
const org = '7400001';
const contacts = [
  fixture('Ana Silva', 'ana@example.com'),
  fixture('Ben Okafor', 'ben@example.com'),
  fixture('Cleo Park', 'cleo@example.com'),
  fixture('Info Desk', 'info@example.com'), // ignored (group): nothing to undo
];

async function refusal(h: Harness, runId: number): Promise<ContractError> {
  try {
    await h.call('runs.undo', { runId });
  } catch (error) {
    return error as ContractError;
  }
  throw new Error(`run #${runId} was undone`);
}

describe('undo a run', () => {
  let h: Harness;
  let syncId: string;
  let listId: string;
  const members = () => (userVisibleState(h.core).members as Array<{ list: string; email: string }>).filter((m) => m.list === 'Customers').map((m) => m.email);
  const states = () => Object.fromEntries((userVisibleState(h.core).contacts as Array<{ email: string; state: string }>).map((c) => [c.email, c.state]));
  const run = async () => {
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.status).toBe('succeeded');
    return r;
  };

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Undo Ltd', contacts }] });
    const accountId = await h.addAccount();
    listId = await h.addList('Customers');
    syncId = await h.addSync({ accountId, listId, organizationId: org });
  });
  afterAll(() => h?.close());

  let first = 0;
  let firstUndo = 0;

  it('undo of a first import leaves the list empty; a re-run counts Re-added, not New', async () => {
    first = (await run()).runId!;
    expect(members()).toEqual(['ana@example.com', 'ben@example.com', 'cleo@example.com']);
    expect(await h.call('runs.undoCheck', { runId: first })).toEqual({ undoable: true, reason: null, contacts: 3 });

    const finished: number[] = [];
    const off = h.core.events.on('run.finished', (e) => finished.push(e.runId));
    const changed: string[][] = [];
    const offChanged = h.core.events.on('syncs.changed', (e) => changed.push(e.syncIds));
    const undo = await h.call('runs.undo', { runId: first });
    off();
    offChanged();
    firstUndo = undo.id;
    expect(undo).toMatchObject({ syncId, trigger: 'manual', status: 'succeeded', undoOf: first, undoneBy: null });
    expect(undo.counts).toMatchObject({ total: 0, new: 0, reverted: 3 });
    expect(finished).toEqual([undo.id]);
    expect(changed).toEqual([[syncId]]);
    expect((await h.call('runs.get', { runId: first })).undoneBy).toBe(undo.id);
    const reverted = await h.call('runs.outcomes', { runId: undo.id, outcome: 'reverted', offset: 0, limit: 10 });
    expect(reverted.outcomes.map((o) => [o.email, o.detail])).toEqual([
      ['cleo@example.com', 'Undid New of run #' + first + ': left the list, marked deleted'],
      ['ben@example.com', 'Undid New of run #' + first + ': left the list, marked deleted'],
      ['ana@example.com', 'Undid New of run #' + first + ': left the list, marked deleted'],
    ]);

    expect(members()).toEqual([]);
    expect(states()).toEqual({ 'ana@example.com': 'deleted', 'ben@example.com': 'deleted', 'cleo@example.com': 'deleted' });

    const again = await run();
    expect(again.counts).toMatchObject({ total: 4, new: 0, readded: 3, duplicate: 0, ignored: 1 });
    expect(members()).toEqual(['ana@example.com', 'ben@example.com', 'cleo@example.com']);
  });

  it('an undone run, and an undo run, cannot be undone', async () => {
    const check = await h.call('runs.undoCheck', { runId: first });
    expect(check).toEqual({ undoable: false, reason: `Run #${first} was already undone by run #${firstUndo}.`, contacts: 3 });
    const refused = await refusal(h, first);
    expect(refused).toMatchObject({ code: 'conflict', message: `Run #${first} was already undone by run #${firstUndo}.` });
    expect((await h.call('runs.undoCheck', { runId: firstUndo })).reason).toBe(`Run #${firstUndo} is itself the undo of run #${first}; it cannot be undone.`);
    await expect(h.call('runs.undo', { runId: 999 })).rejects.toMatchObject({ code: 'not-found' });
  });

  let readd = 0;
  let deletion = 0;
  let redeleted = 0;
  const memberRow = (email: string) => {
    const contact = h.core.store.contacts.byEmail(email)!;
    return h.core.store.db.prepare('SELECT * FROM list_members WHERE list_id = ? AND contact_id = ?').get(listId, contact.id);
  };

  it('undo of a run with deletions puts them back: in the list, active, and still watched for deletion', async () => {
    readd = (await h.call('runs.history', { syncId, offset: 0, limit: 1 })).runs[0]!.id;
    const cleoBefore = memberRow('cleo@example.com');
    expect(cleoBefore).toMatchObject({ added_run_id: readd });
    h.sandbox.deleteContact(org, contacts[2]!.contact_id);
    const r = await run();
    deletion = r.runId!;
    expect(r.counts).toMatchObject({ total: 3, duplicate: 2, deleted: 1 });
    expect(states()['cleo@example.com']).toBe('deleted');

    // Only the deletion changed something: the two plain duplicates are nothing to undo.
    expect(await h.call('runs.undoCheck', { runId: deletion })).toEqual({ undoable: true, reason: null, contacts: 1 });
    const undo = await h.call('runs.undo', { runId: deletion });
    expect(undo.counts.reverted).toBe(1);
    const reverted = await h.call('runs.outcomes', { runId: undo.id, offset: 0, limit: 10 });
    expect(reverted.outcomes.map((o) => [o.outcome, o.email, o.detail])).toEqual([
      ['reverted', 'cleo@example.com', `Undid Deleted of run #${deletion}: back in the list, active again`],
    ]);
    expect(members()).toEqual(['ana@example.com', 'ben@example.com', 'cleo@example.com']);
    expect(states()['cleo@example.com']).toBe('active');
    // The membership the deletion took away, as it was.
    expect(memberRow('cleo@example.com')).toEqual(cleoBefore);

    // Its source mapping is back too: the next full read sees the deletion again.
    const next = await run();
    redeleted = next.runId!;
    expect(next.counts).toMatchObject({ duplicate: 2, deleted: 1 });
  });

  it('refused after later runs changed the same contacts, with the reason; undoing the later one first works', async () => {
    expect((await run()).counts).toMatchObject({ duplicate: 2 }); // plain duplicates: no conflict
    h.sandbox.updateContact(org, contacts[0]!.contact_id, { first_name: 'Anna' });
    h.sandbox.updateContact(org, contacts[1]!.contact_id, { first_name: 'Benedikt' });
    const later = await run();
    expect(later.counts).toMatchObject({ duplicate: 2 });

    // The re-added run: Cleo was deleted since (the undone deletion run and its undo do not count), Ana and Ben renamed.
    const reason = `Run #${readd} cannot be undone: 2 later runs (first #${redeleted}) changed 3 of its contacts since, e.g. cleo@example.com (Deleted).`;
    expect(await h.call('runs.undoCheck', { runId: readd })).toEqual({ undoable: false, reason, contacts: 3 });
    expect(await refusal(h, readd)).toMatchObject({ code: 'conflict', message: reason });

    const undo = await h.call('runs.undo', { runId: later.runId! });
    expect(undo.counts.reverted).toBe(2);
    const names = (userVisibleState(h.core).contacts as Array<{ email: string; first_name: string }>).map((c) => [c.email, c.first_name]);
    expect(names).toEqual([['ana@example.com', 'Ana'], ['ben@example.com', 'Ben'], ['cleo@example.com', 'Cleo']]);
    const details = (await h.call('runs.outcomes', { runId: undo.id, offset: 0, limit: 10 })).outcomes.map((o) => [o.email, o.detail]);
    expect(details).toEqual([
      ['ben@example.com', `Undid Duplicate of run #${later.runId}: first_name restored`],
      ['ana@example.com', `Undid Duplicate of run #${later.runId}: first_name restored`],
    ]);
  });

  it('refused when a contact was changed by hand after the run', async () => {
    h.sandbox.updateContact(org, contacts[0]!.contact_id, { first_name: 'Ana' });
    h.sandbox.updateContact(org, contacts[1]!.contact_id, { first_name: 'Ben' });
    h.sandbox.updateContact(org, contacts[0]!.contact_id, { last_name: 'Souza' });
    const r = await run();
    expect(r.counts).toMatchObject({ duplicate: 2 });
    await h.call('contacts.mark', { email: 'ana@example.com', state: 'do-not-mail' });
    const check = await h.call('runs.undoCheck', { runId: r.runId! });
    expect(check).toEqual({
      undoable: false, contacts: 1,
      reason: `Run #${r.runId} cannot be undone: one of its contacts was changed by hand since, e.g. ana@example.com (its state or fields).`,
    });
    await h.call('contacts.mark', { email: 'ana@example.com', state: 'active' });
  });

  it('CLI: run undo --check and run undo, with --json', async () => {
    const r = await run();
    expect(r.counts).toMatchObject({ duplicate: 2, readded: 0 });
    h.sandbox.addContact(org, fixture('Devi Rao', 'devi@example.com'));
    const added = (await run()).runId!;
    await h.core.close(); // the CLI takes the data folder's lock

    const check = await cli(h.dataDir, ['run', 'undo', String(added), '--check']);
    expect(check.json).toEqual({ run_id: added, undoable: true, reason: null, contacts: 1 });
    expect(check.code, check.stderr).toBe(0);
    const undo = await cli(h.dataDir, ['run', 'undo', String(added)]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.json).toMatchObject({ run_id: added + 1, sync_id: syncId, status: 'succeeded', trigger: 'manual', undo_of: added, reverted: 1 });
    const again = await cli(h.dataDir, ['run', 'undo', String(added), '--check']);
    expect(again.code).toBe(1);
    expect(again.json).toEqual({ run_id: added, undoable: false, reason: `Run #${added} was already undone by run #${added + 1}.`, contacts: 1 });
    const refused = await cli(h.dataDir, ['run', 'undo', String(added)]);
    expect(refused.code).toBe(1);
    expect(refused.json).toEqual({ error: { code: 'conflict', message: `Run #${added} was already undone by run #${added + 1}.` } });
    expect(refused.stderr).toBe(`listsync: Run #${added} was already undone by run #${added + 1}.\n`);

    await h.reopen();
    expect(states()['devi@example.com']).toBe('deleted');
    expect(members()).not.toContain('devi@example.com');
  }, 120_000); // four CLI processes, each opening the database
});

describe('undo never overrides a bounced or do-not-mail mark', () => {
  const org = '7400002';
  // More records than one batch holds (2,000 here): the run writes at least two batches.
  const people = Array.from({ length: 2100 }, (_, i) => fixture(`P${i} Lee`, `p${i}@example.org`));
  let h: Harness;
  let syncId = '';
  let runId = 0;
  let writtenAt = '';
  const contact = (email: string) => h.core.store.contacts.byEmail(email)!;

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Many Ltd', contacts: people }], batchRecords: 2000 });
    const accountId = await h.addAccount();
    syncId = await h.addSync({ accountId, listId: await h.addList('Everyone'), organizationId: org });
  });
  afterAll(() => h?.close());

  it('a contact marked do-not-mail while the run still went on makes undo refuse', async () => {
    let markedAt: string | null = null;
    const off = h.core.events.on('run.progress', (p) => {
      if (markedAt !== null || p.counts.new === 0) return;
      // By hand, after the batch that brought p0 in was written (its creation), before the next one.
      writtenAt = contact('p0@example.org').created_at;
      markedAt = new Date(Math.max(Date.now(), Date.parse(writtenAt) + 1)).toISOString();
      h.core.store.contacts.mark('p0@example.org', 'do-not-mail', markedAt);
    });
    const r = await h.core.runAndWait(syncId, 'manual');
    off();
    runId = r.runId!;
    expect(r.counts).toMatchObject({ total: 2100, new: 2100 });
    expect(markedAt! < (await h.call('runs.get', { runId })).finishedAt!).toBe(true);

    const reason = `Run #${runId} cannot be undone: one of its contacts was changed by hand since, e.g. p0@example.org (its state or fields).`;
    expect(await h.call('runs.undoCheck', { runId })).toEqual({ undoable: false, reason, contacts: 2100 });
    expect(await refusal(h, runId)).toMatchObject({ code: 'conflict', message: reason });
    expect(contact('p0@example.org').state).toBe('do-not-mail');
  });

  it('an undo that goes ahead leaves the mark as it is, and the contact out of the list', async () => {
    // A mark in the very millisecond of the write cannot be told from it: undo goes ahead, and keeps the mark.
    h.core.store.db.prepare(`UPDATE contacts SET updated_at = ? WHERE email = 'p0@example.org'`).run(writtenAt);
    const undo = await h.call('runs.undo', { runId });
    expect(undo.counts.reverted).toBe(2100);
    expect(contact('p0@example.org').state).toBe('do-not-mail');
    expect(contact('p1@example.org').state).toBe('deleted');
    const p0 = h.core.store.db.prepare(`SELECT detail FROM run_outcomes WHERE run_id = ? AND email = 'p0@example.org'`).pluck().get(undo.id);
    expect(p0).toBe(`Undid New of run #${runId}: left the list`);
    expect((userVisibleState(h.core).members as unknown[]).length).toBe(0);

    const again = await h.core.runAndWait(syncId, 'manual');
    expect(again.counts).toMatchObject({ total: 2100, readded: 2099, ignored: 1 });
    expect(contact('p0@example.org').state).toBe('do-not-mail');
  });
});

describe('undo takes out contacts that were here before the run: they do not come back silently', () => {
  const orgA = '7400003';
  const orgB = '7400004';
  let h: Harness;
  let listId = '';
  let syncId = '';
  const members = () =>
    (userVisibleState(h.core).members as Array<{ list: string; email: string }>).filter((m) => m.list === 'Buyers').map((m) => m.email);
  const detail = (runId: number, email: string) =>
    h.core.store.db.prepare('SELECT detail FROM run_outcomes WHERE run_id = ? AND email = ?').pluck().get(runId, email) as string;

  beforeAll(async () => {
    h = await createHarness({
      organizations: [
        { organization_id: orgA, name: 'Buyers Co', contacts: [fixture('Ana Silva', 'ana@example.dev'), fixture('Ben Okafor', 'ben@example.dev')] },
        { organization_id: orgB, name: 'Partners Co', contacts: [fixture('Ana Silva', 'ana@example.dev')] },
      ],
    });
    const accountId = await h.addAccount();
    listId = await h.addList('Buyers');
    const partners = await h.addSync({ accountId, listId: await h.addList('Partners'), organizationId: orgB });
    expect((await h.core.runAndWait(partners, 'manual')).counts).toMatchObject({ total: 1, new: 1 });
    syncId = await h.addSync({ accountId, listId, organizationId: orgA, readdPolicy: 'review' });
  });
  afterAll(() => h?.close());

  it('an existing contact the undo took out is held, naming the undo; one the undo deleted is held as deleted', async () => {
    const first = await h.core.runAndWait(syncId, 'manual');
    expect(first.counts).toMatchObject({ total: 2, new: 1, duplicate: 1 });
    const undo = await h.call('runs.undo', { runId: first.runId! });
    expect(undo.counts.reverted).toBe(2);
    expect(members()).toEqual([]);
    const anaId = h.core.store.contacts.byEmail('ana@example.dev')!.id;
    const removal = h.core.store.db.prepare('SELECT cause, removed_at, undone_run FROM list_removals WHERE list_id = ? AND contact_id = ?').get(listId, anaId) as {
      cause: string; removed_at: string; undone_run: number;
    };
    expect(removal).toEqual({ cause: 'undo', removed_at: undo.startedAt, undone_run: first.runId });
    expect(h.core.store.contacts.byEmail('ana@example.dev')!.state).toBe('active');

    const held = await h.core.runAndWait(syncId, 'manual');
    expect(held.counts).toMatchObject({ total: 2, held: 2, new: 0, duplicate: 0, readded: 0 });
    const day = removal.removed_at.slice(0, 10);
    expect(detail(held.runId!, 'ana@example.dev')).toBe(`Taken out by undoing run #${first.runId} on ${day}; waiting in the review queue`);
    expect(detail(held.runId!, 'ben@example.dev')).toBe(`Deleted on ${day}; waiting in the review queue`);
    const items = (await h.call('review.list', { syncId, status: 'pending' })).items;
    expect(items.map((i) => [i.email, i.cause, i.leftAt])).toEqual([
      ['ben@example.dev', 'deleted', removal.removed_at],
      ['ana@example.dev', 'removed-from-list', removal.removed_at],
    ]);
    expect(members()).toEqual([]);
  });
});

describe('undo: a later run that only ignored a contact does not explain its change by hand', () => {
  const org = '7400005';
  let h: Harness;
  let syncId = '';

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Few Ltd', contacts: [fixture('Xia Wu', 'xia@example.dev'), fixture('Yan Li', 'yan@example.dev')] }] });
    const accountId = await h.addAccount();
    syncId = await h.addSync({ accountId, listId: await h.addList('Few'), organizationId: org });
  });
  afterAll(() => h?.close());

  it('refused after the later run is undone, the mark still stands', async () => {
    const first = await h.core.runAndWait(syncId, 'manual');
    expect(first.counts).toMatchObject({ total: 2, new: 2 });
    await h.call('contacts.mark', { email: 'xia@example.dev', state: 'do-not-mail' });
    h.sandbox.addContact(org, fixture('Zed Ho', 'zed@example.dev'));
    const later = await h.core.runAndWait(syncId, 'manual');
    expect(later.counts).toMatchObject({ total: 3, new: 1, duplicate: 1, ignored: 1 });
    expect((await h.call('runs.undo', { runId: later.runId! })).counts.reverted).toBe(1);

    expect(await h.call('runs.undoCheck', { runId: first.runId! })).toEqual({
      undoable: false, contacts: 2,
      reason: `Run #${first.runId} cannot be undone: one of its contacts was changed by hand since, e.g. xia@example.dev (its state or fields).`,
    });
  });
});

describe('undo: a change by hand in the same millisecond as the run wrote the contact', () => {
  const org = '7400006';
  let h: Harness;
  let syncId = '';

  beforeAll(async () => {
    // The clock stands still: the run's writes and the mark that follows carry the same instant.
    h = await createHarness({
      organizations: [{ organization_id: org, name: 'Still Ltd', contacts: [fixture('Xia Wu', 'xia@example.dev')] }],
      time: new ManualTime('2026-03-01T09:00:00.000Z'),
    });
    const accountId = await h.addAccount();
    syncId = await h.addSync({ accountId, listId: await h.addList('Still'), organizationId: org });
  });
  afterAll(() => h?.close());

  it('still counts as after the run: the undo is refused', async () => {
    const run = await h.core.runAndWait(syncId, 'manual');
    expect(run.counts).toMatchObject({ total: 1, new: 1 });
    await h.call('contacts.mark', { email: 'xia@example.dev', state: 'do-not-mail' });
    expect(await h.call('runs.undoCheck', { runId: run.runId! })).toEqual({
      undoable: false, contacts: 1,
      reason: `Run #${run.runId} cannot be undone: one of its contacts was changed by hand since, e.g. xia@example.dev (its state or fields).`,
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ManualTime } from '../../main/core/schedule/manualTime';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { fixture } from '../support/fixtures';
import { createHarness, type Harness } from '../support/harness';
import { advance, runsOf } from '../support/time';

const contacts = [fixture('Asha Rao', 'asha@example.in'), fixture('Hans Meier', 'hans@example.de')];
const daily = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' } as const; // 03:30 UTC

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(time: ManualTime) {
  h = await createHarness({ time, secrets: new MemorySecretStore(), organizations: [{ organization_id: '1', name: 'Zylker', contacts }] });
  const accountId = await h.addAccount();
  const listId = await h.addList();
  return { h, accountId, listId };
}



describe('the scheduler', () => {
  it('runs a daily sync at its time each day, exactly once per slot', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    h.core.startScheduler();
    expect(h.core.store.syncs.get(syncId)?.nextRunAt).toBe('2026-01-01T03:30:00.000Z');
    await advance(h, time, '2026-01-04T00:00:00Z');
    const runs = runsOf(h, syncId);
    expect(runs.map((r) => [r.trigger, r.status, r.startedAt])).toEqual([
      ['schedule', 'succeeded', '2026-01-01T03:30:00.000Z'],
      ['schedule', 'succeeded', '2026-01-02T03:30:00.000Z'],
      ['schedule', 'succeeded', '2026-01-03T03:30:00.000Z'],
    ]);
    expect(runs[0]?.counts.new).toBe(2);
    expect(h.core.store.syncs.get(syncId)?.nextRunAt).toBe('2026-01-04T03:30:00.000Z');
  });

  it('across DST changes in both directions, a daily sync runs exactly once a day at the local time', async () => {
    const time = new ManualTime('2026-03-06T12:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const ny = await h.addSync({ accountId, listId, name: 'NY', schedule: { kind: 'daily', at: '02:30', timeZone: 'America/New_York' } });
    const sydney = await h.addSync({ accountId, listId, name: 'Sydney', schedule: { kind: 'daily', at: '02:30', timeZone: 'Australia/Sydney' } });
    h.core.startScheduler();
    await advance(h, time, '2026-03-10T12:00:00Z');
    // 03-08 has no 02:30 in New York: it runs at 03:30 EDT, once.
    expect(runsOf(h, ny).map((r) => r.startedAt)).toEqual([
      '2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z',
    ]);
    time.jumpTo('2026-10-31T12:00:00Z');
    await h.reopen();
    h.core.startScheduler(); // catch-up for the months the test skipped
    await h.core.idle();
    await advance(h, time, '2026-11-03T12:00:00Z');
    const autumn = runsOf(h, ny).slice(4);
    // 01:30–01:59 repeats on 11-01, 02:30 does not; the slot is 02:30 EST after the change.
    expect(autumn.map((r) => [r.trigger, r.startedAt])).toEqual([
      ['catch-up', '2026-10-31T12:00:00.000Z'],
      ['schedule', '2026-11-01T07:30:00.000Z'], ['schedule', '2026-11-02T07:30:00.000Z'], ['schedule', '2026-11-03T07:30:00.000Z'],
    ]);
    // Sydney left DST on 04-05 (not in range) and started it on 10-04; runs stayed daily throughout.
    const sydneyRuns = runsOf(h, sydney).filter((r) => r.trigger === 'schedule').map((r) => r.startedAt);
    expect(sydneyRuns).toEqual([
      '2026-03-06T15:30:00.000Z', '2026-03-07T15:30:00.000Z', '2026-03-08T15:30:00.000Z', '2026-03-09T15:30:00.000Z',
      '2026-10-31T15:30:00.000Z', '2026-11-01T15:30:00.000Z', '2026-11-02T15:30:00.000Z',
    ]);
  });

  it('monthly on the 31st runs on the last day of each shorter month, once', async () => {
    const time = new ManualTime('2027-01-01T00:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: { kind: 'monthly', dayOfMonth: 31, at: '23:00', timeZone: 'Europe/Berlin' } });
    h.core.startScheduler();
    await advance(h, time, '2027-05-01T00:00:00Z');
    expect(runsOf(h, syncId).map((r) => r.startedAt)).toEqual([
      '2027-01-31T22:00:00.000Z', '2027-02-28T22:00:00.000Z', '2027-03-31T21:00:00.000Z', '2027-04-30T21:00:00.000Z',
    ]);
  });

  it('runs once at start for a slot missed while closed (catch-up), however many slots were missed', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    h.core.startScheduler();
    await h.core.close();
    time.jumpTo('2026-01-05T12:00:00Z'); // four slots missed
    await h.reopen();
    h.core.startScheduler();
    await h.core.idle();
    expect(runsOf(h, syncId).map((r) => [r.trigger, r.startedAt])).toEqual([['catch-up', '2026-01-05T12:00:00.000Z']]);
    expect(h.core.store.syncs.get(syncId)?.nextRunAt).toBe('2026-01-06T03:30:00.000Z');
    // Restarting again before the next slot catches up nothing.
    await h.reopen();
    h.core.startScheduler();
    await h.core.idle();
    expect(runsOf(h, syncId)).toHaveLength(1);
  });

  it('a scheduled run that finds its sync running is skipped and recorded', async () => {
    const time = new ManualTime('2026-01-01T03:29:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    h.core.startScheduler();
    h.core.context.startRun(syncId, 'manual');
    expect(h.core.engine.isRunning(syncId)).toBe(true);
    time.advanceTo('2026-01-01T03:30:00Z');
    await h.core.idle();
    const runs = runsOf(h, syncId);
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([['manual', 'succeeded'], ['schedule', 'skipped']]);
    expect(runs[1]?.error).toMatch(/still going/);
    // The next slot runs normally.
    await advance(h, time, '2026-01-02T04:00:00Z');
    expect(runsOf(h, syncId).map((r) => r.status)).toEqual(['succeeded', 'skipped', 'succeeded']);
  });

  it('follows every change to a sync at once: edit, deactivate, activate, delete, pause', async () => {
    const time = new ManualTime('2026-11-25T10:00:00Z'); // a Wednesday
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    const once = await h.addSync({ accountId, listId, name: 'One-time', schedule: { kind: 'once' } });
    h.core.startScheduler();
    expect(h.core.scheduler.armedSyncIds()).toEqual([syncId]);
    expect(h.core.store.syncs.get(once)?.nextRunAt).toBeNull();

    const sync = await h.call('syncs.get', { syncId });
    await h.call('syncs.update', {
      syncId,
      edit: { name: sync.name, mapping: sync.mapping, updatePolicy: sync.updatePolicy, updateEmptyValues: sync.updateEmptyValues,
        retrievalStart: sync.retrievalStart, schedule: { kind: 'weekly', weekday: 'monday', at: '08:00', timeZone: 'Europe/Berlin' },
        subscription: sync.subscription, readdPolicy: sync.readdPolicy, exitPolicy: sync.exitPolicy },
    });
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBe('2026-11-30T07:00:00.000Z');

    await h.call('syncs.setActive', { syncId, active: false });
    expect(h.core.scheduler.armedSyncIds()).toEqual([]);
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBeNull();
    await advance(h, time, '2026-12-01T00:00:00Z');
    expect(runsOf(h, syncId)).toHaveLength(0);

    await h.call('syncs.setActive', { syncId, active: true });
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBe('2026-12-07T07:00:00.000Z');

    h.core.scheduler.pauseAll();
    expect(h.core.scheduler.armedSyncIds()).toEqual([]);
    await advance(h, time, '2026-12-08T00:00:00Z');
    expect(runsOf(h, syncId)).toHaveLength(0);
    h.core.scheduler.resumeAll();
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBe('2026-12-14T07:00:00.000Z');

    await h.call('syncs.delete', { syncId });
    expect(h.core.scheduler.armedSyncIds()).toEqual([]);
  });

  it('a rejected key deactivates exactly that account’s syncs; a new key keeps them inactive; Activate all restores them', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const a1 = await h.addSync({ accountId, listId, name: 'A1', schedule: daily });
    const a2 = await h.addSync({ accountId, listId, name: 'A2', schedule: { ...daily, at: '10:00' } });
    // A second account on the same sandbox (its own stored key), whose sync must stay active.
    const otherAccount = await h.addAccount('Other');
    const b1 = await h.addSync({ accountId: otherAccount, listId, name: 'B1', schedule: daily });
    h.core.startScheduler();
    await h.secrets.set(accountId, 'a-key-zoho-no-longer-accepts');
    await advance(h, time, '2026-01-01T03:31:00Z');
    const active = async (id: string) => (await h!.call('syncs.get', { syncId: id })).active;
    expect([await active(a1), await active(a2), await active(b1)]).toEqual([false, false, true]);
    expect((await h.call('syncs.get', { syncId: a2 })).inactiveReason).toMatch(/rejected the ZSC key/);
    expect(h.core.scheduler.armedSyncIds()).toEqual([b1]);

    await h.call('accounts.changeKey', { accountId, key: h.sandbox.key });
    expect([await active(a1), await active(a2)]).toEqual([false, false]);
    await h.call('syncs.activateAll', { accountId });
    expect([await active(a1), await active(a2), await active(b1)]).toEqual([true, true, true]);
    expect(h.core.scheduler.armedSyncIds().sort()).toEqual([a1, a2, b1].sort());
  });
});

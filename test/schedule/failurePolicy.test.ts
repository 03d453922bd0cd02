import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../main/common/contract';
import { watchNotifications, type DesktopNotice } from '../../main/core/desktop/desktopNotifier';
import { ManualTime } from '../../main/core/schedule/manualTime';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { fixture } from '../support/fixtures';
import { createHarness, type Harness } from '../support/harness';
import { advance, runsOf } from '../support/time';

// The failure policy with a controlled clock, the real core and the sandbox over HTTP: setup
// errors deactivate at once, transient ones are retried and counted, and a run of failed
// scheduled runs pauses the sync once.

const contacts = [fixture('Asha Rao', 'asha@example.in'), fixture('Hans Meier', 'hans@example.de')];
const daily = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' } as const; // 03:30 UTC

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(time: ManualTime) {
  h = await createHarness({
    time, secrets: new MemorySecretStore(),
    organizations: [{ organization_id: '1', name: 'Zylker', contacts }, { organization_id: '2', name: 'Zylker Labs', contacts }],
  });
  const accountId = await h.addAccount();
  const listId = await h.addList();
  return { h, accountId, listId };
}


/** Every list request fails with a reply cut off halfway (not retried: a clear failure each time). */
const failEveryRun = (harness: Harness) => harness.sandbox.setFaults({ truncateNext: 1_000 });

describe('the failure policy', () => {
  it('5 failed scheduled runs in a row pause the sync once, with the reason; a success in between resets the streak', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    const changes: EventPayload<'syncs.changed'>[] = [];
    h.core.events.on('syncs.changed', (e) => changes.push(e));
    const shown: DesktopNotice[] = [];
    watchNotifications({ events: h.core.events, lookup: h.core.store.syncs, mode: () => 'failures', show: (n) => shown.push(n) });
    h.core.startScheduler();
    const streak = () => h.core.store.syncs.get(syncId)!.failureStreak;

    failEveryRun(h);
    await advance(h, time, '2026-01-03T12:00:00Z'); // 01-01 … 01-03: three failures
    expect(streak()).toBe(3);
    h.sandbox.setFaults({});
    await advance(h, time, '2026-01-04T12:00:00Z'); // 01-04 succeeds
    expect(streak()).toBe(0);

    failEveryRun(h);
    await advance(h, time, '2026-01-06T12:00:00Z'); // 01-05, 01-06
    // A failed run started by hand neither counts nor resets.
    expect((await h.core.runAndWait(syncId, 'manual')).status).toBe('failed');
    expect(streak()).toBe(2);
    await advance(h, time, '2026-01-12T12:00:00Z'); // 01-07, 01-08, 01-09 fail; then paused: nothing more

    const runs = runsOf(h, syncId);
    expect(runs.map((r) => [r.trigger, r.status, r.startedAt.slice(0, 10)])).toEqual([
      ['schedule', 'failed', '2026-01-01'], ['schedule', 'failed', '2026-01-02'], ['schedule', 'failed', '2026-01-03'],
      ['schedule', 'succeeded', '2026-01-04'],
      ['schedule', 'failed', '2026-01-05'], ['schedule', 'failed', '2026-01-06'], ['manual', 'failed', '2026-01-06'],
      ['schedule', 'failed', '2026-01-07'], ['schedule', 'failed', '2026-01-08'], ['schedule', 'failed', '2026-01-09'],
    ]);
    const lastError = runs.at(-1)!.error!;
    expect(lastError).toMatch(/^Page 1 of contacts was malformed/);
    const reason = `Paused after 5 failed scheduled runs in a row; last error: ${lastError}`;
    const sync = await h.call('syncs.get', { syncId });
    expect(sync).toMatchObject({ active: true, paused: true, pausedReason: reason, failureStreak: 5, nextRunAt: null });
    expect(h.core.scheduler.armedSyncIds()).toEqual([]);
    // Said once: one syncs.changed with the reason, one notification (besides each failed run's own).
    expect(changes.filter((c) => c.reason !== null)).toEqual([{ syncIds: [syncId], reason }]);
    expect(shown.filter((n) => !n.title.endsWith('import failed'))).toEqual([
      { title: 'Test sync: paused', body: reason.length > 180 ? `${reason.slice(0, 177)}…` : reason, urgent: true, opens: null },
    ]);
    expect(shown.filter((n) => n.title.endsWith('import failed'))).toHaveLength(9);

    // Run now still works on a paused sync (pausing holds the schedule only); it stays paused.
    h.sandbox.setFaults({});
    await h.call('syncs.runNow', { syncId, trigger: 'manual' });
    await h.core.idle();
    expect(runsOf(h, syncId).at(-1)).toMatchObject({ trigger: 'manual', status: 'succeeded' });
    expect(await h.call('syncs.get', { syncId })).toMatchObject({ paused: true, failureStreak: 0, nextRunAt: null });

    // Resuming re-arms the next slot, and scheduled runs go on.
    expect(await h.call('syncs.setPaused', { syncId, paused: false })).toMatchObject({
      paused: false, pausedReason: null, nextRunAt: '2026-01-13T03:30:00.000Z',
    });
    expect(h.core.scheduler.armedSyncIds()).toEqual([syncId]);
    await advance(h, time, '2026-01-13T12:00:00Z');
    expect(runsOf(h, syncId).at(-1)).toMatchObject({ trigger: 'schedule', status: 'succeeded', startedAt: '2026-01-13T03:30:00.000Z' });
  });

  it('the setting decides after how many failed runs; a paused sync gets no catch-up at start', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    const settings = await h.call('settings.get', {});
    await h.call('settings.update', { ...settings, pauseAfterFailures: 2 });
    h.core.startScheduler();
    failEveryRun(h);
    await advance(h, time, '2026-01-05T12:00:00Z');
    expect(runsOf(h, syncId).map((r) => r.status)).toEqual(['failed', 'failed']);
    expect((await h.call('syncs.get', { syncId })).pausedReason).toMatch(/^Paused after 2 failed scheduled runs in a row; last error: /);

    // Closed for days while paused: no catch-up at the next start, and no next run time.
    await h.reopen();
    time.jumpTo('2026-01-09T12:00:00Z');
    h.core.startScheduler();
    await h.core.idle();
    expect(runsOf(h, syncId)).toHaveLength(2);
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBeNull();
  });

  it('429 and 5xx replies are retried with backoff and counted in the run', async () => {
    const time = new ManualTime('2026-01-01T03:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const syncId = await h.addSync({ accountId, listId, schedule: daily });
    h.core.startScheduler();
    h.sandbox.setFaults({ rateLimitBurst: { count: 2, retryAfterSec: 0 }, serverErrors: { count: 2, status: 503 } });
    await advance(h, time, '2026-01-01T04:00:00Z');
    const [run] = runsOf(h, syncId);
    expect(run).toMatchObject({ trigger: 'schedule', status: 'succeeded', retries: 4, requests: 5 });
    expect(run?.counts.new).toBe(2);
    expect(h.core.store.syncs.get(syncId)?.failureStreak).toBe(0);

    // A run that gives up after its retries records them too.
    h.sandbox.setFaults({ serverErrors: { count: 100, status: 500 } });
    const failed = await h.core.runAndWait(syncId, 'manual');
    expect(failed.error?.kind).toBe('server');
    expect(h.core.store.runs.get(failed.runId!)).toMatchObject({ status: 'failed', retries: 5, requests: 6 });
  });

  it('an organization gone deactivates only its sync, with the reason; the account’s other syncs go on', async () => {
    const time = new ManualTime('2026-01-01T03:00:00Z');
    const { h, accountId, listId } = await setup(time);
    const gone = await h.addSync({ accountId, listId, name: 'Zylker sync', organizationId: '1', schedule: daily });
    const other = await h.addSync({ accountId, listId, name: 'Labs sync', organizationId: '2', schedule: daily });
    const changes: EventPayload<'syncs.changed'>[] = [];
    h.core.events.on('syncs.changed', (e) => changes.push(e));
    const shown: DesktopNotice[] = [];
    watchNotifications({ events: h.core.events, lookup: h.core.store.syncs, mode: () => 'failures', show: (n) => shown.push(n) });
    h.core.startScheduler();
    h.sandbox.removeOrganization('1');
    await advance(h, time, '2026-01-02T12:00:00Z');

    const [failed] = runsOf(h, gone);
    expect(failed).toMatchObject({ status: 'failed', errorKind: 'organization' });
    const reason = 'Zoho Invoice no longer lets this key reach the organization "Zylker" (1): Zoho Invoice refused the request for ' +
      'page 1 of contacts (HTTP 400, code 2: Invalid value passed for organization_id). Check the organization in Zoho Invoice, ' +
      'or create a sync for another organization.';
    expect(failed?.error).toBe(reason);
    expect(await h.call('syncs.get', { syncId: gone })).toMatchObject({ active: false, inactiveReason: reason, paused: false, nextRunAt: null });
    expect(runsOf(h, gone)).toHaveLength(1); // deactivated: no run on 01-02
    expect(runsOf(h, other).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect((await h.call('syncs.get', { syncId: other })).active).toBe(true);
    expect(h.core.scheduler.armedSyncIds()).toEqual([other]);
    expect(changes.filter((c) => c.reason !== null)).toEqual([{ syncIds: [gone], reason }]);
    expect(shown.map((n) => n.title)).toEqual(['Sandbox: 1 sync deactivated', 'Zylker sync: import failed']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../main/common/contract';
import { budgetStatus } from '../../main/core/schedule/budget';
import { ManualTime } from '../../main/core/schedule/manualTime';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { createHarness, type Harness } from '../support/harness';
import { advance, runsOf } from '../support/time';

// The daily API budget with a controlled clock and the sandbox over HTTP. 1,900 contacts are 10
// pages (nine of 200, one of 100): every full read costs exactly 10 requests. Each run here reads in full, so each
// needs as many as the last one.

const org = '1';
const daily = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' } as const; // 03:30 UTC
const everyRunFull = { overlapMs: 5 * 60_000, reconcileEveryMs: 0 };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(time: ManualTime, dailyCap: number) {
  h = await createHarness({
    time, secrets: new MemorySecretStore(), readPolicy: everyRunFull,
    organizations: [{ organization_id: org, name: 'Zylker', generate: { count: 1_900, seed: 7 } }],
  });
  const accountId = await h.addAccount();
  const listId = await h.addList();
  await h.call('accounts.setBudget', { accountId, budget: { plan: 'custom', dailyCap } });
  const syncId = await h.addSync({ accountId, listId, organizationId: org, schedule: daily });
  return { h, accountId, listId, syncId };
}


const usage = (harness: Harness) =>
  harness.core.store.db.prepare('SELECT day, requests FROM api_usage WHERE organization_id = ? ORDER BY day').all(org);

describe('the daily API budget', () => {
  it('a scheduled run that would pass the cap waits with a clear status and runs when the budget resets at 00:00 UTC', async () => {
    const time = new ManualTime('2026-01-01T01:00:00Z');
    const { h, accountId, syncId } = await setup(time, 15);
    h.core.startScheduler();
    const changes: EventPayload<'syncs.changed'>[] = [];
    h.core.events.on('syncs.changed', (e) => changes.push(e));

    expect(await h.core.runAndWait(syncId, 'manual')).toMatchObject({ status: 'succeeded' });
    expect(runsOf(h, syncId)[0]).toMatchObject({ requests: 10, retries: 0 });
    // Today's use shows on the account.
    expect((await h.call('accounts.list', {})).find((a) => a.id === accountId)?.budget.usage).toEqual([{ organizationId: org, used: 10 }]);

    changes.length = 0;
    await advance(h, time, '2026-01-01T03:30:00Z'); // the slot: 10 used + about 10 needed > 15
    expect(runsOf(h, syncId)).toHaveLength(1);
    const waiting = {
      reason: "Waiting for today's API budget: 10 of 15 requests used for Zylker; this run needs about 10. It runs when the budget resets at 00:00 UTC.",
      until: '2026-01-02T00:00:00.000Z',
    };
    expect(await h.call('syncs.get', { syncId })).toMatchObject({ waiting, nextRunAt: '2026-01-02T00:00:00.000Z' });
    expect(changes.some((c) => c.syncIds.includes(syncId) && c.reason === null)).toBe(true);

    // The wait is kept across a restart, without a catch-up before its time.
    await h.reopen();
    time.jumpTo('2026-01-01T12:00:00Z');
    h.core.startScheduler();
    await h.core.idle();
    expect(runsOf(h, syncId)).toHaveLength(1);
    expect((await h.call('syncs.get', { syncId })).waiting).toEqual(waiting);

    await advance(h, time, '2026-01-02T01:00:00Z');
    expect(runsOf(h, syncId).map((r) => [r.trigger, r.status, r.startedAt, r.requests])).toEqual([
      ['manual', 'succeeded', '2026-01-01T01:00:00.000Z', 10],
      ['catch-up', 'succeeded', '2026-01-02T00:00:00.000Z', 10],
    ]);
    expect(await h.call('syncs.get', { syncId })).toMatchObject({ waiting: null, nextRunAt: '2026-01-02T03:30:00.000Z' });

    // ListSync's count is the sandbox's own count of the organization's requests.
    expect(usage(h)).toEqual([{ day: '2026-01-01', requests: 10 }, { day: '2026-01-02', requests: 10 }]);
    expect(h.sandbox.stats().byOrg[org]?.requests).toBe(20);
  });

  it('dry runs and retried requests count too, and match the sandbox’s count', async () => {
    const time = new ManualTime('2026-01-01T01:00:00Z');
    const { h, syncId } = await setup(time, 1_000);
    await h.call('syncs.dryRun', { syncId });
    h.sandbox.setFaults({ rateLimitBurst: { count: 2, retryAfterSec: 0 }, serverErrors: { count: 1, status: 502 } });
    const run = await h.core.runAndWait(syncId, 'manual');
    expect(h.core.store.runs.get(run.runId!)).toMatchObject({ status: 'succeeded', requests: 13, retries: 3 });
    expect(usage(h)).toEqual([{ day: '2026-01-01', requests: 23 }]);
    expect(h.sandbox.stats().byOrg[org]?.requests).toBe(23);
  });

  it('a run that reaches the cap stops cleanly (failed, "budget"), keeps what it wrote, is not a failure of the sync, and goes on after the reset', async () => {
    const time = new ManualTime('2026-01-01T01:00:00Z');
    const { h, listId, syncId } = await setup(time, 15);
    h.core.startScheduler();
    // A dry run uses 10 of today's 15; the sync has no run of its own yet, so it expects to need 1.
    await h.call('syncs.dryRun', { syncId });
    await advance(h, time, '2026-01-01T04:00:00Z');

    const [stopped] = runsOf(h, syncId);
    expect(stopped).toMatchObject({ trigger: 'schedule', status: 'failed', errorKind: 'budget' });
    expect(stopped?.error).toBe(
      "Today's API budget for Zylker is used up (15 of 15 requests); the run stopped and keeps what it wrote. The budget resets at 00:00 UTC.",
    );
    expect(stopped?.requests).toBeGreaterThanOrEqual(5);
    // What it wrote stays: the list holds exactly the contacts the run counted as new.
    const members = () => h.core.store.db.prepare('SELECT COUNT(*) FROM list_members WHERE list_id = ?').pluck().get(listId) as number;
    expect(stopped!.counts.new).toBeGreaterThan(0);
    expect(members()).toBe(stopped!.counts.new);

    const used = budgetStatus(h.core.store, { accountId: h.core.store.syncs.get(syncId)!.accountId, organizationId: org }, time.now());
    expect(used.exhausted).toBe(true);
    expect(await h.call('syncs.get', { syncId })).toMatchObject({
      failureStreak: 0, paused: false, nextRunAt: '2026-01-02T00:00:00.000Z',
      waiting: {
        reason: `Waiting for today's API budget: ${used.used} of 15 requests used for Zylker. It runs when the budget resets at 00:00 UTC.`,
        until: '2026-01-02T00:00:00.000Z',
      },
    });

    // Run now (the app's button) is refused with the reason before anything is recorded …
    await expect(h.call('syncs.runNow', { syncId })).rejects.toMatchObject({
      code: 'conflict',
      message: `Today's API budget for Zylker is used up (${used.used} of 15 requests); the run did not start. The budget resets at 00:00 UTC.`,
    });
    expect(runsOf(h, syncId)).toHaveLength(1);
    // … and a run started anyway (the CLI's `sync run`) does not make a request.
    const refused = await h.core.runAndWait(syncId, 'manual');
    expect(refused.error).toEqual({
      kind: 'budget',
      message: `Today's API budget for Zylker is used up (${used.used} of 15 requests); the run did not start. The budget resets at 00:00 UTC.`,
    });
    expect(h.core.store.runs.get(refused.runId!)?.requests).toBe(0);
    expect(h.core.store.syncs.get(syncId)?.failureStreak).toBe(0);

    await advance(h, time, '2026-01-02T01:00:00Z');
    const after = runsOf(h, syncId);
    expect(after.map((r) => [r.trigger, r.status, r.errorKind])).toEqual([
      ['schedule', 'failed', 'budget'], ['manual', 'failed', 'budget'], ['catch-up', 'succeeded', null],
    ]);
    expect(after[2]?.counts.new).toBe(members() - stopped!.counts.new);
    expect(after[2]?.requests).toBe(10);
    expect(await h.call('syncs.get', { syncId })).toMatchObject({ waiting: null, failureStreak: 0, nextRunAt: '2026-01-02T03:30:00.000Z' });
  });

  it('a sync that needs more than a whole day\'s cap pauses with what to do, instead of starting over every day', async () => {
    const time = new ManualTime('2026-01-01T01:00:00Z');
    const { h, syncId } = await setup(time, 10); // a full read needs 10: its last request reaches the cap
    h.core.startScheduler();
    const changes: EventPayload<'syncs.changed'>[] = [];
    h.core.events.on('syncs.changed', (e) => changes.push(e));
    await advance(h, time, '2026-01-01T04:00:00Z');

    const [stopped] = runsOf(h, syncId);
    expect(stopped).toMatchObject({ trigger: 'schedule', status: 'failed', errorKind: 'budget' });
    expect(stopped!.requests).toBeGreaterThanOrEqual(5);
    const reason = `Paused: this sync needs more than the daily API cap of 10 requests for Zylker (its last run made ${stopped!.requests} and stopped). ` +
      'Raise the cap in Accounts if your Zoho plan allows more, then resume the sync.';
    expect(await h.call('syncs.get', { syncId })).toMatchObject({ paused: true, pausedReason: reason, waiting: null, nextRunAt: null, failureStreak: 0 });
    expect(changes.filter((c) => c.reason !== null)).toEqual([{ syncIds: [syncId], reason }]);
    // Nothing more runs on the following days until the user acts.
    await advance(h, time, '2026-01-03T12:00:00Z');
    expect(runsOf(h, syncId)).toHaveLength(1);
  });
});

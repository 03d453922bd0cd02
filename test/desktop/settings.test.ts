import { afterEach, describe, expect, it } from 'vitest';
import { ContractError, type EventPayload } from '../../main/common/contract';
import { defaultAppSettings } from '../../main/common/domain/settings';
import { invokerOf } from '../../main/core/desktop/invoke';
import { readAppSettings, settingKeys, takeTrayHint } from '../../main/core/desktop/settings';
import { runTrayAction } from '../../main/core/desktop/trayPresenter';
import { ManualTime } from '../../main/core/schedule/manualTime';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { fixture } from '../support/fixtures';
import { createHarness, type Harness } from '../support/harness';
import { advance, runsOf } from '../support/time';

const daily = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' } as const; // 03:30 UTC

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(time?: ManualTime): Promise<Harness> {
  h = await createHarness({
    secrets: new MemorySecretStore(),
    organizations: [{ organization_id: '1', name: 'Zylker', contacts: [fixture('Asha Rao', 'asha@example.in')] }],
    ...(time ? { time } : {}),
  });
  return h;
}

async function refusal(promise: Promise<unknown>): Promise<ContractError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ContractError);
  return error as ContractError;
}

describe('the settings channels', () => {
  it('settings.get on a new data folder gives the defaults', async () => {
    const h = await harness();
    expect(await h.call('settings.get', {})).toEqual({ notifications: 'all', keepInTray: true, startAtLogin: false, schedulesPaused: false, pauseAfterFailures: 5 });
    expect(defaultAppSettings).toEqual(await h.call('settings.get', {}));
  });

  it('settings.update stores every field, replies what was stored, tells every window, and survives a restart', async () => {
    const h = await harness();
    const heard: EventPayload<'settings.changed'>[] = [];
    h.core.events.on('settings.changed', (s) => heard.push(s));
    const next = { notifications: 'failures', keepInTray: false, startAtLogin: true, schedulesPaused: true, pauseAfterFailures: 3 } as const;
    expect(await h.call('settings.update', next)).toEqual(next);
    expect(await h.call('settings.get', {})).toEqual(next);
    expect(heard).toEqual([next]);
    expect(h.core.scheduler.paused).toBe(true);

    await h.reopen();
    expect(await h.call('settings.get', {})).toEqual(next);
    expect(await h.call('settings.update', { ...next, notifications: 'off', schedulesPaused: false })).toEqual({ ...next, notifications: 'off', schedulesPaused: false });
    expect(h.core.scheduler.paused).toBe(false);
  });

  it('refuses a partial or invalid update, and changes nothing', async () => {
    const h = await harness();
    const { call } = h;
    expect((await refusal(call('settings.update', { keepInTray: false } as never))).code).toBe('invalid-request');
    expect((await refusal(call('settings.update', { ...defaultAppSettings, notifications: 'sometimes' } as never))).code).toBe('invalid-request');
    expect((await refusal(call('settings.update', { ...defaultAppSettings, extra: 1 } as never))).code).toBe('invalid-request');
    expect((await refusal(call('settings.get', { any: 1 } as never))).code).toBe('invalid-request');
    expect(await h.call('settings.get', {})).toEqual(defaultAppSettings);
  });

  it('a stored value that is not valid (an edited or older database) reads as its default', async () => {
    const h = await harness();
    h.core.store.settings.set(settingKeys.notifications, 'loud');
    h.core.store.settings.set(settingKeys.keepInTray, 'yes');
    expect(await h.call('settings.get', {})).toEqual(defaultAppSettings);
    expect(readAppSettings({ get: (_k, fallback) => fallback }, true)).toEqual({ ...defaultAppSettings, schedulesPaused: true });
  });

  it('the tray hint is given once per data folder', async () => {
    const h = await harness();
    expect(takeTrayHint(h.core.store.settings)).toBe(true);
    expect(takeTrayHint(h.core.store.settings)).toBe(false);
    await h.reopen();
    expect(takeTrayHint(h.core.store.settings)).toBe(false);
  });
});

describe('pausing every schedule', () => {
  /** Fires each due timer up to `to`, letting every started run end. */
  const triggers = (harness: Harness, syncId: string) =>
    runsOf(harness, syncId).map((r) => [r.trigger, r.startedAt]);

  it('schedulesPaused stops scheduled runs, across a restart and without catch-up; resuming re-arms the next slot', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const h = await harness(time);
    const syncId = await h.addSync({ accountId: await h.addAccount(), listId: await h.addList(), schedule: daily });
    h.core.startScheduler();
    expect(h.core.scheduler.armedSyncIds()).toEqual([syncId]);

    const settings = await h.call('settings.get', {});
    await h.call('settings.update', { ...settings, schedulesPaused: true });
    expect(h.core.scheduler.armedSyncIds()).toEqual([]);
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBeNull();
    await advance(h, time, '2026-01-03T12:00:00Z');
    expect(triggers(h, syncId)).toEqual([]);

    // Still paused after a restart: no catch-up for the slots passed meanwhile.
    await h.reopen();
    h.core.startScheduler();
    await h.core.idle();
    expect((await h.call('settings.get', {})).schedulesPaused).toBe(true);
    expect(triggers(h, syncId)).toEqual([]);

    // Run now still works while paused.
    await h.call('syncs.runNow', { syncId, trigger: 'manual' });
    await h.core.idle();
    expect(triggers(h, syncId)).toEqual([['manual', '2026-01-03T12:00:00.000Z']]);

    await h.call('settings.update', { ...settings, schedulesPaused: false });
    expect((await h.call('syncs.get', { syncId })).nextRunAt).toBe('2026-01-04T03:30:00.000Z');
    await advance(h, time, '2026-01-04T12:00:00Z');
    expect(triggers(h, syncId)).toEqual([['manual', '2026-01-03T12:00:00.000Z'], ['schedule', '2026-01-04T03:30:00.000Z']]);
  });

  it('the tray’s Pause all / Resume all go through settings.update (the settings page hears it)', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    const h = await harness(time);
    const syncId = await h.addSync({ accountId: await h.addAccount(), listId: await h.addList(), schedule: daily });
    h.core.startScheduler();
    const heard: boolean[] = [];
    h.core.events.on('settings.changed', (s) => heard.push(s.schedulesPaused));
    const deps = { invoke: invokerOf(h.core), showWindow: () => undefined, quit: () => undefined };

    await runTrayAction('pause-all', deps);
    expect(h.core.scheduler.paused).toBe(true);
    await advance(h, time, '2026-01-02T12:00:00Z');
    expect(triggers(h, syncId)).toEqual([]);

    await runTrayAction('resume-all', deps);
    expect(heard).toEqual([true, false]);
    expect((await h.call('settings.get', {})).schedulesPaused).toBe(false);
    await advance(h, time, '2026-01-03T12:00:00Z');
    expect(triggers(h, syncId)).toEqual([['schedule', '2026-01-03T03:30:00.000Z']]);
  });
});

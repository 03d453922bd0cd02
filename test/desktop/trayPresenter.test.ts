import { afterEach, describe, expect, it } from 'vitest';
import { ContractError, type Channel } from '../../main/common/contract';
import { emptyCounts } from '../../main/common/domain/outcome';
import { defaultAppSettings } from '../../main/common/domain/settings';
import { invokerOf, type Invoke } from '../../main/core/desktop/invoke';
import { runTrayAction, TrayPresenter, type TrayView } from '../../main/core/desktop/trayPresenter';
import { CoreEvents } from '../../main/core/events';
import { ManualTime } from '../../main/core/schedule/manualTime';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { fixture } from '../support/fixtures';
import { createHarness, type Harness } from '../support/harness';

const firstLabel = (view: TrayView | undefined) => {
  const item = view?.menu[0];
  return item && item.kind !== 'separator' ? item.label : undefined;
};

/** A presenter over plain events and a scripted syncs.list, with a controlled clock. */
function scripted(options: { running?: boolean } = {}) {
  const events = new CoreEvents();
  const time = new ManualTime('2026-01-01T00:00:00Z');
  let running = options.running ?? true;
  let listReply: (() => Promise<unknown>) | null = null;
  const invoke = (async (channel: Channel) => {
    if (channel === 'syncs.list') {
      if (listReply) return listReply();
      return [{ id: 's1', name: 'Customers', active: true, running }];
    }
    if (channel === 'settings.get') return defaultAppSettings;
    throw new Error(`unexpected ${channel}`);
  }) as Invoke;
  const views: TrayView[] = [];
  const presenter = new TrayPresenter({ events, invoke, clock: time, timer: time, render: (v) => views.push(v), progressIntervalMs: 1000 });
  return {
    events, time, views, presenter,
    setRunning: (value: boolean) => { running = value; },
    holdList: (reply: () => Promise<unknown>) => { listReply = reply; },
  };
}

const progress = (recordsSeen: number, page: number) => ({
  runId: 1, syncId: 's1', phase: 'reading' as const, recordsSeen, page, pageCount: null, counts: emptyCounts(),
});

describe('the tray presenter', () => {
  it('redraws for progress at most once a second, always ending on the latest progress', async () => {
    const { events, time, views, presenter } = scripted();
    await presenter.start();
    expect(views).toHaveLength(1);
    expect(firstLabel(views[0])).toBe('Customers — running');

    events.emit('run.progress', progress(200, 1));
    events.emit('run.progress', progress(400, 2));
    events.emit('run.progress', progress(600, 3));
    expect(views).toHaveLength(1); // the first draw was just now
    time.advanceTo('2026-01-01T00:00:00.999Z');
    expect(views).toHaveLength(1);
    time.advanceTo('2026-01-01T00:00:01Z');
    expect(views).toHaveLength(2);
    expect(firstLabel(views[1])).toBe('Customers — running (600 read, page 3)');
    expect(views[1]?.tooltip).toBe('ListSync — 1 sync running');

    // Quiet for longer than the interval: the next progress draws at once.
    time.advanceTo('2026-01-01T00:00:05Z');
    events.emit('run.progress', progress(800, 4));
    expect(views).toHaveLength(3);
    presenter.dispose();
  });

  it('draws the end of a run at once (no throttle), dropping the pending progress draw', async () => {
    const { events, time, views, presenter, setRunning } = scripted();
    await presenter.start();
    events.emit('run.progress', progress(200, 1));
    setRunning(true); // the engine still says running while run.finished is emitted
    events.emit('run.finished', { syncId: 's1', runId: 1, status: 'succeeded', counts: emptyCounts(), error: null });
    expect(views).toHaveLength(2);
    expect(firstLabel(views[1])).toBe('Run now: Customers');
    expect(views[1]?.tooltip).toBe('ListSync');
    time.advanceTo('2026-01-01T00:00:10Z');
    expect(views).toHaveLength(2);
    presenter.dispose();
  });

  it('a syncs.list reply older than run.finished does not bring back "running"', async () => {
    const { events, views, presenter, holdList } = scripted();
    await presenter.start();
    let release: (value: unknown) => void = () => undefined;
    holdList(() => new Promise((resolve) => { release = resolve; }));
    const refreshing = presenter.refresh();
    events.emit('run.finished', { syncId: 's1', runId: 1, status: 'succeeded', counts: emptyCounts(), error: null });
    release([{ id: 's1', name: 'Customers', active: true, running: true }]);
    await refreshing;
    expect(presenter.state().syncs[0]?.running).toBe(false);
    expect(firstLabel(views.at(-1))).toBe('Run now: Customers');
  });

  it('follows settings.changed for Pause/Resume, and stops drawing once disposed', async () => {
    const { events, views, presenter } = scripted({ running: false });
    await presenter.start();
    events.emit('settings.changed', { ...defaultAppSettings, schedulesPaused: true });
    expect(views.at(-1)?.menu.some((i) => i.kind === 'action' && i.id === 'resume-all')).toBe(true);
    expect(views.at(-1)?.tooltip).toBe('ListSync — schedules paused');
    presenter.dispose();
    const count = views.length;
    events.emit('settings.changed', defaultAppSettings);
    events.emit('run.progress', progress(1, 1));
    expect(views).toHaveLength(count);
  });
});

describe('the tray over a real core', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('Run now from the tray runs the sync (trigger tray), shows it running, then ready again; a second click is refused', async () => {
    h = await createHarness({
      secrets: new MemorySecretStore(),
      organizations: [{ organization_id: '1', name: 'Zylker', contacts: [fixture('Asha Rao', 'asha@example.in'), fixture('Hans Meier', 'hans@example.de')] }],
    });
    const syncId = await h.addSync({ accountId: await h.addAccount(), listId: await h.addList(), name: 'Customers' });
    const views: TrayView[] = [];
    const invoke = invokerOf(h.core);
    const presenter = new TrayPresenter({ events: h.core.events, invoke, clock: new ManualTime('2026-01-01T00:00:00Z'), timer: new ManualTime('2026-01-01T00:00:00Z'), render: (v) => views.push(v) });
    await presenter.start();
    expect(firstLabel(views.at(-1))).toBe('Run now: Customers');

    const deps = { invoke, showWindow: () => undefined, quit: () => undefined };
    await runTrayAction(`run:${syncId}`, deps);
    const second = await runTrayAction(`run:${syncId}`, deps).then(() => null, (e: unknown) => e);
    expect(second).toBeInstanceOf(ContractError);
    expect((second as ContractError).code).toBe('busy');
    await h.core.idle();

    expect(views.some((v) => firstLabel(v)?.startsWith('Customers — running'))).toBe(true);
    expect(firstLabel(views.at(-1))).toBe('Run now: Customers');
    const runs = h.core.store.runs.history(syncId, { offset: 0, limit: 10 }).runs;
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([['tray', 'succeeded']]);
    presenter.dispose();
  });

  it('Open and Quit call the shell', async () => {
    const calls: string[] = [];
    const deps = { invoke: (async () => { throw new Error('no contract call expected'); }) as Invoke, showWindow: () => calls.push('show'), quit: () => calls.push('quit') };
    await runTrayAction('open', deps);
    await runTrayAction('quit', deps);
    expect(calls).toEqual(['show', 'quit']);
  });
});

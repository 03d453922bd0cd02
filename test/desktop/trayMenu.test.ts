import { describe, expect, it } from 'vitest';
import { trayMenu, trayTooltip, type TrayItem, type TrayState } from '../../main/core/desktop/trayMenu';
import { menuLabel, trayIconFile } from '../../main/core/desktop/trayPresenter';

type TraySync = TrayState['syncs'][number];
const sync = (id: string, extra: Partial<TraySync> = {}): TraySync => ({ id, name: `Sync ${id}`, active: true, running: false, ...extra });
const state = (partial: Partial<TrayState> = {}): TrayState => ({ syncs: [], progress: new Map(), schedulesPaused: false, ...partial });
const labels = (items: TrayItem[]) => items.map((i) => (i.kind === 'separator' ? '---' : i.label));
const actions = (items: TrayItem[]) => items.flatMap((i) => (i.kind === 'action' ? [`${i.id}${i.enabled ? '' : ' (disabled)'}`] : []));

describe('the tray menu', () => {
  it('with no syncs: says so, and still offers pause, open and quit', () => {
    const items = trayMenu(state());
    expect(labels(items)).toEqual(['No active syncs', '---', 'Pause all schedules', '---', 'Open ListSync', 'Quit']);
    expect(actions(items)).toEqual(['pause-all', 'open', 'quit']);
    expect(trayTooltip(state())).toBe('ListSync');
  });

  it('lists only active syncs: an inactive one cannot be run from the tray', () => {
    const items = trayMenu(state({ syncs: [sync('a'), sync('b', { active: false })] }));
    expect(actions(items)).toEqual(['run:a', 'pause-all', 'open', 'quit']);
    expect(labels(trayMenu(state({ syncs: [sync('b', { active: false })] })))[0]).toBe('No active syncs');
  });

  it('a running sync shows its progress and cannot be started again; the others can', () => {
    const s = state({
      syncs: [sync('a', { name: 'Customers', running: true }), sync('b', { name: 'Leads' })],
      progress: new Map([['a', { recordsSeen: 400, page: 2 }]]),
    });
    const items = trayMenu(s);
    expect(items[0]).toEqual({ kind: 'action', id: 'run:a', label: 'Customers — running (400 read, page 2)', enabled: false });
    expect(items[1]).toEqual({ kind: 'action', id: 'run:b', label: 'Run now: Leads', enabled: true });
    expect(trayTooltip(s)).toBe('ListSync — 1 sync running');
  });

  it('a paused sync can still be run now and says it is paused', () => {
    const items = trayMenu(state({ syncs: [sync('a', { name: 'Customers', paused: true })] }));
    expect(items[0]).toEqual({ kind: 'action', id: 'run:a', label: 'Run now: Customers (paused)', enabled: true });
  });

  it('a running sync without progress yet says only that it runs', () => {
    const items = trayMenu(state({ syncs: [sync('a', { name: 'Customers', running: true }), sync('b', { running: true })] }));
    expect(labels(items)[0]).toBe('Customers — running');
    expect(trayTooltip(state({ syncs: [sync('a', { running: true }), sync('b', { running: true })] }))).toBe('ListSync — 2 syncs running');
  });

  it('paused: offers Resume instead of Pause, and the tooltip says so (running beats paused)', () => {
    const paused = state({ syncs: [sync('a')], schedulesPaused: true });
    expect(actions(trayMenu(paused))).toEqual(['run:a', 'resume-all', 'open', 'quit']);
    expect(labels(trayMenu(paused))).toContain('Resume all schedules');
    expect(labels(trayMenu(paused))).not.toContain('Pause all schedules');
    expect(trayTooltip(paused)).toBe('ListSync — schedules paused');
    expect(trayTooltip({ ...paused, syncs: [sync('a', { running: true })] })).toBe('ListSync — 1 sync running');
  });

  it('more than 10 active syncs: the first 10, then how many more', () => {
    const syncs = Array.from({ length: 13 }, (_, i) => sync(`s${i + 1}`));
    const items = trayMenu(state({ syncs }));
    expect(actions(items).filter((a) => a.startsWith('run:'))).toEqual(syncs.slice(0, 10).map((s) => `run:${s.id}`));
    expect(items[10]).toEqual({ kind: 'label', label: '…and 3 more' });
    // Exactly 10: no "more" line.
    expect(labels(trayMenu(state({ syncs: syncs.slice(0, 10) })))).not.toContain('…and 0 more');
  });
});

describe('how the tray is drawn', () => {
  it('doubles & in labels where Electron reads it as a mnemonic (Windows, Linux), not on macOS', () => {
    expect(menuLabel('Run now: Sales & Support', 'win32')).toBe('Run now: Sales && Support');
    expect(menuLabel('Run now: Sales & Support', 'linux')).toBe('Run now: Sales && Support');
    expect(menuLabel('Run now: Sales & Support', 'darwin')).toBe('Run now: Sales & Support');
  });

  it('uses the template image on macOS and the light or dark image elsewhere', () => {
    expect(trayIconFile('darwin', true)).toBe('trayTemplate.png');
    expect(trayIconFile('darwin', false)).toBe('trayTemplate.png');
    expect(trayIconFile('win32', true)).toBe('tray-dark.png');
    expect(trayIconFile('linux', false)).toBe('tray-light.png');
  });
});

import type { RunProgress } from '../../common/domain/run';
import type { Sync } from '../../common/domain/sync';

/** The tray menu as data; main/electron/tray.ts turns it into an Electron Menu. */
export type TrayItem =
  | { kind: 'action'; id: TrayAction; label: string; enabled: boolean }
  | { kind: 'label'; label: string }
  | { kind: 'separator' };

export type TrayAction = `run:${string}` | 'pause-all' | 'resume-all' | 'open' | 'quit';

export interface TrayState {
  syncs: readonly (Pick<Sync, 'id' | 'name' | 'active' | 'running'> & Partial<Pick<Sync, 'paused'>>)[];
  progress: ReadonlyMap<string, Pick<RunProgress, 'recordsSeen' | 'page'>>;
  schedulesPaused: boolean;
}

const maxSyncsShown = 10;

export function trayMenu(state: TrayState): TrayItem[] {
  const active = state.syncs.filter((s) => s.active);
  const items: TrayItem[] = [];
  if (active.length === 0) items.push({ kind: 'label', label: 'No active syncs' });
  for (const sync of active.slice(0, maxSyncsShown)) {
    const p = state.progress.get(sync.id);
    items.push(
      sync.running
        ? { kind: 'action', id: `run:${sync.id}`, label: `${sync.name} — running${p ? ` (${p.recordsSeen} read, page ${p.page})` : ''}`, enabled: false }
        : { kind: 'action', id: `run:${sync.id}`, label: `Run now: ${sync.name}${sync.paused ? ' (paused)' : ''}`, enabled: true },
    );
  }
  if (active.length > maxSyncsShown) items.push({ kind: 'label', label: `…and ${active.length - maxSyncsShown} more` });
  items.push({ kind: 'separator' });
  items.push(
    state.schedulesPaused
      ? { kind: 'action', id: 'resume-all', label: 'Resume all schedules', enabled: true }
      : { kind: 'action', id: 'pause-all', label: 'Pause all schedules', enabled: true },
  );
  items.push({ kind: 'separator' });
  items.push({ kind: 'action', id: 'open', label: 'Open ListSync', enabled: true });
  items.push({ kind: 'action', id: 'quit', label: 'Quit', enabled: true });
  return items;
}

export function trayTooltip(state: TrayState): string {
  const running = state.syncs.filter((s) => s.running).length;
  if (running > 0) return `ListSync — ${running} sync${running === 1 ? '' : 's'} running`;
  return state.schedulesPaused ? 'ListSync — schedules paused' : 'ListSync';
}

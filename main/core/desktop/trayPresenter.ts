import type { RunProgress } from '../../common/domain/run';
import type { Sync } from '../../common/domain/sync';
import type { CoreEvents } from '../events';
import type { Clock, Timer } from '../ports';
import type { Invoke } from './invoke';
import { trayMenu, trayTooltip, type TrayAction, type TrayItem, type TrayState } from './trayMenu';

// The tray's state machine without Electron: follows the core's events, keeps the state that
// trayMenu()/trayTooltip() draw, and says when to redraw. main/electron/tray.ts only turns each
// view into an Electron Menu and runs the chosen action.

export interface TrayView {
  menu: TrayItem[];
  tooltip: string;
}

type TraySync = Pick<Sync, 'id' | 'name' | 'active' | 'running'>;

export interface TrayPresenterDeps {
  events: Pick<CoreEvents, 'on'>;
  invoke: Invoke;
  clock: Clock;
  timer: Timer;
  render(view: TrayView): void;
  /** Least time between two redraws caused only by progress (a page read); default 1000 ms. */
  progressIntervalMs?: number;
  onError?(error: unknown): void;
}

export class TrayPresenter {
  private syncs: TraySync[] = [];
  private readonly progress = new Map<string, Pick<RunProgress, 'recordsSeen' | 'page'>>();
  private schedulesPaused = false;
  /** Bumped by every change of the sync list, so an older syncs.list reply never overwrites a newer state. */
  private generation = 0;
  private lastRenderAt = Number.NEGATIVE_INFINITY;
  private pendingRender: (() => void) | null = null;
  private readonly offs: Array<() => void> = [];
  private disposed = false;

  constructor(private readonly deps: TrayPresenterDeps) {}

  /** Subscribes to the core's events and draws the first menu. */
  async start(): Promise<void> {
    const { events } = this.deps;
    this.offs.push(
      events.on('run.started', () => void this.refresh()),
      events.on('run.progress', (p) => {
        this.progress.set(p.syncId, { recordsSeen: p.recordsSeen, page: p.page });
        this.renderSoon();
      }),
      events.on('run.finished', ({ syncId }) => {
        // The engine reports the end before it clears its running flag: syncs.list called now
        // would still say running. The event is the truth for this sync.
        this.generation++;
        this.progress.delete(syncId);
        this.syncs = this.syncs.map((s) => (s.id === syncId ? { ...s, running: false } : s));
        this.renderNow();
      }),
      events.on('syncs.changed', () => void this.refresh()),
      events.on('settings.changed', (settings) => {
        this.schedulesPaused = settings.schedulesPaused;
        this.renderNow();
      }),
    );
    await this.refresh();
  }

  state(): TrayState {
    return { syncs: this.syncs, progress: this.progress, schedulesPaused: this.schedulesPaused };
  }

  view(): TrayView {
    const state = this.state();
    return { menu: trayMenu(state), tooltip: trayTooltip(state) };
  }

  /** Reloads the syncs and the pause flag through the contract, then redraws. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    try {
      const [syncs, settings] = await Promise.all([this.deps.invoke('syncs.list', {}), this.deps.invoke('settings.get', {})]);
      if (this.disposed || generation !== this.generation) return;
      this.syncs = syncs.map(({ id, name, active, running }) => ({ id, name, active, running }));
      for (const id of this.progress.keys()) {
        if (!this.syncs.some((s) => s.id === id && s.running)) this.progress.delete(id);
      }
      this.schedulesPaused = settings.schedulesPaused;
      this.renderNow();
    } catch (error) {
      this.deps.onError?.(error);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancelPending();
    this.offs.splice(0).forEach((off) => off());
  }

  private renderNow(): void {
    if (this.disposed) return;
    this.cancelPending();
    this.lastRenderAt = this.deps.clock.now().getTime();
    this.deps.render(this.view());
  }

  /** Progress only: at most one redraw per interval; the last progress always gets drawn. */
  private renderSoon(): void {
    if (this.disposed || this.pendingRender) return;
    const dueAt = this.lastRenderAt + (this.deps.progressIntervalMs ?? 1000);
    if (this.deps.clock.now().getTime() >= dueAt) {
      this.renderNow();
      return;
    }
    this.pendingRender = this.deps.timer.at(new Date(dueAt), () => {
      this.pendingRender = null;
      this.renderNow();
    });
  }

  private cancelPending(): void {
    this.pendingRender?.();
    this.pendingRender = null;
  }
}

export interface TrayActionDeps {
  invoke: Invoke;
  showWindow(): void;
  quit(): void;
}

/**
 * What a tray item does. Run now goes through the contract (trigger 'tray'); pausing goes through
 * settings.update, so the Settings page and every window hear of it (settings.changed).
 * A refusal (already running, inactive) rejects with the ContractError, for the caller to show.
 */
export async function runTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  if (action.startsWith('run:')) {
    await deps.invoke('syncs.runNow', { syncId: action.slice('run:'.length), trigger: 'tray' });
    return;
  }
  switch (action) {
    case 'pause-all':
    case 'resume-all': {
      const settings = await deps.invoke('settings.get', {});
      await deps.invoke('settings.update', { ...settings, schedulesPaused: action === 'pause-all' });
      return;
    }
    case 'open':
      deps.showWindow();
      return;
    case 'quit':
      deps.quit();
      return;
  }
}

/**
 * A menu label as Electron shows it: on Windows and Linux `&` marks a keyboard mnemonic, so a
 * sync named "Sales & Support" must have it doubled to show the ampersand.
 */
export function menuLabel(label: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? label : label.replaceAll('&', '&&');
}

/** The tray image for the platform and theme (files in resources/, made by scripts/make-icons.js). */
export function trayIconFile(platform: NodeJS.Platform, darkTheme: boolean): string {
  if (platform === 'darwin') return 'trayTemplate.png'; // a template image: macOS tints it for the menu bar
  return darkTheme ? 'tray-dark.png' : 'tray-light.png';
}

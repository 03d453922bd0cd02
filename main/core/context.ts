import type { CoreEvents } from './events';
import type { Clock, Logger, SecretStore } from './ports';
import type { SourceFactory } from './sources';
import type { Store } from './store';
import type { SyncEngine } from './sync/engine';

/** Everything a handler group may use; built once by createCore. */
export interface CoreContext {
  store: Store;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  engine: SyncEngine;
  events: CoreEvents;
  sources: SourceFactory;
  dataDir: string;
  runtime: 'electron' | 'browser-host' | 'test' | 'cli';
  version: string;
  /** Called whenever a sync's schedule, activity or existence changes (the scheduler follows). */
  syncChanged(syncId: string): void;
  /** Starts a run in the background; completion arrives as a run.finished event. */
  startRun(syncId: string, trigger: 'manual' | 'tray' | 'schedule' | 'catch-up'): void;
  nowIso(): string;
}

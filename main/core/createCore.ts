import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, Channel, EventName, EventPayload } from '../common/contract';
import { isRecurring } from '../common/domain/schedule';
import { diagnosticsReport } from './diagnostics';
import type { CoreContext } from './context';
import { lockDataFolder } from './dataLock';
import { DemoSandbox } from './demo';
import { readAppSettings } from './desktop/settings';
import { dispatch, type Handlers } from './dispatch';
import { CoreEvents } from './events';
import { accountHandlers } from './handlers/accounts';
import { listHandlers } from './handlers/lists';
import { reviewHandlers } from './handlers/review';
import { ruleHandlers } from './handlers/rules';
import { runHandlers } from './handlers/runs';
import { settingsHandlers } from './handlers/settings';
import { syncHandlers } from './handlers/syncs';
import { applyHeapPolicy } from './heapPolicy';
import { systemClock, silentLogger, type Clock, type Logger, type SecretStore, type Timer } from './ports';
import { budgetHold, budgetWaitAfterStop } from './schedule/budget';
import { SyncScheduler } from './schedule/scheduler';
import { nodeScheduleTimer } from './schedule/timer';
import { SourceFactory } from './sources';
import { guardedSecretStore } from './secrets/keychainSecretStore';
import { openStore, type Store } from './store';
import { SyncEngine, type RunResult } from './sync/engine';
import type { ReadPolicy } from './sync/readPlan';
import type { ZohoClientOptions } from './zoho';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretStore;
  runtime: CoreContext['runtime'];
  version?: string;
  clock?: Clock;
  logger?: Logger;
  /** Overrides for the Zoho client (tests shorten retries and limits). */
  zoho?: Partial<ZohoClientOptions>;
  /** Client overrides for loopback (sandbox) API roots only, e.g. looser limits for CLI tests. */
  sandboxZoho?: Partial<ZohoClientOptions>;
  readPolicy?: ReadPolicy;
  /** A run's in-memory bound for its seen sets (tests lower it to exercise the part on disk). */
  scratchMemoryEntries?: number;
  /** Most records a run writes in one transaction (default: grows with the address book, batchRecordsFor; tests fix it). */
  batchRecords?: number;
  /** Fires scheduled runs (node-schedule in the app; a manual timer in tests). */
  timer?: Timer;
  /** Whether the core may check the keychain at start (the app does; one-shot CLI commands need not). */
  probeKeychain?: () => Promise<void>;
}

export interface Core {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly events: CoreEvents;
  readonly handlers: Handlers;
  readonly context: CoreContext;
  readonly demo: DemoSandbox;
  /** Armed by startScheduler(); one-shot CLI commands never start it. */
  readonly scheduler: SyncScheduler;
  /** Runs what was missed while closed, then keeps every recurring sync on time. */
  startScheduler(): void;
  /** Validates and runs one contract call (what Electron IPC and the browser host use). */
  call(channel: unknown, payload: unknown): ReturnType<typeof dispatch>;
  /** Runs a sync and waits for its end (the CLI and tests); the UI uses syncs.runNow. */
  runAndWait(syncId: string, trigger: 'manual' | 'tray' | 'schedule' | 'catch-up'): Promise<RunResult>;
  /** Resolves when every run started in the background has ended. */
  idle(): Promise<void>;
  onSyncChanged(listener: (syncId: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * Builds the UI-free core over a data folder: the store, the engine, the key store and the
 * contract's handlers. Electron main, the browser host, the CLI and the tests all start here.
 */
export function createCore(options: CoreOptions): Core {
  applyHeapPolicy();
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataFolder(options.dataDir);
  const clock = options.clock ?? systemClock;
  let store: Store;
  try {
    store = openStore(join(options.dataDir, 'listsync.db'), () => clock.now());
  } catch (error) {
    unlock();
    throw error;
  }
  // A failing key store always reads as a keychain error that says what to do.
  const secrets = guardedSecretStore(options.secrets);
  const logger = options.logger ?? silentLogger;
  const events = new CoreEvents();
  const interrupted = store.runs.markInterrupted(clock.now().toISOString());
  if (interrupted > 0) logger.log('warn', 'runs.interrupted', { count: interrupted });
  // Which version opened this data folder, and when (diagnostics). As the first write since the
  // database was opened, it also creates the write-ahead log and syncs its header (tens of
  // milliseconds on a slow disk) here, at start-up, not on the main thread in the first run or click.
  store.settings.recordStart({ version: options.version ?? '0.0.0', runtime: options.runtime, at: clock.now().toISOString() });

  const demo = new DemoSandbox(logger, async () => {
    const account = store.accounts.list().find((a) => a.isDemo);
    return account ? secrets.get(account.id) : null;
  });
  const sources = new SourceFactory(demo, logger, options.zoho, options.sandboxZoho,
    (accountId, organizationId) => store.accounts.countRequest(accountId, organizationId, clock.now()));
  const syncsChanged = (syncIds: string[], reason: string | null) => {
    syncIds.forEach((id) => changeListeners.forEach((l) => l(id)));
    events.emit('syncs.changed', { syncIds, reason });
  };
  const engine = new SyncEngine({
    store, secrets, clock, logger, readPolicy: options.readPolicy, scratchMemoryEntries: options.scratchMemoryEntries, batchRecords: options.batchRecords,
    sourceFor: (account, key, hooks) => sources.sourceFor(account, key, hooks),
    pauseAfterFailures: () => readAppSettings(store.settings, false).pauseAfterFailures,
    events: {
      runStarted: (syncId, runId) => {
        events.emit('run.started', { syncId, runId });
        // The run a budget wait held back is under way (or Run now made it): the wait is over.
        if (store.syncs.get(syncId)?.waiting) {
          store.syncs.setWaiting(syncId, null);
          syncsChanged([syncId], null);
        }
      },
      runFinished: (r) => {
        if (r.runId !== null) events.emit('run.finished', { syncId: r.syncId, runId: r.runId, status: r.status, counts: r.counts, error: r.error });
      },
      syncsDeactivated: (_accountId, syncIds, reason) => syncsChanged(syncIds, reason),
      // Said once, with the reason: the notifier shows it as a pause, not a deactivation.
      syncPaused: (syncId, reason) => syncsChanged([syncId], reason),
      budgetExhausted: (syncId) => {
        const sync = store.syncs.get(syncId);
        // A recurring sync goes on when the budget resets; a one-time sync is run again by hand.
        if (!sync || !sync.active || sync.paused || !isRecurring(sync.schedule)) return;
        store.syncs.setWaiting(syncId, budgetWaitAfterStop(store, sync, clock.now()));
        syncsChanged([syncId], null);
      },
    },
  });

  const changeListeners = new Set<(syncId: string) => void>();
  const inFlight = new Set<Promise<unknown>>();
  const runAndWait = (syncId: string, trigger: 'manual' | 'tray' | 'schedule' | 'catch-up') =>
    engine.run(syncId, {
      trigger,
      onProgress: (p) => events.emit('run.progress', p),
    });

  const context: CoreContext = {
    store, secrets, clock, logger, engine, events, sources,
    dataDir: options.dataDir, runtime: options.runtime, version: options.version ?? '0.0.0',
    nowIso: () => clock.now().toISOString(),
    syncChanged: (syncId) => changeListeners.forEach((l) => l(syncId)),
    startRun: (syncId, trigger) => {
      const p = runAndWait(syncId, trigger)
        .catch((error: Error) => logger.log('warn', 'run.not-started', { syncId, message: error.message }))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
  };

  const scheduler = new SyncScheduler({
    store, clock, logger, timer: options.timer ?? nodeScheduleTimer,
    isRunning: (syncId) => engine.isRunning(syncId),
    startRun: (syncId, trigger) => context.startRun(syncId, trigger),
    nextRunChanged: (syncId) => events.emit('syncs.changed', { syncIds: [syncId], reason: null }),
    holdFor: (sync, now) => budgetHold(store, sync, now, options.readPolicy),
    waitingChanged: (syncId) => events.emit('syncs.changed', { syncIds: [syncId], reason: null }),
  });
  changeListeners.add((syncId) => scheduler.follow(syncId));

  const appInfo = async (): Promise<AppInfo> => {
    let keychain = { ok: true, message: null as string | null };
    if (options.probeKeychain) {
      try {
        await options.probeKeychain();
      } catch (error) {
        keychain = { ok: false, message: (error as Error).message };
      }
    }
    return {
      version: context.version, dataDir: options.dataDir, keychain,
      demo: { available: true, apiRoot: demo.started ? (await demo.ensureStarted()).apiRoot : null },
      runtime: options.runtime === 'cli' ? 'test' : options.runtime,
    };
  };

  const handlers: Handlers = {
    'app.info': appInfo,
    'app.diagnostics': async () => ({ text: diagnosticsReport(await appInfo(), store, options.dataDir, clock.now()) }),
    ...accountHandlers(context, demo),
    ...listHandlers(context),
    ...syncHandlers(context),
    ...runHandlers(context),
    ...reviewHandlers(context),
    ...ruleHandlers(context),
    // App settings (tray, notifications, login item, pause all): stored here, applied by the desktop shell.
    ...settingsHandlers(context, scheduler),
  };

  let closed = false;
  return {
    store, engine, events, handlers, context, demo, scheduler,
    startScheduler: () => scheduler.start(),
    call: (channel, payload) => dispatch(handlers, channel, payload, logger),
    runAndWait,
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    onSyncChanged: (listener) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      scheduler.stop();
      for (const sync of store.syncs.list()) engine.cancel(sync.id);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await demo.close();
      store.close();
      unlock();
    },
  };
}

export type { Channel, EventName, EventPayload };

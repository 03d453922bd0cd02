// Syncs: a cache of syncs.list kept current by the core's events, and live run progress.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Reply, Request } from '../../../main/common/contract';
import type { RunProgress } from '../../../main/common/domain/run';
import type { NewSync, Sync, SyncEditable } from '../../../main/common/domain/sync';
import { emptyCounts } from '../../../main/common/domain/outcome';
import { errorCode } from '../lib/errors';
import { api, onConnectionState } from '../transport';

export interface FinishedRun { syncId: string; runId: number; status: string; seq: number }

export const useSyncsStore = defineStore('syncs', () => {
  const syncs = ref<Sync[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  /** Live progress of running syncs, by sync id. */
  const progress = ref<Record<string, RunProgress>>({});
  /** The last run that started or ended (views watch it to reload history). */
  const lastRunEvent = ref<FinishedRun | null>(null);
  let seq = 0;

  const byId = computed(() => new Map(syncs.value.map((s) => [s.id, s])));

  function upsert(sync: Sync): void {
    const i = syncs.value.findIndex((s) => s.id === sync.id);
    if (i >= 0) syncs.value.splice(i, 1, sync);
    else syncs.value.push(sync);
  }

  function drop(syncId: string): void {
    syncs.value = syncs.value.filter((s) => s.id !== syncId);
    const { [syncId]: _gone, ...rest } = progress.value;
    progress.value = rest;
  }

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      syncs.value = await api.invoke('syncs.list', {});
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** Reloads one sync; a sync that is gone leaves the cache. */
  async function refreshOne(syncId: string): Promise<Sync | null> {
    try {
      const sync = await api.invoke('syncs.get', { syncId });
      upsert(sync);
      return sync;
    } catch (error) {
      if (errorCode(error) === 'not-found') {
        drop(syncId);
        return null;
      }
      throw error;
    }
  }

  async function create(sync: NewSync, runNow = true): Promise<Sync> {
    const created = await api.invoke('syncs.create', { sync, runNow });
    upsert(created);
    return created;
  }

  async function update(syncId: string, edit: SyncEditable): Promise<Sync> {
    const updated = await api.invoke('syncs.update', { syncId, edit });
    upsert(updated);
    return updated;
  }

  async function setActive(syncId: string, active: boolean): Promise<Sync> {
    const updated = await api.invoke('syncs.setActive', { syncId, active });
    upsert(updated);
    return updated;
  }

  /** Pause / Resume (apart from Activate / Deactivate, which follow the key). */
  async function setPaused(syncId: string, paused: boolean): Promise<Sync> {
    const updated = await api.invoke('syncs.setPaused', { syncId, paused });
    upsert(updated);
    return updated;
  }

  async function activateAll(accountId: string): Promise<Sync[]> {
    const updated = await api.invoke('syncs.activateAll', { accountId });
    updated.forEach(upsert);
    return updated;
  }

  async function remove(syncId: string): Promise<void> {
    await api.invoke('syncs.delete', { syncId });
    drop(syncId);
  }

  async function runNow(syncId: string): Promise<void> {
    await api.invoke('syncs.runNow', { syncId, trigger: 'manual' });
    const s = byId.value.get(syncId);
    if (s) upsert({ ...s, running: true });
  }

  async function cancel(syncId: string): Promise<boolean> {
    return (await api.invoke('syncs.cancel', { syncId })).cancelled;
  }

  function dryRun(request: Request<'syncs.dryRun'>): Promise<Reply<'syncs.dryRun'>> {
    return api.invoke('syncs.dryRun', request);
  }

  function previewSchedule(request: Request<'syncs.previewSchedule'>): Promise<Reply<'syncs.previewSchedule'>> {
    return api.invoke('syncs.previewSchedule', request);
  }

  const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

  api.on('run.started', ({ syncId, runId }) => {
    progress.value = {
      ...progress.value,
      [syncId]: { runId, syncId, phase: 'reading', recordsSeen: 0, page: 0, pageCount: null, counts: emptyCounts() },
    };
    const s = byId.value.get(syncId);
    if (s) upsert({ ...s, running: true });
    lastRunEvent.value = { syncId, runId, status: 'running', seq: ++seq };
    quietly(refreshOne(syncId));
  });
  api.on('run.progress', (p) => {
    progress.value = { ...progress.value, [p.syncId]: p };
  });
  api.on('run.finished', ({ syncId, runId, status }) => {
    const { [syncId]: _done, ...rest } = progress.value;
    progress.value = rest;
    const s = byId.value.get(syncId);
    if (s) upsert({ ...s, running: false });
    lastRunEvent.value = { syncId, runId, status, seq: ++seq };
    quietly(refreshOne(syncId));
  });
  api.on('syncs.changed', ({ syncIds }) => {
    if (syncIds.length === 0 || syncIds.length > 20) quietly(refresh());
    else syncIds.forEach((id) => quietly(refreshOne(id)));
  });

  // Events sent while the connection was down are lost: catch up once it is back.
  let wasDown = false;
  onConnectionState((state) => {
    if (state === 'reconnecting' || state === 'closed') wasDown = true;
    else if (state === 'open' && wasDown) {
      wasDown = false;
      progress.value = {};
      if (loaded.value) quietly(refresh());
      lastRunEvent.value = { syncId: '', runId: 0, status: 'reconnected', seq: ++seq };
    }
  });

  return {
    syncs, loaded, loading, progress, lastRunEvent, byId,
    refresh, refreshOne, create, update, setActive, setPaused, activateAll, remove, runNow, cancel, dryRun, previewSchedule,
  };
});

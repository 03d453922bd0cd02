// Runs: history and outcomes are paged reads, so this store holds no cache, only typed calls.
import { defineStore } from 'pinia';
import type { Reply, Request } from '../../../main/common/contract';
import type { Run } from '../../../main/common/domain/run';
import { downloadText } from '../lib/download';
import { api } from '../transport';

export const useRunsStore = defineStore('runs', () => {
  function history(syncId: string, offset: number, limit: number): Promise<Reply<'runs.history'>> {
    return api.invoke('runs.history', { syncId, offset, limit });
  }

  function get(runId: number): Promise<Run> {
    return api.invoke('runs.get', { runId });
  }

  function outcomes(request: Request<'runs.outcomes'>): Promise<Reply<'runs.outcomes'>> {
    return api.invoke('runs.outcomes', request);
  }

  function undoCheck(runId: number): Promise<Reply<'runs.undoCheck'>> {
    return api.invoke('runs.undoCheck', { runId });
  }

  /** Reverts what the run did; replies the undo run (a run of its own). */
  function undo(runId: number): Promise<Run> {
    return api.invoke('runs.undo', { runId });
  }

  async function exportCsv(request: Request<'runs.exportCsv'>): Promise<number> {
    const file = await api.invoke('runs.exportCsv', request);
    downloadText(file.filename, file.csv);
    return file.rows;
  }

  return { history, get, outcomes, undoCheck, undo, exportCsv };
});

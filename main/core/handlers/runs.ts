import { stringify } from 'csv-stringify/sync';
import { ContractError } from '../../common/contract';
import type { Run } from '../../common/domain/run';
import type { CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import { RunUndo } from '../sync/undo';
import { csvCell, safeFilename } from './lists';
import { requireSync } from './syncs';

type RunHandlers = Pick<Handlers, 'runs.history' | 'runs.get' | 'runs.outcomes' | 'runs.exportCsv' | 'runs.undoCheck' | 'runs.undo'>;

function requireRun(ctx: CoreContext, runId: number): Run {
  const run = ctx.store.runs.get(runId);
  if (!run) throw new ContractError({ code: 'not-found', message: `No run ${runId}` });
  return run;
}

export function runHandlers(ctx: CoreContext): RunHandlers {
  const undo = new RunUndo(ctx.store, (syncId) => ctx.engine.isRunning(syncId));
  return {
    'runs.history': ({ syncId, offset, limit }) => ctx.store.runs.history(requireSync(ctx, syncId).id, { offset, limit }),
    'runs.get': ({ runId }) => requireRun(ctx, runId),
    'runs.outcomes': ({ runId, outcome, reason, offset, limit }) =>
      ctx.store.runs.outcomes(requireRun(ctx, runId).id, { outcome, reason }, { offset, limit }),
    'runs.undoCheck': ({ runId }) => undo.check(runId),
    'runs.undo': ({ runId }) => {
      const run = undo.undo(runId, ctx.nowIso());
      ctx.events.emit('run.finished', { syncId: run.syncId, runId: run.id, status: run.status, counts: run.counts, error: null });
      ctx.events.emit('syncs.changed', { syncIds: [run.syncId], reason: null });
      return run;
    },
    'runs.exportCsv': ({ runId, outcome, reason }) => {
      const run = requireRun(ctx, runId);
      const sync = ctx.store.syncs.get(run.syncId);
      const rows: string[][] = [['outcome', 'reason', 'email', 'zoho_contact_id', 'zoho_contact_name', 'detail']];
      for (const o of ctx.store.runs.iterateOutcomes(run.id, { outcome, reason })) {
        rows.push([o.outcome, o.reason ?? '', o.email ?? '', o.sourceContactId ?? '', o.sourceName ?? '', o.detail ?? ''].map(csvCell));
      }
      const suffix = [outcome, reason].filter(Boolean).join('-');
      return {
        filename: `${safeFilename(sync?.name ?? 'sync')}-run-${run.id}${suffix ? `-${suffix}` : ''}.csv`,
        csv: stringify(rows),
        rows: rows.length - 1,
      };
    },
  };
}

import { ContractError } from '../../common/contract';
import type { NewSync, Sync } from '../../common/domain/sync';
import type { CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import { budgetStatus, budgetStopMessage } from '../schedule/budget';
import { previewRuns } from '../schedule/nextRun';
import type { SyncRecord } from '../store';
import { requireAccount, requireKey } from './accounts';
import { requireList } from './lists';
import { assertKnownTopics } from './rules';

type SyncHandlers = Pick<Handlers,
  'syncs.list' | 'syncs.get' | 'syncs.create' | 'syncs.update' | 'syncs.setActive' | 'syncs.setPaused' | 'syncs.activateAll' |
  'syncs.delete' | 'syncs.runNow' | 'syncs.cancel' | 'syncs.dryRun' | 'syncs.previewSchedule'>;

/** The public shape: the engine's cursor fields stay inside the core. */
export function publicSync(s: SyncRecord, running: boolean): Sync {
  const { cursorAt: _c, lastFullReadAt: _f, ...sync } = s;
  return { ...sync, running: running || sync.running };
}

export function requireSync(ctx: CoreContext, syncId: string): SyncRecord {
  const sync = ctx.store.syncs.find(syncId);
  if (!sync) throw new ContractError({ code: 'not-found', message: `No sync ${syncId}` });
  return sync;
}

function assertMappingTargets(ctx: CoreContext, mapping: NewSync['mapping']): void {
  const known = new Set(ctx.store.contacts.fields().map((f) => f.key));
  const unknown = mapping.filter((m) => !known.has(m.target)).map((m) => m.target);
  if (unknown.length > 0) {
    throw new ContractError({
      code: 'invalid-request',
      message: `Unknown ListSync field(s): ${unknown.join(', ')}. Create them with "New field" first.`,
    });
  }
}

/** A draft sync as the engine's record type, for the wizard's dry-run preview (never stored). */
function draftRecord(ctx: CoreContext, draft: NewSync, organizationName: string): SyncRecord {
  const account = requireAccount(ctx, draft.accountId);
  const list = requireList(ctx, draft.listId);
  return {
    ...draft, id: 'draft', accountName: account.name, organizationName, listName: list.name, active: true,
    inactiveReason: null, running: false, nextRunAt: null, lastRun: null, createdAt: ctx.nowIso(), cursorAt: null, lastFullReadAt: null,
    paused: false, pausedReason: null, failureStreak: 0, waiting: null, pendingReview: 0,
  };
}

export function syncHandlers(ctx: CoreContext): SyncHandlers {
  const view = (id: string): Sync => publicSync(requireSync(ctx, id), ctx.engine.isRunning(id));

  return {
    'syncs.list': () => ctx.store.syncs.list().map((s) => publicSync(s, ctx.engine.isRunning(s.id))),
    'syncs.get': ({ syncId }) => view(syncId),

    'syncs.create': async ({ sync, runNow }) => {
      const account = requireAccount(ctx, sync.accountId);
      const list = requireList(ctx, sync.listId);
      assertMappingTargets(ctx, sync.mapping);
      assertKnownTopics(ctx, sync.subscription.topics);
      const key = await requireKey(ctx, account);
      const orgs = await ctx.sources.client(await ctx.sources.apiRootOf(account), key).listOrganizations();
      const org = orgs.find((o) => String(o.organization_id) === sync.organizationId);
      if (!org) throw new ContractError({ code: 'not-found', message: `"${account.name}" cannot reach organization ${sync.organizationId}` });
      const created = ctx.store.syncs.create({ ...sync, accountId: account.id, listId: list.id, organizationName: org.name }, ctx.nowIso());
      ctx.logger.log('info', 'sync.created', { syncId: created.id });
      ctx.syncChanged(created.id);
      // "Initiate": the first retrieval starts at once unless the caller (the CLI) runs it itself.
      if (runNow) ctx.startRun(created.id, 'manual');
      return view(created.id);
    },

    'syncs.update': ({ syncId, edit }) => {
      const sync = requireSync(ctx, syncId);
      assertMappingTargets(ctx, edit.mapping);
      assertKnownTopics(ctx, edit.subscription.topics);
      ctx.store.syncs.update(sync.id, edit, ctx.nowIso());
      ctx.syncChanged(sync.id);
      return view(sync.id);
    },

    'syncs.setActive': ({ syncId, active }) => {
      const sync = requireSync(ctx, syncId);
      ctx.store.syncs.setActive(sync.id, active, active ? null : 'Deactivated by you', ctx.nowIso());
      ctx.syncChanged(sync.id);
      ctx.events.emit('syncs.changed', { syncIds: [sync.id], reason: null });
      return view(sync.id);
    },

    // Pause is the user's (or the failure policy's) hold on one sync; it is apart from deactivation,
    // which follows a rejected or changed key. Resuming clears the failure streak.
    'syncs.setPaused': ({ syncId, paused }) => {
      const sync = requireSync(ctx, syncId);
      if (sync.paused !== paused) {
        ctx.store.syncs.setPaused(sync.id, paused, paused ? 'Paused by you' : null, ctx.nowIso());
        ctx.logger.log('info', paused ? 'sync.paused' : 'sync.resumed', { syncId: sync.id });
        ctx.syncChanged(sync.id);
        ctx.events.emit('syncs.changed', { syncIds: [sync.id], reason: null });
      }
      return view(sync.id);
    },

    'syncs.activateAll': ({ accountId }) => {
      const account = requireAccount(ctx, accountId);
      const now = ctx.nowIso();
      const ids = ctx.store.syncs.byAccount(account.id).filter((s) => !s.active).map((s) => s.id);
      ctx.store.transaction(() => ids.forEach((id) => ctx.store.syncs.setActive(id, true, null, now)));
      ids.forEach((id) => ctx.syncChanged(id));
      ctx.events.emit('syncs.changed', { syncIds: ids, reason: null });
      return ctx.store.syncs.byAccount(account.id).map((s) => publicSync(s, ctx.engine.isRunning(s.id)));
    },

    'syncs.delete': ({ syncId }) => {
      const sync = requireSync(ctx, syncId);
      if (ctx.engine.isRunning(sync.id)) throw new ContractError({ code: 'busy', message: `"${sync.name}" is running; cancel it first` });
      ctx.store.syncs.delete(sync.id);
      ctx.syncChanged(sync.id);
      ctx.events.emit('syncs.changed', { syncIds: [sync.id], reason: null });
      return {};
    },

    'syncs.runNow': ({ syncId, trigger }) => {
      const sync = requireSync(ctx, syncId);
      if (ctx.engine.isRunning(sync.id)) {
        throw new ContractError({ code: 'busy', message: `"${sync.name}" is already running; wait for it to finish` });
      }
      if (!sync.active) {
        throw new ContractError({ code: 'conflict', message: `"${sync.name}" is inactive (${sync.inactiveReason ?? 'deactivated'}). Activate it first.` });
      }
      // Refused before a run row is written: the engine would stop it at its first request.
      const budget = budgetStatus(ctx.store, sync, ctx.clock.now());
      if (budget.exhausted) throw new ContractError({ code: 'conflict', message: budgetStopMessage(budget, sync.organizationName, false) });
      ctx.startRun(sync.id, trigger);
      return { syncId: sync.id, started: true as const };
    },

    'syncs.cancel': ({ syncId }) => ({ cancelled: ctx.engine.cancel(requireSync(ctx, syncId).id) }),

    'syncs.dryRun': async (request) => {
      let record: SyncRecord;
      if ('syncId' in request) {
        record = requireSync(ctx, request.syncId);
      } else {
        const account = requireAccount(ctx, request.draft.accountId);
        assertMappingTargets(ctx, request.draft.mapping);
        const orgs = await ctx.sources.client(await ctx.sources.apiRootOf(account), await requireKey(ctx, account)).listOrganizations();
        const org = orgs.find((o) => String(o.organization_id) === request.draft.organizationId);
        if (!org) throw new ContractError({ code: 'not-found', message: `Organization ${request.draft.organizationId} is not reachable` });
        record = draftRecord(ctx, { ...request.draft, accountId: account.id }, org.name);
      }
      const result = await ctx.engine.preview(record);
      return {
        counts: result.counts,
        fullRead: result.fullRead,
        error: result.error,
        sample: (result.sample ?? []).map((o, i) => ({
          id: i + 1, outcome: o.outcome, reason: o.reason, email: o.email, sourceContactId: o.sourceId, sourceName: o.sourceName, detail: o.detail,
        })),
      };
    },

    'syncs.previewSchedule': ({ schedule, count }) =>
      previewRuns(schedule, ctx.clock.now(), count).map((p) => ({ at: p.at.toISOString(), local: p.local, ...(p.dst ? { dst: p.dst } : {}) })),
  };
}

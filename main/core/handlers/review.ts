import type { CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import type { SyncRecord } from '../store';
import { PageWriter } from '../sync/pageWriter';
import { requireSync } from './syncs';

type ReviewHandlers = Pick<Handlers, 'review.list' | 'review.decide'>;

/**
 * The review queue of the re-subscription guard. Approving lets the contact in as a run would
 * have (values merged per the sync's update policy, the sync's subscription); rejecting keeps it
 * out, and later runs honour that. Each decision is kept with when and where it was taken.
 */
export function reviewHandlers(ctx: CoreContext): ReviewHandlers {
  // The CLI calls the same handlers; its core runs as 'cli', every other host is the app.
  const decidedBy = ctx.runtime === 'cli' ? 'cli' : 'app';

  return {
    'review.list': ({ syncId, status, offset, limit }) =>
      ctx.store.review.list({ syncId: syncId === undefined ? undefined : requireSync(ctx, syncId).id, status }, { offset, limit }),

    'review.decide': (request) => {
      const { store } = ctx;
      const ids = 'ids' in request
        ? request.ids
        : store.review.pendingIds(request.syncId === undefined ? undefined : requireSync(ctx, request.syncId).id);
      const now = ctx.nowIso();
      const counts = { approved: 0, rejected: 0, skipped: 0 };
      const affected = new Set<string>();
      store.transaction(() => {
        const entries = store.review.pendingEntries([...new Set(ids)]);
        counts.skipped = ids.length - entries.length;
        const writers = new Map<string, PageWriter>();
        const syncs = new Map<string, SyncRecord | null>();
        for (const entry of entries) {
          if (request.decision === 'reject') {
            store.review.decide(entry.id, 'rejected', now, decidedBy);
            counts.rejected += 1;
            affected.add(entry.syncId);
            continue;
          }
          // Read again: an earlier approval in this batch (the same contact waiting for another
          // list) may have changed it, and the merge must start from what it is now.
          const contact = store.contacts.byEmail(entry.contact.email) ?? entry.contact;
          // Suppression outranks an approval: a bounced or do-not-mail address is never put back.
          if (contact.state === 'bounced' || contact.state === 'do-not-mail') {
            counts.skipped += 1;
            continue;
          }
          if (!syncs.has(entry.syncId)) syncs.set(entry.syncId, store.syncs.get(entry.syncId));
          const sync = syncs.get(entry.syncId)!;
          if (!sync) {
            counts.skipped += 1;
            continue;
          }
          let writer = writers.get(sync.id);
          if (!writer) writers.set(sync.id, (writer = new PageWriter(store.db, sync, null, store.review)));
          writer.admit(contact, entry.values, entry.sourceId, now);
          store.review.decide(entry.id, 'approved', now, decidedBy);
          counts.approved += 1;
          affected.add(entry.syncId);
        }
      });
      if (affected.size > 0) ctx.events.emit('syncs.changed', { syncIds: [...affected], reason: null });
      return counts;
    },
  };
}

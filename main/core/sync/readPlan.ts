import type { SyncRecord } from '../store';

export type ReadPlan =
  | { mode: 'full'; strictAfter: Date | null }
  /** Contacts changed since `since` (minus the overlap); `strictAfter` drops those not after it. */
  | { mode: 'changed'; since: Date; overlapMs: number; strictAfter: Date | null };

export interface ReadPolicy {
  /** Look-back on incremental reads so contacts sharing the boundary timestamp are not missed. */
  overlapMs: number;
  /** How often an incremental sync reads everything, to see deletions. */
  reconcileEveryMs: number;
}

export const defaultReadPolicy: ReadPolicy = { overlapMs: 5 * 60_000, reconcileEveryMs: 7 * 24 * 3_600_000 };

/**
 * What a run reads (sync-rules.md, Retrieval): a one-time or All-data first run reads the whole
 * set; an After first run reads what changed after the date; later runs of a recurring sync read
 * what changed since the last succeeded run, with a periodic full read to see deletions.
 */
export function planRead(sync: SyncRecord, now: Date, policy: ReadPolicy = defaultReadPolicy): ReadPlan {
  const after = sync.retrievalStart.kind === 'after' ? new Date(sync.retrievalStart.after) : null;
  if (sync.cursorAt === null || sync.schedule.kind === 'once') {
    return after ? { mode: 'changed', since: after, overlapMs: 0, strictAfter: after } : { mode: 'full', strictAfter: null };
  }
  const lastFull = sync.lastFullReadAt ? Date.parse(sync.lastFullReadAt) : null;
  // The reconciliation pass still honours an After date: older contacts are read but not imported.
  if (lastFull === null || now.getTime() - lastFull >= policy.reconcileEveryMs) return { mode: 'full', strictAfter: after };
  return { mode: 'changed', since: new Date(sync.cursorAt), overlapMs: policy.overlapMs, strictAfter: after };
}

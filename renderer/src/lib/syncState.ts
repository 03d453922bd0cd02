// How a sync's state reads to a person: Inactive (the key was changed or rejected; Activate) is
// kept apart from Paused (by you, or by itself after failed scheduled runs; Resume).
import type { Sync } from '../../../main/common/domain/sync';

export type SyncStateKind = 'running' | 'inactive' | 'paused' | 'waiting' | 'active';

export function syncStateOf(s: Pick<Sync, 'running' | 'active' | 'paused' | 'waiting'>): SyncStateKind {
  if (s.running) return 'running';
  if (!s.active) return 'inactive';
  if (s.paused) return 'paused';
  if (s.waiting) return 'waiting';
  return 'active';
}

/** Who paused the sync: the core records "Paused by you" for the user; anything else is the failure policy. */
export function pausedByUser(s: Pick<Sync, 'pausedReason'>): boolean {
  return !s.pausedReason || /\bby you\b/i.test(s.pausedReason);
}

/** The sentence shown with a paused sync. */
export function pausedText(s: Pick<Sync, 'pausedReason'>): string {
  if (pausedByUser(s)) return 'Paused by you: no scheduled runs until you resume it. Run now still works.';
  const reason = (s.pausedReason ?? '').trim().replace(/\.?$/, '.');
  return `Paused by itself. ${reason} Resume it once the cause is fixed.`;
}

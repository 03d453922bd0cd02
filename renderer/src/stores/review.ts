// The review queue of the re-subscription guard: paged reads, decisions, and the pending count
// the navigation shows (kept current by run and sync events).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Reply, Request } from '../../../main/common/contract';
import { api, onConnectionState } from '../transport';

export const useReviewStore = defineStore('review', () => {
  /** Contacts waiting for a decision, over every sync (null until first read). */
  const pending = ref<number | null>(null);
  /** Bumped after every decision, so open views reload. */
  const decisions = ref(0);

  async function refreshPending(): Promise<number> {
    const reply = await api.invoke('review.list', { status: 'pending', offset: 0, limit: 1 });
    pending.value = reply.pending;
    return reply.pending;
  }

  function list(request: Request<'review.list'>): Promise<Reply<'review.list'>> {
    return api.invoke('review.list', request);
  }

  async function decide(request: Request<'review.decide'>): Promise<Reply<'review.decide'>> {
    try {
      return await api.invoke('review.decide', request);
    } finally {
      decisions.value += 1;
      void refreshPending().catch(() => undefined);
    }
  }

  // A run may hold contacts; deciding (here, or from the CLI) changes the syncs' counts.
  const quietly = () => void refreshPending().catch(() => undefined);
  api.on('run.finished', quietly);
  api.on('syncs.changed', quietly);
  onConnectionState((state) => {
    if (state === 'open') quietly();
  });

  return { pending, decisions, refreshPending, list, decide };
});

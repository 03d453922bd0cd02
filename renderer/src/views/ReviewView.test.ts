// @vitest-environment happy-dom
// The review queue as a person meets it (the view over a fake contract that keeps its own queue):
// each entry says who came back and why; Approve / Reject one, Reject all after a confirm, and the
// decisions with when and by whom.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewItem } from '../../../main/common/domain/review';
import { useUiStore } from '../stores/ui';
import { fake } from '../testing/fakeTransport';
import ReviewView from './ReviewView.vue';

vi.mock('../transport', () => import('../testing/fakeTransport'));

const base = {
  syncName: 'Zylker → Newsletter', listId: 'list-1', listName: 'Newsletter', sourceContactId: null, runId: 4,
  heldAt: '2025-03-02T09:00:00.000Z', status: 'pending', decidedAt: null, decidedBy: null,
} as const;
let queue: ReviewItem[];
let wrapper: VueWrapper;

function entry(id: number, email: string, name: string, syncId: string, cause: ReviewItem['cause']): ReviewItem {
  return { ...base, id, syncId, contactId: 100 + id, email, sourceName: name, cause, leftAt: '2025-03-01T08:00:00.000Z' };
}

function setup(): void {
  queue = [
    entry(1, 'asha@example.in', 'Asha Rao', 'sync-a', 'removed-from-list'),
    entry(2, 'ravi@example.in', 'Ravi Kumar', 'sync-a', 'deleted'),
    entry(3, 'meera@example.in', 'Meera Nair', 'sync-b', 'deleted'),
  ];
  const decide = (ids: number[], decision: 'approve' | 'reject') => {
    let n = 0;
    queue = queue.map((q) => {
      if (!ids.includes(q.id) || q.status !== 'pending') return q;
      n += 1;
      return { ...q, status: decision === 'approve' ? 'approved' : 'rejected', decidedAt: '2025-03-03T10:00:00.000Z', decidedBy: 'app' };
    });
    return { approved: decision === 'approve' ? n : 0, rejected: decision === 'reject' ? n : 0, skipped: ids.length - n };
  };
  fake.reset({
    'syncs.list': () => [],
    'review.list': ({ syncId, status }) => {
      const scoped = queue.filter((q) => !syncId || q.syncId === syncId);
      const items = scoped.filter((q) => !status || q.status === status).sort((a, b) => b.id - a.id);
      return { total: items.length, pending: scoped.filter((q) => q.status === 'pending').length, items };
    },
    'review.decide': (request) => {
      if ('ids' in request) return decide(request.ids, request.decision);
      const ids = queue.filter((q) => q.status === 'pending' && (!request.syncId || q.syncId === request.syncId)).map((q) => q.id);
      return decide(ids, request.decision);
    },
  });
}

const all = (id: string) => wrapper.findAll(`[data-testid="${id}"]`);
const get = (id: string) => wrapper.get(`[data-testid="${id}"]`);
const row = (email: string) => wrapper.get(`[data-testid="review-row"][data-email="${email}"]`);
const emails = () => all('review-email').map((e) => e.text());

describe('the review queue view', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    setup();
    wrapper = mount(ReviewView, { props: { syncId: 'sync-a' }, attachTo: document.body });
    await flushPromises();
  });
  afterEach(() => {
    wrapper.unmount();
  });

  it('shows the pending entries of the chosen sync: contact, where, why and when', () => {
    expect(emails()).toEqual(['ravi@example.in', 'asha@example.in']);
    expect(get('review-pending-count').text()).toBe('2');
    const asha = row('asha@example.in');
    expect(asha.get('[data-testid="review-name"]').text()).toBe('Asha Rao');
    expect(asha.get('[data-testid="review-cause"]').text()).toBe('Removed from the list by you');
    expect(asha.get('[data-testid="review-list"]').text()).toBe('Newsletter');
    expect(asha.get('[data-testid="review-sync"]').attributes('href')).toBe('#/syncs/sync-a');
    expect(row('ravi@example.in').get('[data-testid="review-cause"]').text()).toBe('Was deleted');
    expect(asha.get('[data-testid="review-approve"]').attributes('aria-label')).toBe('Approve asha@example.in');
  });

  it('approves one and rejects one; the decisions are listed with when and by whom', async () => {
    await row('asha@example.in').get('[data-testid="review-approve"]').trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'review.decide').map((c) => c.request)).toEqual([{ decision: 'approve', ids: [1] }]);
    expect(emails()).toEqual(['ravi@example.in']);
    expect(get('review-pending-count').text()).toBe('1');

    await row('ravi@example.in').get('[data-testid="review-reject"]').trigger('click');
    await flushPromises();
    expect(emails()).toEqual([]);
    expect(get('review-empty').text()).toBe('Nobody is waiting for review.');
    expect((get('review-approve-all').element as HTMLButtonElement).disabled).toBe(true);

    await get('review-tab-approved').trigger('click');
    await flushPromises();
    expect(emails()).toEqual(['asha@example.in']);
    expect(get('review-decision').text()).toBe('Approved');
    expect(get('review-decided').text()).toContain('In the app');
    expect(all('review-approve')).toHaveLength(0);
    await get('review-tab-rejected').trigger('click');
    await flushPromises();
    expect(emails()).toEqual(['ravi@example.in']);
    expect(get('review-decision').text()).toBe('Rejected');
    // The other sync's entry was never touched.
    expect(queue.find((q) => q.id === 3)?.status).toBe('pending');
  });

  it('Reject all asks first; Cancel changes nothing, confirming rejects every pending entry of the sync', async () => {
    const ui = useUiStore();
    await get('review-reject-all').trigger('click');
    expect(ui.confirmRequest?.title).toBe('Reject all 2 contacts?');
    expect(ui.confirmRequest?.message).toContain('Every pending contact of this sync stays out');
    ui.confirmRequest!.resolve(false);
    await flushPromises();
    expect(fake.calls.some((c) => c.channel === 'review.decide')).toBe(false);
    expect(emails()).toHaveLength(2);

    await get('review-reject-all').trigger('click');
    ui.confirmRequest!.resolve(true);
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'review.decide').map((c) => c.request)).toEqual([
      { decision: 'reject', allPending: true, syncId: 'sync-a' },
    ]);
    expect(emails()).toEqual([]);
    expect(ui.toasts.map((t) => t.text)).toContain('Rejected 2 contacts');
    expect(queue.map((q) => q.status)).toEqual(['rejected', 'rejected', 'pending']);
  });
});

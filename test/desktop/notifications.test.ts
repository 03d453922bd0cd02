import { describe, expect, it } from 'vitest';
import { emptyCounts, type RunCounts } from '../../main/common/domain/outcome';
import { deactivationNotices, watchNotifications, type DesktopNotice, type NoticeLookup } from '../../main/core/desktop/desktopNotifier';
import { deactivationNotice, notificationFor, type FinishedRun } from '../../main/core/desktop/notifications';
import type { NotificationMode } from '../../main/common/domain/settings';
import { CoreEvents } from '../../main/core/events';

const counts = (partial: Partial<RunCounts>): RunCounts => ({ ...emptyCounts(), ...partial });
const succeeded: FinishedRun = {
  syncId: 's1', syncName: 'Customers', runId: 7, status: 'succeeded',
  counts: counts({ total: 12, new: 5, readded: 1, duplicate: 3, ignored: 3, deleted: 2 }), error: null,
};
const failed: FinishedRun = { ...succeeded, status: 'failed', counts: emptyCounts(), error: { kind: 'network', message: 'Zoho Invoice could not be reached' } };

describe('notificationFor', () => {
  it('the safety rails show in the counts when they acted; an undo run, asked for on screen, is not announced', () => {
    expect(notificationFor({ ...succeeded, counts: counts({ total: 4, new: 1, held: 2, duplicate: 1, exited: 3 }) }, 'all')?.body)
      .toBe('New 1 · Re-added 0 · Ignored 0 · Deleted 0 · Held back 2 · Exited 3 (of 4)');
    expect(notificationFor({ ...succeeded, counts: counts({ reverted: 5 }) }, 'all')).toBeNull();
  });

  it('mode all: a completed import with its counts, and a failed one with its reason; a click opens that run', () => {
    expect(notificationFor(succeeded, 'all')).toEqual({
      title: 'Customers: import complete',
      body: 'New 5 · Re-added 1 · Ignored 3 · Deleted 2 (of 12)',
      syncId: 's1', runId: 7, urgent: false,
    });
    expect(notificationFor(failed, 'all')).toEqual({
      title: 'Customers: import failed', body: 'Zoho Invoice could not be reached', syncId: 's1', runId: 7, urgent: false,
    });
  });

  it('mode failures: only failed and interrupted runs', () => {
    expect(notificationFor(succeeded, 'failures')).toBeNull();
    expect(notificationFor(failed, 'failures')?.title).toBe('Customers: import failed');
    const interrupted = notificationFor({ ...failed, status: 'interrupted', error: null }, 'failures');
    expect(interrupted?.body).toBe('ListSync stopped during this run');
  });

  it('mode off: nothing, whatever happened', () => {
    expect(notificationFor(succeeded, 'off')).toBeNull();
    expect(notificationFor(failed, 'off')).toBeNull();
    expect(notificationFor({ ...failed, error: { kind: 'auth', message: 'rejected' } }, 'off')).toBeNull();
  });

  it('truncates a long failure reason to at most 180 characters, ending in an ellipsis', () => {
    const reason = 'x'.repeat(500);
    const note = notificationFor({ ...failed, error: { kind: 'source', message: reason } }, 'all');
    expect(note?.body.length).toBeLessThanOrEqual(180);
    expect(note?.body.endsWith('…')).toBe(true);
    expect(note?.body.startsWith('x'.repeat(177))).toBe(true);
    const exact = 'y'.repeat(180);
    expect(notificationFor({ ...failed, error: { kind: 'source', message: exact } }, 'all')?.body).toBe(exact);
  });

  it('a rejected key (auth) is urgent; other failures are not', () => {
    expect(notificationFor({ ...failed, error: { kind: 'auth', message: 'The key was rejected' } }, 'failures')?.urgent).toBe(true);
    expect(notificationFor(failed, 'failures')?.urgent).toBe(false);
  });

  it('a cancelled run (Cancel, or quitting) is not announced', () => {
    expect(notificationFor({ ...failed, error: { kind: 'cancelled', message: 'The run was cancelled' } }, 'all')).toBeNull();
  });
});

describe('deactivation notices', () => {
  const syncs: Record<string, { name: string; accountId: string; accountName: string }> = {
    a1: { name: 'A1', accountId: 'acc-a', accountName: 'Zylker' },
    a2: { name: 'A2', accountId: 'acc-a', accountName: 'Zylker' },
    a3: { name: 'A3', accountId: 'acc-a', accountName: 'Zylker' },
    b1: { name: 'B1', accountId: 'acc-b', accountName: 'Acme' },
  };
  const lookup: NoticeLookup = { get: (id) => syncs[id] ?? null };

  it('deactivationNotice counts the syncs in words', () => {
    expect(deactivationNotice('Zylker', 1, 'Key rejected')).toEqual({ title: 'Zylker: 1 sync deactivated', body: 'Key rejected' });
    expect(deactivationNotice('Zylker', 3, 'Key rejected').title).toBe('Zylker: 3 syncs deactivated');
  });

  it('one notice per account, never one per sync; unknown syncs are skipped', () => {
    expect(deactivationNotices(['a1', 'a2', 'a3', 'b1', 'gone'], 'Key rejected', lookup)).toEqual([
      { title: 'Zylker: 3 syncs deactivated', body: 'Key rejected', urgent: true, opens: null },
      { title: 'Acme: 1 sync deactivated', body: 'Key rejected', urgent: true, opens: null },
    ]);
  });

  it('watchNotifications follows the events and the current mode', () => {
    const events = new CoreEvents();
    let mode: NotificationMode = 'all';
    const shown: DesktopNotice[] = [];
    const off = watchNotifications({ events, lookup, mode: () => mode, show: (n) => shown.push(n) });
    const finished = { syncId: 'a1', runId: 3, status: 'succeeded' as const, counts: counts({ total: 1, new: 1 }), error: null };

    events.emit('run.finished', finished);
    expect(shown).toEqual([{ title: 'A1: import complete', body: 'New 1 · Re-added 0 · Ignored 0 · Deleted 0 (of 1)', urgent: false, opens: { syncId: 'a1', runId: 3 } }]);

    events.emit('syncs.changed', { syncIds: ['a1', 'a2'], reason: null }); // an edit: no notice
    events.emit('syncs.changed', { syncIds: [], reason: 'The key was changed' }); // nothing deactivated
    events.emit('syncs.changed', { syncIds: ['a1', 'a2', 'a3'], reason: 'Zoho Invoice rejected the ZSC key' });
    expect(shown.slice(1).map((n) => n.title)).toEqual(['Zylker: 3 syncs deactivated']);

    mode = 'failures'; // read at each event: the Settings change applies at once
    events.emit('run.finished', finished);
    events.emit('run.finished', { ...finished, status: 'skipped' });
    expect(shown).toHaveLength(2);
    events.emit('run.finished', { ...finished, status: 'failed', error: { kind: 'auth', message: 'rejected' } });
    expect(shown[2]).toMatchObject({ title: 'A1: import failed', urgent: true, opens: { syncId: 'a1', runId: 3 } });

    mode = 'off';
    events.emit('run.finished', { ...finished, status: 'failed', error: { kind: 'auth', message: 'rejected' } });
    events.emit('syncs.changed', { syncIds: ['b1'], reason: 'rejected' });
    expect(shown).toHaveLength(3);

    off();
    mode = 'all';
    events.emit('run.finished', finished);
    expect(shown).toHaveLength(3);
  });

  it('a run of a sync deleted meanwhile still gets a title', () => {
    const events = new CoreEvents();
    const shown: DesktopNotice[] = [];
    watchNotifications({ events, lookup, mode: () => 'all', show: (n) => shown.push(n) });
    events.emit('run.finished', { syncId: 'gone', runId: 1, status: 'failed', counts: emptyCounts(), error: { kind: 'network', message: 'offline' } });
    expect(shown[0]?.title).toBe('A deleted sync: import failed');
  });
});

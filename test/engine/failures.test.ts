import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, userVisibleState, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';
import { startSandbox } from '../../main/core/sandbox';

const org = '7000003';
const contacts = Array.from({ length: 450 }, (_, i) => fixture(`Person ${i}`, `person${i}@example.com`));

describe('failures: recovered, or failed cleanly with nothing lost', () => {
  let h: Harness;
  let accountId: string;
  let listId: string;

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Faulty Ltd', contacts }] });
    accountId = await h.addAccount();
    listId = await h.addList('All');
  });
  afterAll(() => h?.close());

  it('429 bursts (with and without Retry-After) and 5xx are retried to the right counts', async () => {
    const syncId = await h.addSync({ accountId, listId, organizationId: org, name: 'retry' });
    h.sandbox.setFaults({ rateLimitBurst: { count: 2, retryAfterSec: 0 }, serverErrors: { count: 2, status: 503 } });
    const r = await h.core.runAndWait(syncId, 'manual');
    expect(r.status).toBe('succeeded');
    expect(r.counts).toMatchObject({ total: 450, new: 450 });
    h.sandbox.setFaults({ rateLimitBurst: { count: 1, retryAfterSec: null } });
    const again = await h.core.runAndWait(syncId, 'manual');
    expect(again.counts).toMatchObject({ total: 450, duplicate: 450 });
  });

  it('a malformed first page fails the run with a clear message and changes nothing', async () => {
    const otherList = await h.addList('Malformed');
    const syncId = await h.addSync({ accountId, listId: otherList, organizationId: org, name: 'malformed' });
    const before = JSON.stringify(userVisibleState(h.core));
    h.sandbox.setFaults({ truncateNext: 10 });
    const r = await h.core.runAndWait(syncId, 'manual');
    h.sandbox.setFaults({});
    expect(r.status).toBe('failed');
    expect(r.error?.kind).toBe('malformed');
    expect(r.error?.message).toMatch(/page 1/i);
    expect(JSON.stringify(userVisibleState(h.core))).toBe(before);
    const run = h.core.store.runs.get(r.runId!)!;
    expect(run.status).toBe('failed');
    expect(run.error).toBe(r.error?.message);
  });

  it('a wrong shape in a field is a clear failure, not a crash or a skip', async () => {
    const syncId = await h.addSync({ accountId, listId, organizationId: org, name: 'shape' });
    h.sandbox.setFaults({ wrongShapeNext: 10 });
    const r = await h.core.runAndWait(syncId, 'manual');
    h.sandbox.setFaults({});
    expect(r.status).toBe('failed');
    expect(r.error?.kind).toBe('malformed');
  });

  it('a rejected key fails the run and deactivates exactly that account\'s syncs', async () => {
    const syncA = await h.addSync({ accountId, listId, organizationId: org, name: 'A1' });
    const syncB = await h.addSync({ accountId, listId, organizationId: org, name: 'A2' });
    const other = await startSandbox({ organizations: [{ organization_id: '7000099', name: 'Other', contacts: [fixture('Zed Other', 'zed@example.com')] }] });
    try {
      const otherAccount = (await h.call('accounts.add', { name: 'Other', endpoint: { baseUrl: other.apiRoot }, key: other.key })).id;
      const syncOther = await h.addSync({ accountId: otherAccount, listId, organizationId: '7000099', name: 'O1' });
      h.sandbox.regenerateKey();
      const r = await h.core.runAndWait(syncA, 'manual');
      expect(r.status).toBe('failed');
      expect(r.error?.kind).toBe('auth');
      for (const id of [syncA, syncB]) {
        const s = await h.call('syncs.get', { syncId: id });
        expect(s.active).toBe(false);
        expect(s.inactiveReason).toMatch(/rejected the ZSC key/);
      }
      expect((await h.call('syncs.get', { syncId: syncOther })).active).toBe(true);
      await expect(h.call('syncs.runNow', { syncId: syncB, trigger: 'manual' })).rejects.toMatchObject({ code: 'conflict' });
      // A wrong new key is refused and stored nowhere.
      await expect(h.call('accounts.changeKey', { accountId, key: 'definitely-not-the-key' })).rejects.toMatchObject({ code: 'key-rejected' });
      // Storing the new key does not reactivate the syncs; Activate all does.
      const newKey = h.sandbox.key;
      const changed = await h.call('accounts.changeKey', { accountId, key: newKey });
      expect(changed.account.keyLast4).toBe(newKey.slice(-4));
      expect((await h.call('syncs.get', { syncId: syncA })).active).toBe(false);
      const all = await h.call('syncs.activateAll', { accountId });
      expect(all.every((s) => s.active)).toBe(true);
      expect((await h.core.runAndWait(syncA, 'manual')).status).toBe('succeeded');
    } finally {
      await other.close();
    }
  });
});

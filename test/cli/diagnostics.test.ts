import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { createFileLogger } from '../../main/core/logging';
import { createHarness } from '../support/harness';

describe('Copy diagnostics', () => {
  it('reports versions, counts, sync states and the log tail, and never the key', async () => {
    const h = await createHarness({ secrets: new MemorySecretStore() });
    try {
      const accountId = await h.addAccount();
      const listId = await h.addList();
      const syncId = await h.addSync({ accountId, listId });
      await h.core.runAndWait(syncId, 'manual');
      createFileLogger(h.dataDir).log('warn', 'test.event', { apiKey: h.sandbox.key, syncId });
      const { text } = await h.call('app.diagnostics', {});
      expect(text).toMatch(/^ListSync \S+ \(test\) — diagnostics of /);
      expect(text).toContain('Accounts: 1; mailing lists: 1;');
      expect(text).toMatch(/^Started: ListSync \S+ \(test\) at \d{4}-\d\d-\d\dT\S+; the first start on this data folder$/m);
      expect(text).toMatch(new RegExp(`${syncId} active; schedule once; next —; last succeeded`));
      expect(text).toContain('"event":"test.event"');
      expect(text).not.toContain(h.sandbox.key);

      // The next start names the one before it.
      await h.reopen();
      const again = (await h.call('app.diagnostics', {})).text;
      const first = /^Started: (ListSync \S+ \(test\) at \S+);/m.exec(text)?.[1];
      expect(first).toBeDefined();
      expect(again).toContain(`; the start before: ${first}`);
    } finally {
      await h.close();
    }
  });
});

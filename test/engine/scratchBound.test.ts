// Past 100,000 contacts a run's seen IDs and addresses leave memory for TEMP tables. The same
// organization imported with that bound lowered to 100 must give every record the same outcome
// as with everything in memory: file duplicates pages apart, deletions found by the full read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, tableRows, userVisibleState, type Harness } from '../support/harness';

const organization = { name: 'Bounded scratch', generate: { count: 3000, seed: 41 } };
const alwaysFull = { overlapMs: 5 * 60_000, reconcileEveryMs: 0 };

async function importer(scratchMemoryEntries?: number): Promise<{ h: Harness; syncId: string }> {
  const h = await createHarness({ organizations: [organization], readPolicy: alwaysFull, ...(scratchMemoryEntries ? { scratchMemoryEntries } : {}) });
  const accountId = await h.addAccount();
  const listId = await h.addList('Customers');
  return { h, syncId: await h.addSync({ accountId, listId }) };
}

/** Each record's outcome of the sync's latest run, by Zoho contact. */
function outcomesOfLastRun(h: Harness): unknown[] {
  return tableRows(h.core, `
    SELECT source_id, outcome, reason, email FROM run_outcomes
    WHERE run_id = (SELECT MAX(id) FROM runs) ORDER BY source_id, outcome`);
}

describe('a run whose seen sets outgrow memory', () => {
  let bounded: { h: Harness; syncId: string };
  let unbounded: { h: Harness; syncId: string };

  beforeAll(async () => {
    bounded = await importer(100);
    unbounded = await importer();
  });
  afterAll(async () => {
    await bounded?.h.close();
    await unbounded?.h.close();
  });

  it('imports exactly as a run that keeps everything in memory', async () => {
    const a = await bounded.h.core.runAndWait(bounded.syncId, 'manual');
    const b = await unbounded.h.core.runAndWait(unbounded.syncId, 'manual');
    expect(a.status).toBe('succeeded');
    expect(a.counts).toEqual(b.counts);
    // The organization has file duplicates for the sets to catch, across pages.
    expect(a.counts.ignored_by_reason.file_duplicate).toBeGreaterThan(0);
    expect(a.counts.new).toBeGreaterThan(1000);
    expect(outcomesOfLastRun(bounded.h)).toEqual(outcomesOfLastRun(unbounded.h));
    expect(userVisibleState(bounded.h.core)).toEqual(userVisibleState(unbounded.h.core));
    // The bounded run did use its TEMP tables (their pages stay allocated after the run's rows go).
    const tempPages = (h: Harness) => h.core.store.db.pragma('temp.page_count', { simple: true }) as number;
    expect(tempPages(bounded.h)).toBeGreaterThan(20);
    expect(tempPages(unbounded.h)).toBeLessThan(10);
  });

  it('finds the same deletions on the next full read', async () => {
    const orgId = bounded.h.sandbox.organizations[0]!;
    const mapped = tableRows(bounded.h.core, 'SELECT source_id FROM sync_sources ORDER BY source_id') as Array<{ source_id: string }>;
    const gone = mapped.filter((_, i) => i % 97 === 5).map((r) => r.source_id);
    for (const { h } of [bounded, unbounded]) for (const id of gone) h.sandbox.deleteContact(h.sandbox.organizations[0]!, id);
    expect(unbounded.h.sandbox.organizations[0]).toBe(orgId);

    const a = await bounded.h.core.runAndWait(bounded.syncId, 'manual');
    const b = await unbounded.h.core.runAndWait(unbounded.syncId, 'manual');
    expect(a.status).toBe('succeeded');
    expect(a.counts.deleted).toBeGreaterThan(0);
    expect(a.counts).toEqual(b.counts);
    expect(outcomesOfLastRun(bounded.h)).toEqual(outcomesOfLastRun(unbounded.h));
    expect(userVisibleState(bounded.h.core)).toEqual(userVisibleState(unbounded.h.core));
  });
});

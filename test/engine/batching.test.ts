// A run writes its decisions in batches, one transaction each: small batches for a small address
// book (a batch runs on the app's main thread in one go), larger ones once the address index has
// outgrown SQLite's page cache (each commit rewrites the index pages its batch touched).
import { afterEach, describe, expect, it } from 'vitest';
import { batchRecordsFor } from '../../main/core/sync/engine';
import { createHarness, type Harness } from '../support/harness';
import { fixture } from '../support/fixtures';

describe('batch size for an address book', () => {
  it('is 2,000 up to 200,000 contacts, a hundredth of the book above, and 10,000 at most', () => {
    expect([0, 1, 150_000, 200_000].map(batchRecordsFor)).toEqual([2000, 2000, 2000, 2000]);
    expect([300_000, 500_000, 999_999].map(batchRecordsFor)).toEqual([3000, 5000, 10_000]);
    expect([1_000_000, 5_000_000].map(batchRecordsFor)).toEqual([10_000, 10_000]);
  });
});

describe('a run writes in batches', () => {
  // One record a contact, all selected: a page brings 200 records.
  const people = Array.from({ length: 4100 }, (_, i) => fixture(`P${i} Lee`, `p${i}@example.org`));
  const organization = { organization_id: '7500001', name: 'Batches', contacts: people };
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The records each progress report of the run's read added: one report per written batch. */
  async function batchSizes(batchRecords?: number): Promise<{ sizes: number[]; total: number }> {
    h = await createHarness({ organizations: [organization], ...(batchRecords ? { batchRecords } : {}) });
    const accountId = await h.addAccount();
    const syncId = await h.addSync({ accountId, listId: await h.addList('Customers') });
    const sizes: number[] = [];
    let before = 0;
    const off = h.core.events.on('run.progress', (p) => {
      if (p.phase !== 'reading' || p.counts.total === before) return;
      sizes.push(p.counts.total - before);
      before = p.counts.total;
    });
    const run = await h.core.runAndWait(syncId, 'manual');
    off();
    expect(run.status).toBe('succeeded');
    return { sizes, total: run.counts.total };
  }

  it('of at most 2,000 records into a new address book, every record in one of them', async () => {
    const { sizes, total } = await batchSizes();
    expect(total).toBe(4100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2000);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });

  it('of at most the size the core was given', async () => {
    const { sizes, total } = await batchSizes(600);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    // Whole pages of 200 are queued: a batch closes at the first page that reaches 600.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(600);
    expect(sizes.length).toBeGreaterThanOrEqual(7);
  });
});

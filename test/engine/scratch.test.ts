// A run's seen-sets must answer exactly like a Set of strings once they outgrow memory and move to
// their TEMP tables: a wrong "seen" would skip a contact or hide a deletion, a wrong "not seen"
// would import a file duplicate. Checked against a reference Set on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/core/store';
import { BloomFilter } from '../../main/core/sync/bloomFilter';
import { RunScratch } from '../../main/core/sync/scratch';

function randomSource(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('RunScratch past its memory bound', () => {
  let dir: string;
  let store: Store;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'listsync-scratch-'));
    store = openStore(join(dir, 'listsync.db'));
    const now = new Date().toISOString();
    const db = store.db;
    db.prepare(`INSERT INTO accounts (id, name, base_url, key_last4, created_at) VALUES ('acc', 'A', 'http://127.0.0.1:1', 'xxxx', ?)`).run(now);
    db.prepare(`INSERT INTO mailing_lists (id, name, created_at) VALUES ('list', 'L', ?)`).run(now);
    db.prepare(
      `INSERT INTO syncs (id, name, account_id, organization_id, organization_name, import_option, list_id, mapping, update_policy,
         schedule, retrieval_start, created_at, updated_at)
       VALUES ('sync', 'S', 'acc', '1', 'Org', '{"kind":"all"}', 'list', '[]', 'overwrite', '{"kind":"once"}', '{"kind":"all"}', ?, ?)`,
    ).run(now, now);
    // The sync knows 3,000 Zoho contacts, IDs in no particular order.
    const contact = db.prepare(`INSERT INTO contacts (email, state, created_at, updated_at) VALUES (?, 'active', ?, ?)`);
    const source = db.prepare(`INSERT INTO sync_sources (sync_id, source_id, contact_id) VALUES ('sync', ?, ?)`);
    store.transaction(() => {
      for (let i = 0; i < 3000; i += 1) {
        const id = Number(contact.run(`known${i}@example.com`, now, now).lastInsertRowid);
        source.run(String(460_000_000_000_000 + ((i * 7919) % 3000)), id);
      }
    });
  });
  afterAll(() => {
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers like a Set through many flushes to disk, ASCII or not', () => {
    const scratch = new RunScratch(store.db, 64);
    const seenIds = new Set<string>();
    const seenEmails = new Set<string>();
    const random = randomSource(7);
    const id = () => String(460_000_000_000_000 + Math.floor(random() * 4000));
    const email = () => {
      const n = Math.floor(random() * 3000);
      return random() < 0.02 ? `jöhn${n}@münchen.de` : `person${n}@example${n % 5}.org`;
    };
    for (let page = 0; page < 60; page += 1) {
      const ids = Array.from({ length: 50 }, id);
      const expectedFresh = new Set<string>();
      for (const v of ids) if (!seenIds.has(v)) expectedFresh.add(v);
      expect(scratch.markSeen(ids)).toEqual(expectedFresh);
      for (const v of ids) seenIds.add(v);

      const emails = Array.from({ length: 50 }, email);
      expect(scratch.earlierAddresses(emails)).toEqual(new Set(emails.filter((e) => seenEmails.has(e))));
      scratch.rememberAddresses(emails);
      for (const e of emails) seenEmails.add(e);
    }
    // Both sets went to disk many times over (64 entries in memory).
    const onDisk = store.db.prepare('SELECT (SELECT COUNT(*) FROM temp.run_seen_ids WHERE run_key = ?) + (SELECT COUNT(*) FROM temp.run_seen_emails WHERE run_key = ?)').pluck();
    expect(onDisk.get(scratch.key, scratch.key) as number).toBeGreaterThan(4000);
    // Each flush wrote a generation of its own, up to the bound; later flushes share the last one
    // (~47 flushes of the IDs here), and values written again live in more than one.
    const generations = store.db.prepare('SELECT COUNT(DISTINCT generation), MAX(generation) FROM temp.run_seen_ids WHERE run_key = ?').raw();
    expect(generations.get(scratch.key)).toEqual([16, 15]);
    const copies = store.db.prepare('SELECT COUNT(*) - COUNT(DISTINCT email) FROM temp.run_seen_emails WHERE run_key = ?').pluck();
    expect(copies.get(scratch.key) as number).toBeGreaterThan(0);

    // The deletion check: the known sources this run did not see, in source_id order, paged.
    const known = store.db.prepare(`SELECT source_id FROM sync_sources WHERE sync_id = 'sync' ORDER BY source_id`).pluck().all() as string[];
    const expectedUnseen = known.filter((s) => !seenIds.has(s));
    expect(expectedUnseen.length).toBeGreaterThan(100);
    expect(scratch.unseenSources('sync', 1_000_000).map((r) => r.source_id)).toEqual(expectedUnseen);
    const paged: string[] = [];
    for (let after = ''; ;) {
      const rows = scratch.unseenSources('sync', 97, after);
      if (rows.length === 0) break;
      paged.push(...rows.map((r) => r.source_id));
      after = rows[rows.length - 1]!.source_id;
    }
    expect(paged).toEqual(expectedUnseen);

    scratch.dispose();
    expect(onDisk.get(scratch.key, scratch.key)).toBe(0);
  });

  it('looks a value up on disk by the table\'s key (generation, then value), not by a scan', () => {
    const scratch = new RunScratch(store.db, 4);
    const plan = store.db
      .prepare(`EXPLAIN QUERY PLAN SELECT email FROM temp.run_seen_emails WHERE email IN (SELECT value FROM json_each(?)) AND run_key = ? AND generation = ?`)
      .all('["a@example.com"]', scratch.key, 0) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail)).toContain('SEARCH temp.run_seen_emails USING PRIMARY KEY (run_key=? AND generation=? AND email=?)');
    scratch.dispose();
  });

  it('keeps two runs apart', () => {
    const a = new RunScratch(store.db, 4);
    const b = new RunScratch(store.db, 4);
    const values = Array.from({ length: 20 }, (_, i) => `shared${i}@example.com`);
    a.rememberAddresses(values);
    expect(a.earlierAddresses(values).size).toBe(20);
    expect(b.earlierAddresses(values).size).toBe(0);
    a.dispose();
    b.dispose();
  });

  it('bounds the TEMP database\'s page cache (better-sqlite3 builds a 16 MB default)', () => {
    store.db.pragma('temp.cache_size = -16000');
    const scratch = new RunScratch(store.db, 4);
    expect(store.db.pragma('temp.cache_size', { simple: true })).toBe(-2048);
    // The address book's own cache is not the scratch's to change.
    expect(store.db.pragma('main.cache_size', { simple: true })).toBe(-8192);
    scratch.dispose();
  });
});

describe('BloomFilter', () => {
  it('never forgets a value, and rarely claims one it was not given', () => {
    const filter = new BloomFilter(20_000);
    for (let i = 0; i < 20_000; i += 1) filter.add(`person${i}@example.org`);
    for (let i = 0; i < 20_000; i += 1) expect(filter.mightHave(`person${i}@example.org`)).toBe(true);
    let falseMaybes = 0;
    for (let i = 20_000; i < 120_000; i += 1) if (filter.mightHave(`person${i}@example.org`)) falseMaybes += 1;
    // At capacity about 1 in 120 (0.8 %, 10 bits and 7 probes per value); a margin for the hashes' luck.
    expect(falseMaybes / 100_000).toBeLessThan(0.015);
  });
});

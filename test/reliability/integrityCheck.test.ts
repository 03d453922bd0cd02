// When opening reads the whole database for damage (PRAGMA quick_check) and when a clean close
// lets it trust the file (store/cleanClose.ts). The skip is proven the hard way: a page damaged
// behind the app's back with the file's size and time put back opens without complaint, and the
// same file is refused as soon as anything says it may have changed.
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/createCore';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { openStore } from '../../main/core/store';
import { cleanClosePath, fullCheckEveryMs, recordCleanClose, trustedSince } from '../../main/core/store/cleanClose';

const root = mkdtempSync(join(tmpdir(), 'listsync-integrity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(mkdtempSync(join(root, `case-${++n}-`)), 'listsync.db');

const day = 24 * 3_600_000;

/** A store with a list and 3,000 contacts, closed cleanly through the store (as the app closes it). */
function cleanlyClosedStore(path: string, now: Date): void {
  const store = openStore(path, () => now);
  store.db.prepare(`INSERT INTO mailing_lists (id, name, created_at) VALUES ('list_1', 'Customers', '2026-01-01T00:00:00Z')`).run();
  const insert = store.db.prepare(`INSERT INTO contacts (email, state, first_name, last_name, fields, created_at, updated_at) VALUES (?, 'active', ?, 'Last', '{}', '2026-01-01', '2026-01-01')`);
  store.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(`person${i}@example.com`, `First ${i}`);
  });
  store.close();
}

/**
 * Zeroes a page in the middle of the file, then puts the file's modification time back: only a
 * full read sees it. (utimes keeps whole seconds exactly, not nanoseconds: the clean close's
 * record is made again for the file at a whole second first.)
 */
function damageBehindTheBack(path: string, checkedAt: Date): void {
  const facts = new Database(path, { readonly: true });
  const pageSize = facts.pragma('page_size', { simple: true }) as number;
  const pages = facts.pragma('page_count', { simple: true }) as number;
  facts.close();
  const second = Math.floor(statSync(path).mtimeMs / 1000);
  utimesSync(path, second, second);
  recordCleanClose(path, checkedAt.toISOString());
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0), 0, pageSize, Math.floor(pages / 2) * pageSize);
  } finally {
    closeSync(fd);
  }
  utimesSync(path, second, second);
  expect(statSync(path).mtimeMs).toBe(second * 1000);
}

const opens = (path: string, now: Date) => () => openStore(path, () => now).db.close();

describe('the integrity check at open', () => {
  const closedAt = new Date('2026-12-01T09:00:00Z');

  it('a clean close records the file as it was left and when it was last checked', () => {
    const path = freshPath();
    cleanlyClosedStore(path, closedAt);
    const record = JSON.parse(readFileSync(cleanClosePath(path), 'utf8')) as Record<string, unknown>;
    const file = statSync(path);
    expect(record).toEqual({ size: file.size, mtimeMs: file.mtimeMs, checkedAt: closedAt.toISOString() });
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('skips the full read for a file its clean close left untouched, and reads it in full once anything says it may have changed', () => {
    const path = freshPath();
    cleanlyClosedStore(path, closedAt);
    damageBehindTheBack(path, closedAt);
    const later = new Date(closedAt.getTime() + day);
    // Trusted: the damage goes unread at open (it is what the skip saves: reading every page).
    expect(trustedSince(path, later)).toBe(closedAt.toISOString());
    expect(opens(path, later)).not.toThrow();
    // That open ended without the store's close: no new record, but the old one still matches.
    // A touch of the file (another program, a restored copy) makes the next open read it all.
    const touched = new Date(statSync(path).mtimeMs + 2_000);
    utimesSync(path, touched, touched);
    expect(trustedSince(path, later)).toBeNull();
    expect(opens(path, later)).toThrow(/is damaged[\s\S]*restore a backup/);
  });

  it('reads the file in full after a week without a full check, even after clean closes', () => {
    const path = freshPath();
    cleanlyClosedStore(path, closedAt);
    damageBehindTheBack(path, closedAt);
    expect(trustedSince(path, new Date(closedAt.getTime() + fullCheckEveryMs))).toBe(closedAt.toISOString());
    const weekLater = new Date(closedAt.getTime() + fullCheckEveryMs + 1);
    expect(trustedSince(path, weekLater)).toBeNull();
    expect(opens(path, weekLater)).toThrow(/is damaged/);
  });

  it('a trusted open carries the last full check forward; a full check starts the week again', () => {
    const path = freshPath();
    cleanlyClosedStore(path, closedAt);
    const later = new Date(closedAt.getTime() + 3 * day);
    openStore(path, () => later).close();
    expect(JSON.parse(readFileSync(cleanClosePath(path), 'utf8')).checkedAt).toBe(closedAt.toISOString());
    const afterWeek = new Date(closedAt.getTime() + 8 * day);
    openStore(path, () => afterWeek).close();
    expect(JSON.parse(readFileSync(cleanClosePath(path), 'utf8')).checkedAt).toBe(afterWeek.toISOString());
  });

  it('a process that ends without closing (a crash) leaves a log with content: the next open reads the file in full', () => {
    const path = freshPath();
    cleanlyClosedStore(path, closedAt);
    const crashed = openStore(path, () => closedAt);
    crashed.db.prepare(`INSERT INTO mailing_lists (id, name, created_at) VALUES ('list_2', 'Leads', '2026-01-02T00:00:00Z')`).run();
    // Still open, as a killed process leaves it: its record still matches the file, its log does not.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    expect(trustedSince(path, closedAt)).toBeNull();
    crashed.db.close();
  });

  it('a missing, unreadable or foreign record, or one without its database, means a full check', () => {
    const path = freshPath();
    expect(trustedSince(path, closedAt)).toBeNull(); // neither file
    cleanlyClosedStore(path, closedAt);
    for (const text of ['', 'not json', '{"size":-1,"mtimeMs":1,"checkedAt":"2026-12-01T09:00:00Z"}', '{"size":1}']) {
      writeFileSync(cleanClosePath(path), text);
      expect(trustedSince(path, closedAt), text).toBeNull();
    }
    recordCleanClose(path, closedAt.toISOString());
    expect(trustedSince(path, closedAt)).toBe(closedAt.toISOString());
    rmSync(path);
    expect(trustedSince(path, closedAt)).toBeNull();
  });

  it('through the core: the app closing its data folder lets the next start skip the full read', async () => {
    const dataDir = mkdtempSync(join(root, 'core-'));
    const core = createCore({ dataDir, secrets: new MemorySecretStore(), runtime: 'test' });
    await core.close();
    const path = join(dataDir, 'listsync.db');
    expect(trustedSince(path, new Date())).not.toBeNull();
    const again = createCore({ dataDir, secrets: new MemorySecretStore(), runtime: 'test' });
    await again.close();
    expect(trustedSince(path, new Date())).not.toBeNull();
  });
});

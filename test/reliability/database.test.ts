// Campaign 7: the database file. Migrations are forward-only and run from every earlier schema
// version; a backup is written before any migration of an existing file; a file that is empty
// opens; a file written by a newer ListSync, a file that is not SQLite, another program's SQLite
// file and a corrupted file are refused with a clear reason and left byte-identical (side files
// included, even a leftover WAL that a normal close would have checkpointed into the file).
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/createCore';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { DatabaseOpenError, backupPath, openDatabase } from '../../main/core/store/database';
import { latestSchemaVersion, migrations } from '../../main/core/store/migrations';
import type { Migration } from '../../main/core/store/migrations/types';
import { cli } from '../support/cli';
import { folderBytes, folderDiff, printCampaign, seeded } from './support';

const root = mkdtempSync(join(tmpdir(), 'listsync-db-campaign-'));
let n = 0;
const freshDir = () => {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  return dir;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

const counts = { tried: 0, recovered: 0, failedCleanly: 0, lost: 0, opened: 0, refused: 0, migrated: 0 };

/** A v1 database with a list, 1 500 contacts and memberships, closed cleanly (WAL checkpointed). */
function v1Database(path: string, contacts = 1500): void {
  const db = openDatabase(path);
  db.prepare(`INSERT INTO mailing_lists (id, name, created_at) VALUES ('list_1', 'Customers', '2026-01-01T00:00:00Z')`).run();
  const insert = db.prepare(`INSERT INTO contacts (email, state, first_name, last_name, fields, created_at, updated_at) VALUES (?, 'active', ?, ?, '{}', '2026-01-01', '2026-01-01')`);
  const join = db.prepare(`INSERT INTO list_members (list_id, contact_id, added_at) VALUES ('list_1', ?, '2026-01-01')`);
  db.transaction(() => {
    for (let i = 0; i < contacts; i++) join.run(insert.run(`person${i}@example.com`, `First ${i}`, `Last ${'x'.repeat(i % 50)}`).lastInsertRowid);
  })();
  db.close();
}

function userData(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return {
      contacts: db.prepare('SELECT email, first_name, last_name FROM contacts ORDER BY id').all(),
      members: db.prepare('SELECT list_id, contact_id FROM list_members ORDER BY contact_id').all(),
    };
  } finally {
    db.close();
  }
}

function schemaOf(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }),
      objects: db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all(),
    };
  } finally {
    db.close();
  }
}

/** Opening must throw a DatabaseOpenError matching `reason` and leave the folder byte-identical. */
function expectRefusedUntouched(dir: string, reason: RegExp): string {
  const path = join(dir, 'listsync.db');
  const before = folderBytes(dir);
  counts.tried += 1;
  let message = '';
  try {
    openDatabase(path).close();
  } catch (error) {
    expect(error).toBeInstanceOf(DatabaseOpenError);
    message = (error as Error).message;
  }
  expect(message, 'the file was opened instead of refused').toMatch(reason);
  expect(message).toMatch(/left untouched/);
  expect(folderDiff(before, folderBytes(dir)), 'files changed by a refused open').toEqual([]);
  counts.refused += 1;
  counts.failedCleanly += 1;
  return message;
}

function setVersion(path: string, version: number): void {
  const db = new Database(path);
  db.pragma(`user_version = ${version}`);
  db.close();
}

describe('migrations', () => {
  it('are dense, numbered from 1, and the latest is what a new database gets', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(latestSchemaVersion).toBe(migrations.length);
    const dir = freshDir();
    const db = openDatabase(join(dir, 'listsync.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
    // A new database has nothing to back up.
    expect(backupPath(join(dir, 'listsync.db'), latestSchemaVersion)).toBe(join(dir, `listsync.db.before-v${latestSchemaVersion}.bak`));
    expect(existsSync(join(dir, `listsync.db.before-v${latestSchemaVersion}.bak`))).toBe(false);
  });

  it('bring a database of every earlier schema version (0 … latest−1) to the same schema as a new one, with a backup first', () => {
    const fresh = join(freshDir(), 'listsync.db');
    openDatabase(fresh).close();
    const expected = schemaOf(fresh);
    for (let version = 0; version < latestSchemaVersion; version++) {
      counts.tried += 1;
      const dir = freshDir();
      const path = join(dir, 'listsync.db');
      // A database as that version of ListSync left it (version 0: an SQLite file with no schema yet).
      openDatabase(path, { migrations: migrations.slice(0, version) }).close();
      expect(schemaOf(path)).toMatchObject({ version });
      const original = readFileSync(path);
      openDatabase(path).close();
      expect(schemaOf(path)).toEqual(expected);
      const backup = join(dir, `listsync.db.before-v${latestSchemaVersion}.bak`);
      expect(readFileSync(backup).equals(original), `backup of the v${version} file`).toBe(true);
      counts.migrated += 1;
      counts.recovered += 1;
    }
  });

  it('upgrade an existing database generically: backup byte-identical to the old file, data kept, then the new step applied', () => {
    const dir = freshDir();
    const path = join(dir, 'listsync.db');
    v1Database(path);
    const original = readFileSync(path);
    const data = userData(path);
    const next: Migration = {
      version: latestSchemaVersion + 1,
      name: 'test-step',
      up: (db) => db.exec(`ALTER TABLE contacts ADD COLUMN test_note TEXT NOT NULL DEFAULT ''`),
    };
    counts.tried += 1;
    const db = openDatabase(path, { migrations: [...migrations, next] });
    expect(db.pragma('user_version', { simple: true })).toBe(next.version);
    expect(db.prepare('SELECT COUNT(*) FROM contacts WHERE test_note = \'\'').pluck().get()).toBe(1500);
    db.close();
    expect(userData(path)).toEqual(data);
    const backup = join(dir, `listsync.db.before-v${next.version}.bak`);
    expect(readFileSync(backup).equals(original)).toBe(true);
    // The backup is a working database of the old version.
    expect(schemaOf(backup)).toMatchObject({ version: latestSchemaVersion });
    expect(userData(backup)).toEqual(data);
    counts.migrated += 1;
    counts.recovered += 1;
  });

  it('a migration that fails leaves the database at its old version with its data, the backup beside it, and never overwrites an earlier backup', () => {
    const dir = freshDir();
    const path = join(dir, 'listsync.db');
    v1Database(path);
    const original = readFileSync(path);
    const data = userData(path);
    const broken: Migration = {
      version: latestSchemaVersion + 1,
      name: 'broken-step',
      up: (db) => {
        db.exec(`ALTER TABLE contacts ADD COLUMN half_done TEXT`);
        throw new Error('disk on fire');
      },
    };
    counts.tried += 2;
    expect(() => openDatabase(path, { migrations: [...migrations, broken] })).toThrow(/disk on fire/);
    expect(schemaOf(path)).toEqual(schemaOf(join(dir, `listsync.db.before-v${broken.version}.bak`)));
    expect(userData(path)).toEqual(data);
    // A second attempt keeps the first backup and writes a second one.
    expect(() => openDatabase(path, { migrations: [...migrations, broken] })).toThrow(DatabaseOpenError);
    expect(readFileSync(join(dir, `listsync.db.before-v${broken.version}.bak`)).equals(original)).toBe(true);
    expect(existsSync(join(dir, `listsync.db.before-v${broken.version}.2.bak`))).toBe(true);
    // The app's own migrations still open it.
    openDatabase(path).close();
    expect(userData(path)).toEqual(data);
    counts.failedCleanly += 2;
  });
});

describe('the address-index step (v4)', () => {
  /** A v3 database: an account, a sync, a list, contacts with memberships and the sync's source map. */
  function v3Database(path: string): void {
    const db = openDatabase(path, { migrations: migrations.slice(0, 3) });
    db.exec(`
      INSERT INTO accounts (id, name, base_url, key_last4, created_at) VALUES ('acc_1', 'Books', 'http://127.0.0.1:1', '1234', '2026-01-01');
      INSERT INTO mailing_lists (id, name, created_at) VALUES ('list_1', 'Customers', '2026-01-01');
      INSERT INTO syncs (id, name, account_id, organization_id, organization_name, import_option, list_id, mapping, update_policy,
        schedule, retrieval_start, created_at, updated_at)
        VALUES ('sync_1', 'Sync', 'acc_1', '1', 'Org', '{"kind":"all"}', 'list_1', '[]', 'overwrite', '{"kind":"once"}', '{"kind":"all"}', '2026-01-01', '2026-01-01');
    `);
    const insert = db.prepare(`INSERT INTO contacts (id, email, state, first_name, created_at, updated_at) VALUES (?, ?, ?, ?, '2026-01-01', '2026-01-02')`);
    const member = db.prepare(`INSERT INTO list_members (list_id, contact_id, sync_id, added_at) VALUES ('list_1', ?, 'sync_1', '2026-01-01')`);
    const source = db.prepare(`INSERT INTO sync_sources (sync_id, source_id, contact_id) VALUES ('sync_1', ?, ?)`);
    db.transaction(() => {
      // IDs with gaps, as deletions of runs and marks by hand leave them.
      for (let i = 0; i < 2000; i++) {
        const id = 10 + i * 3;
        insert.run(id, `person${i}@example.com`, i % 7 === 0 ? 'bounced' : 'active', `First ${i}`);
        if (i % 2 === 0) member.run(id);
        if (i % 3 === 0) source.run(`src${i}`, id);
      }
    })();
    db.close();
  }

  function everything(path: string): unknown {
    const db = new Database(path, { readonly: true });
    try {
      return {
        contacts: db.prepare('SELECT * FROM contacts ORDER BY id').all(),
        members: db.prepare('SELECT * FROM list_members ORDER BY contact_id').all(),
        sources: db.prepare('SELECT * FROM sync_sources ORDER BY source_id').all(),
      };
    } finally {
      db.close();
    }
  }

  it('rebuilds contacts with every row and ID kept, references intact, and the address index unique and enforced', () => {
    counts.tried += 1;
    const path = join(freshDir(), 'listsync.db');
    v3Database(path);
    const before = everything(path);
    const db = openDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'contacts_email'`).pluck().get()).toBe('CREATE UNIQUE INDEX contacts_email ON contacts(email)');
      expect(() => db.prepare(`INSERT INTO contacts (email, state, created_at, updated_at) VALUES ('person1@example.com', 'active', 'x', 'x')`).run())
        .toThrow(/UNIQUE constraint failed: contacts\.email/);
      // The children still point at contacts, and a contact with memberships cannot vanish.
      expect(() => db.prepare('DELETE FROM contacts WHERE id = 10').run()).toThrow(/FOREIGN KEY constraint failed/);
      expect(() => db.prepare(`INSERT INTO list_members (list_id, contact_id, added_at) VALUES ('list_1', 999999, 'x')`).run()).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
    expect(everything(path)).toEqual(before);
    counts.migrated += 1;
    counts.recovered += 1;
  });

  it('a step with foreign keys off that would leave a broken reference is refused, with nothing changed', () => {
    counts.tried += 1;
    const path = join(freshDir(), 'listsync.db');
    v3Database(path);
    openDatabase(path).close();
    const before = everything(path);
    const orphaning: Migration = {
      version: latestSchemaVersion + 1,
      name: 'orphaning-step',
      foreignKeysOff: true,
      up: (db) => db.exec('DELETE FROM contacts WHERE id = 10'),
    };
    expect(() => openDatabase(path, { migrations: [...migrations, orphaning] })).toThrow(/would leave 2 broken references \((list_members|sync_sources) → contacts\); nothing was changed/);
    expect(everything(path)).toEqual(before);
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
    counts.failedCleanly += 1;
  });
});

describe('opening', () => {
  it('a missing file and an empty (0-byte) file become a new database', () => {
    for (const make of [(p: string) => void p, (p: string) => writeFileSync(p, '')]) {
      counts.tried += 1;
      const dir = freshDir();
      const path = join(dir, 'listsync.db');
      make(path);
      const db = openDatabase(path);
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      counts.opened += 1;
      counts.recovered += 1;
    }
  });

  it('a current (v1) file opens as it is: data kept, no migration, no backup', () => {
    counts.tried += 1;
    const dir = freshDir();
    const path = join(dir, 'listsync.db');
    v1Database(path);
    const data = userData(path);
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
    expect(userData(path)).toEqual(data);
    expect([...folderBytes(dir).keys()].filter((f) => f.endsWith('.bak'))).toEqual([]);
    counts.opened += 1;
    counts.recovered += 1;
  });

  it('refuses a file from a newer ListSync, also with a leftover WAL, and leaves every file as it was', () => {
    for (const version of [latestSchemaVersion + 1, 99, 2 ** 31 - 1]) {
      const dir = freshDir();
      const path = join(dir, 'listsync.db');
      v1Database(path, 200);
      setVersion(path, version);
      expect(expectRefusedUntouched(dir, /newer ListSync/)).toContain(`schema ${version}`);
    }
    // A newer ListSync killed mid-write: its WAL holds committed pages the file does not have yet.
    const src = join(freshDir(), 'src.db');
    const live = new Database(src);
    live.pragma('journal_mode = WAL');
    live.pragma('wal_autocheckpoint = 0');
    live.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1), (2)');
    live.pragma(`user_version = ${latestSchemaVersion + 1}`);
    const dir = freshDir();
    copyFileSync(src, join(dir, 'listsync.db'));
    copyFileSync(`${src}-wal`, join(dir, 'listsync.db-wal'));
    live.close();
    expectRefusedUntouched(dir, /newer ListSync/);
  });

  it('refuses files that are not SQLite and leaves them byte-identical', () => {
    const rng = seeded(7007);
    const bodies: Array<[string, Buffer]> = [
      ['text', Buffer.from('email,first_name\nasha@example.in,Asha\n')],
      ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
      ['one byte', Buffer.from([0])],
      ['random', Buffer.from(Array.from({ length: 8192 }, () => rng.int(0, 255)))],
      ['almost the magic', Buffer.from('SQLite format 2\0' + 'x'.repeat(200))],
      ['json', Buffer.from(JSON.stringify({ contacts: [] }))],
    ];
    for (const [, body] of bodies) {
      const dir = freshDir();
      writeFileSync(join(dir, 'listsync.db'), body);
      expectRefusedUntouched(dir, /not an SQLite file/);
    }
  });

  it('refuses another program\'s SQLite file instead of adding tables to it', () => {
    const dir = freshDir();
    const path = join(dir, 'listsync.db');
    const other = new Database(path);
    other.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO accounts (owner) VALUES (\'someone else\')');
    other.close();
    expectRefusedUntouched(dir, /another program/);
    const dir2 = freshDir();
    const path2 = join(dir2, 'listsync.db');
    const other2 = new Database(path2);
    other2.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)');
    other2.close();
    expectRefusedUntouched(dir2, /another program/);
  });

  it('refuses corrupted databases (damaged pages, truncation, a bad header) and leaves them byte-identical', () => {
    const corruptions: Array<[string, (path: string, pageSize: number, contactsRoot: number, pages: number) => void]> = [
      ['garbage over the contacts table\'s root page', (p, size, rootPage) => overwrite(p, (rootPage - 1) * size, Buffer.alloc(size, 0xa5))],
      ['a zeroed page in the middle', (p, size, _r, pages) => overwrite(p, Math.floor(pages / 2) * size, Buffer.alloc(size, 0))],
      ['truncated to 60 %', (p, size, _r, pages) => truncateSync(p, Math.floor(pages * 0.6) * size)],
      ['an impossible page size in the header', (p) => overwrite(p, 16, Buffer.from([0x12, 0x34]))],
      ['the schema page wiped', (p, size) => overwrite(p, 100, Buffer.alloc(size - 100, 0xff))],
    ];
    for (const [name, corrupt] of corruptions) {
      const dir = freshDir();
      const path = join(dir, 'listsync.db');
      v1Database(path);
      const facts = new Database(path, { readonly: true });
      const pageSize = facts.pragma('page_size', { simple: true }) as number;
      const pages = facts.pragma('page_count', { simple: true }) as number;
      const root = facts.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'contacts'`).pluck().get() as number;
      facts.close();
      corrupt(path, pageSize, root, pages);
      const message = expectRefusedUntouched(dir, /damaged|not a ListSync|not an SQLite/);
      expect(message, name).toMatch(/restore a backup|move it away/);
    }
  });

  it('through the app and the CLI: a refused file gives one clear line, releases the folder, and stays as it was', async () => {
    const dir = freshDir();
    const path = join(dir, 'listsync.db');
    v1Database(path, 100);
    setVersion(path, latestSchemaVersion + 1);
    const before = folderBytes(dir);
    counts.tried += 2;
    expect(() => createCore({ dataDir: dir, secrets: new MemorySecretStore(), runtime: 'test' })).toThrow(/newer ListSync/);
    expect(existsSync(join(dir, 'listsync.lock'))).toBe(false);
    expect(folderDiff(before, folderBytes(dir))).toEqual([]);
    const r = await cli(dir, ['list', 'ls']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/newer ListSync.*left untouched/);
    // The CLI may start its log folder; the database files stay exactly as they were.
    expect(folderDiff(before, folderBytes(dir)).filter((f) => !f.startsWith('logs'))).toEqual([]);
    counts.failedCleanly += 2;
    counts.refused += 2;
  });
});

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

afterAll(() => printCampaign('database', counts));

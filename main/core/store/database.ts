import { constants, copyFileSync, existsSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { migrations } from './migrations';
import type { Migration } from './migrations/types';

export type { Database };

export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

const sqliteHeader = 'SQLite format 3\0';

function assertSqliteFile(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== sqliteHeader) {
      throw new DatabaseOpenError(
        `${path} is not a ListSync database (it is not an SQLite file). It was left untouched; move it away or choose another data folder.`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

/** Side files (-wal, -shm) that only the refused check created hold nothing: they go again. */
function removeIfCreated(path: string, existedBefore: boolean): void {
  if (!existedBefore) rmSync(path, { force: true });
}

/**
 * Checks an existing file through a read-only connection, which never checkpoints a leftover WAL
 * into the file nor deletes it: a file that is refused stays exactly as it was.
 */
function inspectExisting(path: string, latest: number, fullCheck: boolean): number {
  const sideFiles = [`${path}-wal`, `${path}-shm`].map((p) => [p, existsSync(p)] as const);
  let ro: Database | null = null;
  try {
    ro = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new DatabaseOpenError(
        `${path} was written by a newer ListSync (schema ${version}; this version knows up to ${latest}). It was left untouched; update ListSync.`,
      );
    }
    const check = fullCheck ? ro.pragma('quick_check', { simple: true }) : 'ok';
    if (check !== 'ok') {
      throw new DatabaseOpenError(`${path} is damaged (${String(check)}). It was left untouched; restore a backup.`);
    }
    if (version === 0 && ro.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get() !== undefined) {
      throw new DatabaseOpenError(
        `${path} is an SQLite file of another program, not a ListSync database. It was left untouched; move it away or choose another data folder.`,
      );
    }
    return version;
  } catch (error) {
    ro?.close();
    ro = null;
    for (const [p, existed] of sideFiles) removeIfCreated(p, existed);
    if (error instanceof DatabaseOpenError) throw error;
    throw new DatabaseOpenError(`${path} is damaged (${(error as Error).message}). It was left untouched; restore a backup.`);
  } finally {
    ro?.close();
  }
}

export interface OpenDatabaseOptions {
  /** The schema steps; tests pass their own to exercise upgrades. Default: the app's migrations. */
  migrations?: readonly Migration[];
  /**
   * Whether an existing file is read in full for damage (PRAGMA quick_check) before it is opened.
   * Default true; the store skips it for a file a clean close left untouched (cleanClose.ts).
   */
  fullCheck?: boolean;
}

/**
 * Opens (creating if needed) the ListSync database and brings its schema up to date.
 * Refuses, without writing, a file that is not SQLite, is corrupt, belongs to another program or
 * was written by a newer ListSync. Before migrating an existing database it copies it beside itself
 * (`<file>.before-v<N>.bak`).
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const steps = options.migrations ?? migrations;
  const latest = steps.length;
  mkdirSync(dirname(path), { recursive: true });
  assertSqliteFile(path);
  const existed = existsSync(path) && statSync(path).size > 0;
  if (existed) inspectExisting(path, latest, options.fullCheck ?? true);
  let db: Database;
  try {
    db = new BetterSqlite3(path, { fileMustExist: false });
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open ${path}: ${(error as Error).message}`);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new DatabaseOpenError(
        `${path} was written by a newer ListSync (schema ${version}; this version knows up to ${latest}). It was left untouched; update ListSync.`,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Run-scoped scratch tables (seen ids, seen addresses) spill to disk, not to the JS heap.
    db.pragma('temp_store = FILE');
    // A run commits a batch at a time, and each batch's new addresses land all over the address
    // index: every commit rewrites most of its pages into the WAL. Measured on 100k–1M random
    // addresses in batches of 2,000 (bench/ and the performance section of the README): an 8 MiB
    // page cache (default 2 MiB) and a checkpoint every 10,000 WAL pages (default 1,000) cut that
    // cost 2–2.5×, as pages stay cached and are copied back to the database file less often. The
    // WAL can grow to ~40 MB before a checkpoint; journal_size_limit trims it back after one.
    db.pragma('cache_size = -8192');
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    if (version < latest) {
      if (existed) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        copyFileSync(path, backupPath(path, latest), constants.COPYFILE_EXCL);
      }
      migrate(db, version, steps);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseOpenError) throw error;
    throw new DatabaseOpenError(`Cannot open ${path}: ${(error as Error).message}`);
  }
}

/** `<file>.before-v<N>.bak`, or `.before-v<N>.2.bak` … when an earlier backup has that name: none is overwritten. */
export function backupPath(path: string, version: number): string {
  for (let n = 1; ; n += 1) {
    const candidate = `${path}.before-v${version}${n === 1 ? '' : `.${n}`}.bak`;
    if (!existsSync(candidate)) return candidate;
  }
}

function migrate(db: Database, from: number, steps: readonly Migration[]): void {
  for (const migration of steps.slice(from)) {
    // The pragma is a no-op inside a transaction: it is set around it.
    if (migration.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
          if (broken.length > 0) {
            throw new DatabaseOpenError(
              `Schema step ${migration.version} (${migration.name}) would leave ${broken.length} broken references ` +
              `(${broken[0]!.table} → ${broken[0]!.parent}); nothing was changed.`,
            );
          }
        }
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (migration.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

import { copyFileSync, existsSync, mkdirSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { latestSchemaVersion, migrations } from './migrations';

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

/**
 * Opens (creating if needed) the ListSync database and brings its schema up to date.
 * Refuses, without writing, a file that is not SQLite, is corrupt, or was written by a newer
 * ListSync. Before migrating an existing database it copies it beside itself.
 */
export function openDatabase(path: string): Database {
  mkdirSync(dirname(path), { recursive: true });
  assertSqliteFile(path);
  const existed = existsSync(path) && statSync(path).size > 0;
  let db: Database;
  try {
    db = new BetterSqlite3(path, { fileMustExist: false });
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open ${path}: ${(error as Error).message}`);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) {
      throw new DatabaseOpenError(
        `${path} was written by a newer ListSync (schema ${version}; this version knows up to ${latestSchemaVersion}). It was left untouched; update ListSync.`,
      );
    }
    if (existed) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        throw new DatabaseOpenError(`${path} is damaged (${String(check)}). It was left untouched; restore a backup.`);
      }
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Run-scoped scratch tables (seen ids, seen addresses) spill to disk, not to the JS heap.
    db.pragma('temp_store = FILE');
    if (version < latestSchemaVersion) {
      if (existed && version > 0) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        copyFileSync(path, `${path}.before-v${latestSchemaVersion}.bak`);
      }
      migrate(db, version);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseOpenError) throw error;
    throw new DatabaseOpenError(`Cannot open ${path}: ${(error as Error).message}`);
  }
}

function migrate(db: Database, from: number): void {
  for (const migration of migrations.slice(from)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

import type { Database } from 'better-sqlite3';
import type { RolePolicy } from '../sync/roleAddresses';

/** One start of the app on this data folder. */
export interface AppStart {
  version: string;
  /** What started: the app (electron), the browser host, the CLI … */
  runtime: string;
  at: string;
}

/** The latest start and the one before it (diagnostics: which version last opened this folder). */
export interface AppStarts {
  current: AppStart;
  previous: AppStart | null;
}

const startsKey = 'app.starts';

/** App settings (key → JSON) and the user's additions to the role-address rules. */
export class SettingsRepo {
  constructor(private readonly db: Database) {}

  /** Records a start of the app; the one before it becomes `previous`. */
  recordStart(start: AppStart): AppStarts {
    const before = this.get<AppStarts | null>(startsKey, null);
    const starts: AppStarts = { current: start, previous: before?.current ?? null };
    this.set(startsKey, starts);
    return starts;
  }

  starts(): AppStarts | null {
    return this.get<AppStarts | null>(startsKey, null);
  }

  get<T>(key: string, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  rolePolicy(): RolePolicy {
    const prefixes = this.db.prepare('SELECT prefix FROM role_prefixes ORDER BY prefix').pluck().all() as string[];
    const exceptions = this.db.prepare('SELECT email FROM role_exceptions ORDER BY email').pluck().all() as string[];
    return { extraPrefixes: prefixes, exceptions };
  }

  addRolePrefix(prefix: string, now: string): void {
    this.db.prepare('INSERT OR IGNORE INTO role_prefixes (prefix, added_at) VALUES (?, ?)').run(prefix, now);
  }

  removeRolePrefix(prefix: string): void {
    this.db.prepare('DELETE FROM role_prefixes WHERE prefix = ?').run(prefix);
  }

  addRoleException(email: string, now: string): void {
    this.db.prepare('INSERT OR IGNORE INTO role_exceptions (email, added_at) VALUES (?, ?)').run(email, now);
  }

  removeRoleException(email: string): void {
    this.db.prepare('DELETE FROM role_exceptions WHERE email = ?').run(email);
  }

  /** The managed topics, by name. */
  topics(): string[] {
    return this.db.prepare('SELECT name FROM topics ORDER BY name COLLATE NOCASE').pluck().all() as string[];
  }

  addTopic(name: string, now: string): void {
    this.db.prepare('INSERT OR IGNORE INTO topics (name, created_at) VALUES (?, ?)').run(name, now);
  }

  removeTopic(name: string): void {
    this.db.prepare('DELETE FROM topics WHERE name = ?').run(name);
  }
}

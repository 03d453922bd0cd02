import type { Database } from 'better-sqlite3';

/** A forward-only schema step. `version` numbers are dense: 1, 2, 3 … */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

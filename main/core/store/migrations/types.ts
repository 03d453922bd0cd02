import type { Database } from 'better-sqlite3';

/** A forward-only schema step. `version` numbers are dense: 1, 2, 3 … */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
  /**
   * Runs with foreign key enforcement off (a table rebuild: dropping a parent table would
   * otherwise delete-check its children); the references are checked before the step commits.
   */
  foreignKeysOff?: boolean;
}

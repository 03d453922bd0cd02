import type { Database } from 'better-sqlite3';
import { AccountsRepo } from './accounts';
import { recordCleanClose, trustedSince } from './cleanClose';
import { ContactsRepo } from './contacts';
import { openDatabase } from './database';
import { ListsRepo } from './lists';
import { ReviewRepo } from './review';
import { RunsRepo } from './runs';
import { SettingsRepo } from './settings';
import { SyncsRepo } from './syncs';

export { DatabaseOpenError } from './database';
export type { SyncRecord } from './syncs';
export type { OutcomeWrite, OutcomeFilter } from './runs';
export type { AddressIndexDeferral, ContactRow, LearnedOnLookup } from './contacts';
export type { GuardFacts, PendingEntry } from './review';

/** The SQLite store: one connection, one repository per table group. */
export class Store {
  readonly accounts: AccountsRepo;
  readonly lists: ListsRepo;
  readonly contacts: ContactsRepo;
  readonly syncs: SyncsRepo;
  readonly runs: RunsRepo;
  readonly settings: SettingsRepo;
  readonly review: ReviewRepo;

  /**
   * `now` is the core's clock: it tells which day today's API budget counts. `checkedAt`: when the
   * file last passed the full integrity check (openStore), recorded at a clean close.
   */
  constructor(readonly db: Database, now: () => Date = () => new Date(), private readonly checkedAt: string | null = null) {
    this.accounts = new AccountsRepo(db, now);
    this.lists = new ListsRepo(db);
    this.contacts = new ContactsRepo(db);
    this.syncs = new SyncsRepo(db);
    this.runs = new RunsRepo(db);
    this.settings = new SettingsRepo(db);
    this.review = new ReviewRepo(db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) {
      // optimize may ANALYZE a large table at quit: bounded, it samples rows instead of reading them all.
      this.db.pragma('analysis_limit = 1000');
      this.db.pragma('optimize');
      this.db.close();
      // Only once the log is checkpointed into the file, whose size and time the record keeps.
      if (this.checkedAt !== null && !this.db.memory) recordCleanClose(this.db.name, this.checkedAt);
    }
  }
}

/**
 * Opens the database file of a data folder. An existing file is read in full for damage unless a
 * clean close left it untouched within the last week (cleanClose.ts).
 */
export function openStore(path: string, now: () => Date = () => new Date()): Store {
  const at = now();
  const trusted = trustedSince(path, at);
  const db = openDatabase(path, { fullCheck: trusted === null });
  return new Store(db, now, trusted ?? at.toISOString());
}

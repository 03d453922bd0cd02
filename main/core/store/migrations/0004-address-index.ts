import type { Migration } from './types';

/**
 * The contacts' address index becomes a named index (`contacts_email`) instead of the column's
 * inline UNIQUE, whose automatic index SQLite cannot drop. A first import into an empty address
 * book then writes its contacts without the index and builds it once at the end, which is ~10×
 * cheaper at 1M contacts than keeping it up to date batch by batch (store/contacts.ts).
 * SQLite changes a column's constraints only by rebuilding the table: the steps of
 * https://sqlite.org/lang_altertable.html#otheralter, with foreign keys off (database.ts).
 */
export const addressIndex: Migration = {
  version: 4,
  name: 'address-index',
  foreignKeysOff: true,
  up: (db) => {
    db.exec(`
      CREATE TABLE contacts_rebuilt (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'bounced', 'do-not-mail', 'deleted')),
        first_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        fields TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      INSERT INTO contacts_rebuilt (id, email, state, first_name, last_name, fields, created_at, updated_at)
        SELECT id, email, state, first_name, last_name, fields, created_at, updated_at FROM contacts;
      DROP TABLE contacts;
      ALTER TABLE contacts_rebuilt RENAME TO contacts;
      CREATE UNIQUE INDEX contacts_email ON contacts(email);
    `);
  },
};

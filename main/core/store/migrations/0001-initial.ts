import type { Migration } from './types';

/** The first schema: accounts (no secrets), lists, contacts, memberships, syncs, runs, outcomes. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: (db) => {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        data_center TEXT,
        base_url TEXT,
        key_last4 TEXT NOT NULL,
        is_demo INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        CHECK ((data_center IS NULL) <> (base_url IS NULL))
      );

      CREATE TABLE mailing_lists (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
      );

      CREATE TABLE contact_fields (
        key TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0
      );

      -- One row per person, keyed by the normalized (trimmed, lower-cased) address.
      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('active', 'bounced', 'do-not-mail', 'deleted')),
        first_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        fields TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE syncs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        organization_id TEXT NOT NULL,
        organization_name TEXT NOT NULL,
        import_option TEXT NOT NULL,
        list_id TEXT NOT NULL REFERENCES mailing_lists(id),
        mapping TEXT NOT NULL,
        update_policy TEXT NOT NULL CHECK (update_policy IN ('overwrite', 'fill-empty', 'never')),
        update_empty_values INTEGER NOT NULL DEFAULT 0,
        schedule TEXT NOT NULL,
        retrieval_start TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT,
        cursor_at TEXT,
        last_full_read_at TEXT,
        next_run_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX syncs_account ON syncs(account_id);

      -- The seed: "Once you set the option for import, you will not be able to edit the preference."
      CREATE TRIGGER syncs_import_option_fixed
      BEFORE UPDATE OF import_option, account_id, organization_id ON syncs
      WHEN OLD.import_option IS NOT NEW.import_option
        OR OLD.account_id IS NOT NEW.account_id
        OR OLD.organization_id IS NOT NEW.organization_id
      BEGIN
        SELECT RAISE(ABORT, 'The import option, account and organization of a sync cannot change; create a new sync');
      END;

      CREATE TABLE list_members (
        list_id TEXT NOT NULL REFERENCES mailing_lists(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        sync_id TEXT REFERENCES syncs(id) ON DELETE SET NULL,
        added_run_id INTEGER,
        added_at TEXT NOT NULL,
        PRIMARY KEY (list_id, contact_id)
      ) WITHOUT ROWID;
      CREATE INDEX list_members_contact ON list_members(contact_id);
      CREATE INDEX list_members_sync ON list_members(sync_id);

      -- Which Zoho Invoice contact each synced contact came from, per sync: the deletion check.
      CREATE TABLE sync_sources (
        sync_id TEXT NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        PRIMARY KEY (sync_id, source_id)
      ) WITHOUT ROWID;

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        sync_id TEXT NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'tray', 'schedule', 'catch-up')),
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped')),
        full_read INTEGER NOT NULL DEFAULT 0,
        read_from TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        total INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        readded INTEGER NOT NULL DEFAULT 0,
        duplicate INTEGER NOT NULL DEFAULT 0,
        ignored INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        ign_bounced INTEGER NOT NULL DEFAULT 0,
        ign_do_not_mail INTEGER NOT NULL DEFAULT 0,
        ign_group INTEGER NOT NULL DEFAULT 0,
        ign_file_duplicate INTEGER NOT NULL DEFAULT 0,
        ign_invalid INTEGER NOT NULL DEFAULT 0,
        ign_empty INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        requests INTEGER NOT NULL DEFAULT 0,
        error_kind TEXT,
        error TEXT
      );
      CREATE INDEX runs_sync ON runs(sync_id, id);

      CREATE TABLE run_outcomes (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        outcome TEXT NOT NULL CHECK (outcome IN ('new', 'readded', 'duplicate', 'ignored', 'deleted')),
        reason TEXT,
        email TEXT,
        source_id TEXT,
        source_name TEXT,
        contact_id INTEGER,
        detail TEXT,
        undo TEXT
      );
      CREATE INDEX run_outcomes_run ON run_outcomes(run_id, outcome, reason, id);

      -- Contact details fetched for criteria or mapped fields, kept while the contact is unchanged.
      CREATE TABLE source_details (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        organization_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (account_id, organization_id, source_id)
      ) WITHOUT ROWID;

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE role_prefixes (prefix TEXT PRIMARY KEY, added_at TEXT NOT NULL);
      CREATE TABLE role_exceptions (email TEXT PRIMARY KEY, added_at TEXT NOT NULL);

      INSERT INTO contact_fields (key, label, builtin) VALUES
        ('email', 'Email', 1), ('first_name', 'First name', 1), ('last_name', 'Last name', 1),
        ('company', 'Company', 1), ('phone', 'Phone', 1), ('mobile', 'Mobile', 1),
        ('country', 'Country', 1), ('city', 'City', 1);
    `);
  },
};

import type { Migration } from './types';

/**
 * Zoho's newer sync options and the safety rails: subscription details kept with each membership,
 * per-sync pause, the re-subscription guard and its review queue, criteria exit, undo, the failure
 * streak and the daily API budget.
 */
export const safetyRails: Migration = {
  version: 3,
  name: 'safety-rails',
  up: (db) => {
    db.exec(`
      ALTER TABLE syncs ADD COLUMN subscription TEXT NOT NULL DEFAULT '{"type":"marketing","topics":[],"lawfulBasis":null}';
      ALTER TABLE syncs ADD COLUMN readd_policy TEXT NOT NULL DEFAULT 'join' CHECK (readd_policy IN ('join', 'review'));
      ALTER TABLE syncs ADD COLUMN exit_policy TEXT NOT NULL DEFAULT 'keep' CHECK (exit_policy IN ('keep', 'remove', 'mark'));
      ALTER TABLE syncs ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE syncs ADD COLUMN paused_reason TEXT;
      ALTER TABLE syncs ADD COLUMN failure_streak INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE syncs ADD COLUMN waiting_reason TEXT;
      ALTER TABLE syncs ADD COLUMN waiting_until TEXT;

      ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'standard', 'professional', 'custom'));
      ALTER TABLE accounts ADD COLUMN daily_cap INTEGER NOT NULL DEFAULT 1000;

      -- Subscription details recorded when the contact joined through a sync (JSON; NULL: by hand).
      ALTER TABLE list_members ADD COLUMN subscription TEXT;
      -- Marked by a sync whose exit policy is "mark": no longer matches the sync.
      ALTER TABLE list_members ADD COLUMN exited_at TEXT;

      ALTER TABLE runs ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN exited INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN reverted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN undo_of INTEGER REFERENCES runs(id);
      ALTER TABLE runs ADD COLUMN undone_by INTEGER REFERENCES runs(id);
      -- Deleting runs checks these references: without indexes, a scan of runs per deleted run.
      CREATE INDEX runs_undo_of ON runs(undo_of) WHERE undo_of IS NOT NULL;
      CREATE INDEX runs_undone_by ON runs(undone_by) WHERE undone_by IS NOT NULL;

      -- A source whose contact stopped matching the sync (kept or marked in the list): not counted
      -- as an exit again, but still watched by the deletion check.
      ALTER TABLE sync_sources ADD COLUMN exited_at TEXT;

      -- Outcomes gain held, exited and reverted: the CHECK lives in the table, so it is rebuilt.
      CREATE TABLE run_outcomes_v3 (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        outcome TEXT NOT NULL CHECK (outcome IN ('new', 'readded', 'held', 'duplicate', 'ignored', 'deleted', 'exited', 'reverted')),
        reason TEXT,
        email TEXT,
        source_id TEXT,
        source_name TEXT,
        contact_id INTEGER,
        detail TEXT,
        undo TEXT
      );
      INSERT INTO run_outcomes_v3 SELECT id, run_id, outcome, reason, email, source_id, source_name, contact_id, detail, undo FROM run_outcomes;
      DROP TABLE run_outcomes;
      ALTER TABLE run_outcomes_v3 RENAME TO run_outcomes;
      CREATE INDEX run_outcomes_run ON run_outcomes(run_id, outcome, reason, id);
      CREATE INDEX run_outcomes_run_id ON run_outcomes(run_id);
      -- Undo looks for later runs that touched the same contacts.
      CREATE INDEX run_outcomes_contact ON run_outcomes(contact_id, run_id) WHERE contact_id IS NOT NULL;

      -- "Does another Zoho contact of this sync carry the same address?" (deletions, exits) and the
      -- guard's per-contact lookups, without scanning every source of the sync.
      CREATE INDEX sync_sources_contact ON sync_sources(sync_id, contact_id);

      -- A contact left a list while it stays active: the user took it out, a deletion in Zoho took it
      -- out while another list kept it, or an undo took it out. No sync puts it back silently.
      CREATE TABLE list_removals (
        list_id TEXT NOT NULL REFERENCES mailing_lists(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        removed_at TEXT NOT NULL,
        cause TEXT NOT NULL DEFAULT 'user' CHECK (cause IN ('user', 'deleted', 'undo')),
        -- Cause 'undo': the run whose undo took the contact out (named in the guard's detail).
        undone_run INTEGER,
        PRIMARY KEY (list_id, contact_id)
      ) WITHOUT ROWID;

      CREATE TABLE review_queue (
        id INTEGER PRIMARY KEY,
        sync_id TEXT NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        list_id TEXT NOT NULL REFERENCES mailing_lists(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        run_id INTEGER NOT NULL,
        source_id TEXT,
        source_name TEXT,
        cause TEXT NOT NULL CHECK (cause IN ('deleted', 'removed-from-list')),
        left_at TEXT,
        -- The mapped values the run read, applied when the contact is approved.
        source_values TEXT NOT NULL,
        held_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_at TEXT,
        decided_by TEXT
      );
      CREATE UNIQUE INDEX review_queue_pending ON review_queue(sync_id, contact_id) WHERE status = 'pending';
      CREATE INDEX review_queue_status ON review_queue(status, id);
      CREATE INDEX review_queue_contact ON review_queue(sync_id, contact_id, id);
      -- Decisions hold for the list, whichever sync brings the contact back.
      CREATE INDEX review_queue_list_contact ON review_queue(list_id, contact_id, id);

      CREATE TABLE topics (name TEXT PRIMARY KEY COLLATE NOCASE, created_at TEXT NOT NULL);

      -- API requests per account, organization and UTC day: the daily budget.
      CREATE TABLE api_usage (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        organization_id TEXT NOT NULL,
        day TEXT NOT NULL,
        requests INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, organization_id, day)
      ) WITHOUT ROWID;
    `);
  },
};

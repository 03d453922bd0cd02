import type { Database } from 'better-sqlite3';
import { mergeFieldValue, type UpdatePolicy } from '../../common/domain/mapping';
import type { ContactRow, OutcomeWrite } from '../store';
import { BulkStatement } from '../store/bulk';
import type { Decision } from './classify';

/** The parts of a sync the writer needs. */
export interface WriterSync {
  id: string;
  listId: string;
  updatePolicy: UpdatePolicy;
  updateEmptyValues: boolean;
}

const columnFields = new Set(['first_name', 'last_name']);

interface ContactValues { first_name: string; last_name: string; fields: Record<string, string> }

function split(values: Record<string, string>): ContactValues {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k !== 'email' && !columnFields.has(k)) fields[k] = v;
  return { first_name: values.first_name ?? '', last_name: values.last_name ?? '', fields };
}

/** Merges mapped values into an existing contact per the update policy; returns what changed. */
function merge(sync: WriterSync, contact: ContactRow, values: Record<string, string>) {
  const current: Record<string, string> = {
    ...(JSON.parse(contact.fields) as Record<string, string>),
    first_name: contact.first_name,
    last_name: contact.last_name,
  };
  const changes: Record<string, [string, string]> = {};
  for (const [key, incoming] of Object.entries(values)) {
    if (key === 'email') continue;
    const before = current[key] ?? '';
    const after = mergeFieldValue(sync.updatePolicy, sync.updateEmptyValues, before, incoming);
    if (after !== before) {
      changes[key] = [before, after];
      current[key] = after;
    }
  }
  return { next: split(current), changes };
}

/**
 * Applies a batch of decisions (one page or several) inside the caller's transaction: contacts,
 * list memberships, the sync's source map and the outcome rows. Each kind of row is written in
 * bulk (multi-row statements prepared once per run), never one statement per record.
 *
 * Within one run every address and every Zoho contact is decided once (a repeat is a file
 * duplicate, a shifted page's repeat is dropped before), so the rows of a batch never depend on
 * each other and can be written kind by kind.
 */
export class PageWriter {
  private readonly insertContacts: BulkStatement;
  private readonly updateContacts: BulkStatement;
  private readonly joinList: BulkStatement;
  private readonly rememberSources: BulkStatement;

  constructor(db: Database, private readonly sync: WriterSync, private readonly runId: number) {
    this.insertContacts = new BulkStatement(
      db, 'INSERT INTO contacts (email, state, first_name, last_name, fields, created_at, updated_at)', 6, 'RETURNING id, email',
      "(?, 'active', ?, ?, ?, ?, ?)",
    );
    this.updateContacts = new BulkStatement(
      db, 'WITH v (id, state, first_name, last_name, fields, updated_at) AS (', 6,
      `) UPDATE contacts SET state = v.state, first_name = v.first_name, last_name = v.last_name, fields = v.fields,
           updated_at = v.updated_at
         FROM v WHERE contacts.id = v.id`,
    );
    this.joinList = new BulkStatement(
      db, 'INSERT OR IGNORE INTO list_members (list_id, contact_id, sync_id, added_run_id, added_at)', 5, 'RETURNING contact_id',
    );
    // An unchanged mapping is not rewritten (a second run would otherwise dirty every page of the table).
    this.rememberSources = new BulkStatement(
      db, 'INSERT INTO sync_sources (sync_id, source_id, contact_id)', 3,
      'ON CONFLICT (sync_id, source_id) DO UPDATE SET contact_id = excluded.contact_id WHERE contact_id IS NOT excluded.contact_id',
    );
  }

  /** Writes the decisions; returns the outcome rows to insert, in the decisions' order. */
  apply(decisions: readonly Decision[], now: string): OutcomeWrite[] {
    // 1. New contacts, then changed ones.
    const inserts: unknown[] = [];
    const updates: unknown[] = [];
    const undos = new Array<Record<string, unknown> | null>(decisions.length).fill(null);
    decisions.forEach((d, i) => {
      if (d.kind === 'ignored') return;
      if (d.kind === 'new') {
        const v = split(d.record.values);
        inserts.push(d.email, v.first_name, v.last_name, JSON.stringify(v.fields), now, now);
        undos[i] = { created: true };
        return;
      }
      const { next, changes } = merge(this.sync, d.contact, d.record.values);
      if (d.kind === 'readded' || Object.keys(changes).length > 0) {
        updates.push(d.contact.id, 'active', next.first_name, next.last_name, JSON.stringify(next.fields), now);
      }
      undos[i] = { previousState: d.contact.state, changes };
    });
    const created = new Map<string, number>();
    for (const row of this.insertContacts.all<{ id: number; email: string }>(inserts)) created.set(row.email, row.id);
    this.updateContacts.run(updates);

    // 2. List memberships and the source map of every contact the batch imports.
    const contactIds = decisions.map((d) => {
      if (d.kind === 'ignored') return d.contact?.id ?? null;
      if (d.kind === 'new') return created.get(d.email) as number;
      return d.contact.id;
    });
    const members: unknown[] = [];
    const sources: unknown[] = [];
    decisions.forEach((d, i) => {
      if (d.kind === 'ignored') return;
      members.push(this.sync.listId, contactIds[i], this.sync.id, this.runId, now);
      sources.push(this.sync.id, d.record.sourceId, contactIds[i]);
    });
    const joined = new Set(this.joinList.all<{ contact_id: number }>(members).map((r) => r.contact_id));
    this.rememberSources.run(sources);

    // 3. One outcome per decision.
    return decisions.map((d, i): OutcomeWrite => {
      const base = { email: d.email, sourceId: d.record.sourceId, sourceName: d.record.sourceName, detail: d.detail };
      const contactId = contactIds[i] ?? null;
      // Ignored records are never written as contacts; only the outcome is kept.
      if (d.kind === 'ignored') return { ...base, outcome: 'ignored', reason: d.reason, contactId, undo: null };
      const undo = JSON.stringify({ ...undos[i], joined: joined.has(contactId as number) });
      return { ...base, outcome: d.kind, reason: null, contactId, undo };
    });
  }
}

// The floor: what the import costs at the least, measured on the same data. The same pages the
// engine reads are fetched from the sandbox as bytes (not timed); what is timed is parsing each
// page's JSON (UTF-8 bytes to text, text to objects) and writing the rows a first import writes (contact upsert, list membership, source map, outcome)
// into a fresh database with ListSync's schema, with prepared statements, in one transaction.
// No engine, no HTTP, no validation, no classification beyond "has an address".
import { join } from 'node:path';
import { openStore } from '../main/core/store';

export interface FloorTask {
  kind: 'floor';
  apiRoot: string;
  key: string;
  orgId: string;
  dir: string;
}

export interface FloorResult {
  ms: number;
  /** Time spent fetching the pages (one after another, as the client does): the sandbox's serving time. */
  fetchMs: number;
  pages: number;
  records: number;
  contacts: number;
  outcomes: number;
  bytes: number;
}

interface PageJson {
  contacts: Array<{ contact_id: string | number; contact_name?: string; email?: string; first_name?: string; last_name?: string }>;
  page_context: { has_more_page: boolean };
}

export async function runFloor(task: FloorTask): Promise<FloorResult> {
  // The store's own connection settings (WAL, checkpoints …), as the engine has them.
  const db = openStore(join(task.dir, 'floor.db')).db;
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO accounts (id, name, base_url, key_last4, created_at) VALUES ('acc', 'Floor', ?, 'xxxx', ?)`).run(task.apiRoot, now);
  db.prepare(`INSERT INTO mailing_lists (id, name, created_at) VALUES ('list', 'Floor', ?)`).run(now);
  db.prepare(
    `INSERT INTO syncs (id, name, account_id, organization_id, organization_name, import_option, list_id, mapping, update_policy,
       schedule, retrieval_start, created_at, updated_at)
     VALUES ('sync', 'Floor', 'acc', ?, 'Floor', '{"kind":"all"}', 'list', '[]', 'overwrite', '{"kind":"once"}', '{"kind":"all"}', ?, ?)`,
  ).run(task.orgId, now, now);
  const runId = Number(db.prepare(`INSERT INTO runs (sync_id, trigger, status, started_at) VALUES ('sync', 'manual', 'running', ?)`).run(now).lastInsertRowid);

  const upsertContact = db.prepare(
    `INSERT INTO contacts (email, state, first_name, last_name, fields, created_at, updated_at) VALUES (?, 'active', ?, ?, '{}', ?, ?)
     ON CONFLICT (email) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, updated_at = excluded.updated_at
     RETURNING id`,
  ).pluck();
  const joinList = db.prepare(`INSERT OR IGNORE INTO list_members (list_id, contact_id, sync_id, added_run_id, added_at) VALUES ('list', ?, 'sync', ?, ?)`);
  const rememberSource = db.prepare(
    `INSERT INTO sync_sources (sync_id, source_id, contact_id) VALUES ('sync', ?, ?)
     ON CONFLICT (sync_id, source_id) DO UPDATE SET contact_id = excluded.contact_id`,
  );
  const outcome = db.prepare(
    `INSERT INTO run_outcomes (run_id, outcome, reason, email, source_id, source_name, contact_id, detail, undo) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );

  const decoder = new TextDecoder();
  let fetchMs = 0;
  let ms = 0;
  let pages = 0;
  let records = 0;
  let contacts = 0;
  let bytes = 0;
  db.exec('BEGIN');
  for (let page = 1; ; page += 1) {
    const url = `${task.apiRoot}/contacts?organization_id=${task.orgId}&page=${page}&per_page=200&sort_column=created_time&sort_order=A`;
    const fetchStarted = performance.now();
    const response = await fetch(url, { headers: { Authorization: `Zoho-oauthtoken ${task.key}` } });
    const body = new Uint8Array(await response.arrayBuffer());
    fetchMs += performance.now() - fetchStarted;
    if (!response.ok) throw new Error(`Floor: page ${page} got HTTP ${response.status}`);
    bytes += body.length;

    const started = performance.now();
    const json = JSON.parse(decoder.decode(body)) as PageJson;
    for (const c of json.contacts) {
      records += 1;
      const email = (c.email ?? '').trim().toLowerCase();
      const sourceId = String(c.contact_id);
      if (email === '' || !email.includes('@')) {
        outcome.run(runId, 'ignored', email === '' ? 'empty' : 'invalid', email || null, sourceId, c.contact_name ?? null, null, null);
        continue;
      }
      const id = upsertContact.get(email, c.first_name ?? '', c.last_name ?? '', now, now) as number;
      const joined = joinList.run(id, runId, now).changes > 0;
      rememberSource.run(sourceId, id);
      outcome.run(runId, 'new', null, email, sourceId, c.contact_name ?? null, id, joined ? '{"created":true,"joined":true}' : '{"joined":false}');
      contacts += 1;
    }
    pages += 1;
    const more = json.page_context.has_more_page;
    ms += performance.now() - started;
    if (!more) break;
  }
  const started = performance.now();
  db.exec('COMMIT');
  ms += performance.now() - started;
  const outcomes = (db.prepare('SELECT COUNT(*) FROM run_outcomes').pluck().get() as number);
  db.close();
  return { ms: Math.round(ms), fetchMs: Math.round(fetchMs), pages, records, contacts, outcomes, bytes };
}

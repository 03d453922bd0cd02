// Campaign 2: every fault switch of the sandbox, before the first page and in the middle of a
// run. Each case either recovers to the counts and state of a fault-free run, or fails the run
// with a clear reason, leaving the database unchanged (fault on page 1) or holding only whole
// pages already committed (fault later) — and a fault-free re-run then reaches the fault-free
// state exactly. No case may hang (a watchdog cancels and fails it) or crash the process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMapping } from '../../main/common/domain/mapping';
import type { RunCounts } from '../../main/common/domain/outcome';
import { createCore, type Core } from '../../main/core/createCore';
import { startSandbox, type Sandbox, type SandboxFaults } from '../../main/core/sandbox';
import { ZohoClient } from '../../main/core/zoho';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import type { RunResult } from '../../main/core/sync/engine';
import { fastZoho } from '../support/harness';
import { printCampaign, stateDiff, visibleState, type VisibleState } from './support';

const org = '9400001';
const orgSize = 1000; // 5 pages of 200
const seed = 4242;
/** Far above any healthy case (the slowest recovers in a few seconds); only a hang reaches it. */
const watchdogMs = 60_000;
const timeoutMs = 400;

const counts = { tried: 0, recovered: 0, failedCleanly: 0, lost: 0, hung: 0, missedThenRead: 0 };
const dirs: string[] = [];

interface World {
  sandbox: Sandbox;
  core: Core;
  syncId: string;
  /** Calls `fn` once, just before the client sends its `n`-th contacts-list request (1: the first). */
  beforeListRequest(n: number, fn: () => void): void;
  close(): Promise<void>;
}

/** A sandbox with the generated organization, and a core with one All-contacts sync into "Faults". */
async function world(): Promise<World> {
  const sandbox = await startSandbox({ organizations: [{ organization_id: org, name: 'Faulty Traders', generate: { count: orgSize, seed } }] });
  const dataDir = mkdtempSync(join(tmpdir(), 'listsync-faults-'));
  dirs.push(dataDir);
  // Faults and edits are injected at an exact request of the client, whatever the timing of the
  // engine's batches: the client's fetch is wrapped.
  let listRequests = 0;
  const hooks = new Map<number, () => void>();
  const fetchImpl: typeof fetch = (input, init) => {
    if (new URL(String(input)).pathname.endsWith('/contacts')) {
      listRequests += 1;
      hooks.get(listRequests)?.();
      hooks.delete(listRequests);
    }
    return fetch(input, init);
  };
  const core = createCore({ dataDir, secrets: new MemorySecretStore(), runtime: 'test', zoho: { ...fastZoho, timeoutMs, fetchImpl } });
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const reply = await core.call(channel, payload);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    return reply.value as T;
  };
  const account = await call<{ id: string }>('accounts.add', { name: 'Sandbox', endpoint: { baseUrl: sandbox.apiRoot }, key: sandbox.key });
  const list = await call<{ id: string }>('lists.create', { name: 'Faults' });
  const sync = await call<{ id: string }>('syncs.create', {
    runNow: false,
    sync: {
      name: 'faults', accountId: account.id, organizationId: org, importOption: { kind: 'all' }, listId: list.id,
      mapping: defaultMapping(), updatePolicy: 'overwrite', updateEmptyValues: false, schedule: { kind: 'once' }, retrievalStart: { kind: 'all' },
    },
  });
  return {
    sandbox, core, syncId: sync.id,
    beforeListRequest: (n, fn) => {
      if (n <= listRequests) throw new Error(`list request ${n} was already sent`);
      hooks.set(n, fn);
    },
    close: async () => {
      await core.close();
      await sandbox.close();
    },
  };
}

/** Runs the sync; a run still going after the watchdog is cancelled and reported as hung. */
async function guardedRun(w: World): Promise<RunResult & { hung: boolean }> {
  let hung = false;
  const watchdog = setTimeout(() => {
    hung = true;
    w.core.engine.cancel(w.syncId);
  }, watchdogMs);
  try {
    const result = await w.core.runAndWait(w.syncId, 'manual');
    return { ...result, hung };
  } finally {
    clearTimeout(watchdog);
  }
}

function health(w: World): { integrity: unknown; foreignKeys: unknown[] } {
  return { integrity: w.core.store.db.pragma('integrity_check', { simple: true }), foreignKeys: w.core.store.db.pragma('foreign_key_check') as unknown[] };
}

function isSubset(part: VisibleState, whole: VisibleState): boolean {
  const within = (a: unknown[], b: unknown[]) => {
    const set = new Set(b.map((r) => JSON.stringify(r)));
    return a.every((r) => set.has(JSON.stringify(r)));
  };
  return within(part.contacts, whole.contacts) && within(part.members, whole.members) && within(part.sources, whole.sources);
}

interface FaultCase {
  name: string;
  faults: SandboxFaults;
  /** Injected just before the client asks for this page (1: before anything is read). */
  atPage: number;
  expect: 'recover' | { kind: string; message: RegExp };
}

const cases: FaultCase[] = [
  { name: '429 ×3 with Retry-After: 1', faults: { rateLimitBurst: { count: 3, retryAfterSec: 1 } }, atPage: 1, expect: 'recover' },
  { name: '429 ×3 with Retry-After: 0, mid-run', faults: { rateLimitBurst: { count: 3, retryAfterSec: 0 } }, atPage: 2, expect: 'recover' },
  { name: '429 ×3 without Retry-After', faults: { rateLimitBurst: { count: 3, retryAfterSec: null } }, atPage: 1, expect: 'recover' },
  { name: '429 ×3 without Retry-After, mid-run', faults: { rateLimitBurst: { count: 3, retryAfterSec: null } }, atPage: 3, expect: 'recover' },
  { name: '429 with Retry-After: 1 hour', faults: { rateLimitBurst: { count: 1, retryAfterSec: 3600 } }, atPage: 1, expect: { kind: 'rate-limit', message: /wait 3600 s.*try again later/ } },
  { name: '429 that never stops', faults: { rateLimitBurst: { count: 50, retryAfterSec: null } }, atPage: 1, expect: { kind: 'rate-limit', message: /limiting requests for page 1 .*gave up after 6 attempts/ } },
  { name: '429 that never stops, mid-run', faults: { rateLimitBurst: { count: 50, retryAfterSec: 0 } }, atPage: 2, expect: { kind: 'rate-limit', message: /gave up after 6 attempts/ } },
  { name: '500 ×3', faults: { serverErrors: { count: 3, status: 500 } }, atPage: 1, expect: 'recover' },
  { name: '502 ×3 (HTML page)', faults: { serverErrors: { count: 3, status: 502 } }, atPage: 1, expect: 'recover' },
  { name: '503 ×3 (HTML page), mid-run', faults: { serverErrors: { count: 3, status: 503 } }, atPage: 2, expect: 'recover' },
  { name: '500 that never stops', faults: { serverErrors: { count: 50, status: 500 } }, atPage: 1, expect: { kind: 'server', message: /server error reading page 1 .*HTTP 500.*gave up/ } },
  { name: '503 that never stops, mid-run', faults: { serverErrors: { count: 50, status: 503 } }, atPage: 3, expect: { kind: 'server', message: /HTTP 503.*gave up/ } },
  { name: 'connection reset ×3', faults: { resetConnectionNext: 3 }, atPage: 1, expect: 'recover' },
  { name: 'connection reset ×3, mid-run', faults: { resetConnectionNext: 3 }, atPage: 2, expect: 'recover' },
  { name: 'connection reset every time', faults: { resetConnectionNext: 50 }, atPage: 1, expect: { kind: 'network', message: /Could not reach Zoho Invoice.*page 1.*gave up/ } },
  { name: 'slow past the timeout ×2', faults: { slowMs: 1500, slowNext: 2 }, atPage: 1, expect: 'recover' },
  { name: 'slow past the timeout ×2, mid-run', faults: { slowMs: 1500, slowNext: 2 }, atPage: 2, expect: 'recover' },
  { name: 'slow past the timeout on every request', faults: { slowMs: 1500 }, atPage: 1, expect: { kind: 'timeout', message: /did not answer within 0.4 s.*gave up/ } },
  { name: 'slow but within the timeout', faults: { slowMs: 100 }, atPage: 1, expect: 'recover' },
  { name: 'truncated JSON', faults: { truncateNext: 1 }, atPage: 1, expect: { kind: 'malformed', message: /Page 1 of contacts was malformed: the reply is not complete JSON/ } },
  { name: 'truncated JSON, mid-run', faults: { truncateNext: 1 }, atPage: 2, expect: { kind: 'malformed', message: /Page \d of contacts was malformed: the reply is not complete JSON/ } },
  { name: 'email sent as a number', faults: { wrongShapeNext: 1, wrongShape: 'email-number' }, atPage: 1, expect: { kind: 'malformed', message: /contacts\[0\]\.email/ } },
  { name: 'contacts sent as an object', faults: { wrongShapeNext: 1, wrongShape: 'contacts-object' }, atPage: 1, expect: { kind: 'malformed', message: /contacts/ } },
  { name: 'page_context missing, mid-run', faults: { wrongShapeNext: 1, wrongShape: 'no-page-context' }, atPage: 2, expect: { kind: 'malformed', message: /page_context/ } },
  { name: 'a page repeating the previous one', faults: { repeatPreviousPageNext: 1 }, atPage: 1, expect: { kind: 'malformed', message: /Page 2 of contacts repeats page 1/ } },
  { name: 'a page repeating the previous one, mid-run', faults: { repeatPreviousPageNext: 1 }, atPage: 3, expect: { kind: 'malformed', message: /repeats page/ } },
  { name: 'has_more_page that never ends', faults: { endlessPaging: true }, atPage: 1, expect: { kind: 'malformed', message: /has_more_page never ends/ } },
];

describe('fault campaign', () => {
  let reference: { counts: RunCounts; state: VisibleState };

  beforeAll(async () => {
    const w = await world();
    try {
      const r = await guardedRun(w);
      expect(r.status).toBe('succeeded');
      reference = { counts: r.counts, state: visibleState(w.core.store.db) };
      // Every active contact of the organization is counted (inactive ones are not the sync's).
      const client = new ZohoClient({ apiRoot: w.sandbox.apiRoot, token: w.sandbox.key, ...fastZoho });
      let active = 0;
      for await (const page of client.iterateContacts(org, { sortColumn: 'created_time', sortOrder: 'A' })) {
        active += page.contacts.filter((c) => c.status !== 'inactive').length;
      }
      expect(active).toBeLessThan(orgSize);
      expect(r.counts.total).toBe(active);
    } finally {
      await w.close();
    }
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    printCampaign('faults', counts, { cases: cases.length + changes.length });
  });

  for (const c of cases) {
    it.concurrent(`${c.name}: ${c.expect === 'recover' ? 'recovers to the fault-free counts' : `fails cleanly (${c.expect.kind})`}`, async () => {
      counts.tried += 1;
      const w = await world();
      try {
        w.beforeListRequest(c.atPage, () => w.sandbox.setFaults(c.faults));
        const r = await guardedRun(w);
        w.sandbox.setFaults({});
        if (r.hung) counts.hung += 1;
        expect(r.hung, 'the run hung until the watchdog cancelled it').toBe(false);
        expect(health(w)).toEqual({ integrity: 'ok', foreignKeys: [] });
        const state = visibleState(w.core.store.db);
        if (c.expect === 'recover') {
          expect(r.error).toBeNull();
          expect(r.status).toBe('succeeded');
          expect(r.counts).toEqual(reference.counts);
          expect(stateDiff(reference.state, state)).toBe('same');
          counts.recovered += 1;
          return;
        }
        expect(r.status).toBe('failed');
        expect(r.error?.kind).toBe(c.expect.kind);
        expect(r.error?.message).toMatch(c.expect.message);
        const run = w.core.store.runs.get(r.runId!)!;
        expect(run).toMatchObject({ status: 'failed', errorKind: c.expect.kind, error: r.error?.message });
        if (c.atPage === 1 && !('endlessPaging' in c.faults) && !('repeatPreviousPageNext' in c.faults)) {
          // The fault hit page 1: nothing was written but the failed run's row.
          expect(state).toEqual({ contacts: [], members: [], sources: [] });
        } else {
          // Whole pages already committed stay; nothing outside the fault-free result.
          expect(isSubset(state, reference.state), stateDiff(reference.state, state)).toBe(true);
        }
        // The sync is not advanced by a failed run, and a fault-free re-run ends where a fault-free run does.
        expect((await w.core.call('syncs.get', { syncId: w.syncId })).ok).toBe(true);
        const again = await guardedRun(w);
        expect(again.status).toBe('succeeded');
        expect(stateDiff(reference.state, visibleState(w.core.store.db))).toBe('same');
        counts.failedCleanly += 1;
      } catch (error) {
        counts.lost += 1;
        throw error;
      } finally {
        await w.close();
      }
    }, 120_000);
  }

  describe('contacts changing during paging', () => {
    for (const change of changes) {
      it.concurrent(change.name, async () => {
        counts.tried += 1;
        const w = await world();
        try {
          // Changes are stamped after every generated contact, as Zoho stamps them "now".
          w.sandbox.setClock(() => new Date('2026-11-02T00:00:00Z'));
          const ids = await orderedIds(w.sandbox);
          if (change.runFirst) expect((await guardedRun(w)).status).toBe('succeeded');
          const edits = change.edits(ids);
          w.sandbox.resetStats();
          // Pages 1 and 2 have been asked for: the edits land before page 3 is.
          w.beforeListRequest((change.runFirst ? 5 : 0) + 3, () => applyEdits(w.sandbox, edits));
          const r = await guardedRun(w);
          expect(r.hung).toBe(false);
          expect(r.status, JSON.stringify(r.error)).toBe('succeeded');
          expect(health(w)).toEqual({ integrity: 'ok', foreignKeys: [] });
          const stats = w.sandbox.stats();
          if (change.confirmedBy === 'lookups') expect(stats.byEndpoint.contact).toBeGreaterThan(0);
          if (change.confirmedBy === 'second listing') {
            expect(stats.byEndpoint.contact).toBe(0);
            expect(stats.byEndpoint.contacts).toBeGreaterThan(orgSize / 200 + 1);
          }
          // The same organization read by a run with nothing changing under it.
          const calm = await world();
          let settled: VisibleState;
          try {
            calm.sandbox.setClock(() => new Date('2026-11-02T00:00:00Z'));
            if (change.runFirst) expect((await guardedRun(calm)).status).toBe('succeeded');
            applyEdits(calm.sandbox, edits);
            expect((await guardedRun(calm)).status).toBe('succeeded');
            settled = visibleState(calm.core.store.db);
          } finally {
            await calm.close();
          }
          const state = visibleState(w.core.store.db);
          // No live contact was lost: every address the calm run has on the list, this run has too.
          // (Which Zoho contact carries an address may differ: with a case variant deleted mid-run,
          // the variant read first wins here and the later one in the calm run.)
          const memberEmails = (v: VisibleState) => new Set(v.members.map((x) => (x as { email: string }).email));
          const kept = memberEmails(state);
          const lostIds = [...memberEmails(settled)].filter((email) => !kept.has(email));
          if (change.knownLimit) {
            // Known limit of offset paging: a contact moved up across a page boundary by a deletion
            // on a page already read is not seen by this run (at most one per deletion). It was
            // never imported, so nothing is wrong in the database; the next full read imports it.
            expect(lostIds.length, 'more contacts missed than deletions happened').toBeLessThanOrEqual(edits.remove.length);
            counts.missedThenRead += lostIds.length;
          } else {
            expect(lostIds, `${lostIds.length} live contact(s) missing after the run`).toEqual([]);
          }
          // Nobody still in Zoho was marked deleted or taken off the list.
          const deletedHere = (state.contacts as Array<{ email: string; state: string }>).filter((c) => c.state === 'deleted').map((c) => c.email);
          const deletedCalm = new Set((settled.contacts as Array<{ email: string; state: string }>).filter((c) => c.state === 'deleted').map((c) => c.email));
          expect(deletedHere.filter((e) => !deletedCalm.has(e)), 'live contacts marked deleted').toEqual([]);
          // The next run, with nothing changing, ends exactly where the calm run did.
          expect((await guardedRun(w)).status).toBe('succeeded');
          const final = visibleState(w.core.store.db);
          if (!change.runFirst) {
            // Contacts read before Zoho deleted them were imported, and are now marked deleted;
            // the calm run never saw them. Everything else must match.
            const calmEmails = new Set(settled.contacts.map((c) => (c as { email: string }).email));
            final.contacts = final.contacts.filter((c) => calmEmails.has((c as { email: string }).email) || (c as { state: string }).state !== 'deleted');
          }
          expect(stateDiff(settled, final)).toBe('same');
          counts.recovered += 1;
        } catch (error) {
          counts.lost += 1;
          throw error;
        } finally {
          await w.close();
        }
      }, 120_000);
    }
  });
});

interface Edits {
  update: string[];
  remove: string[];
  add: number;
}

const changes: Array<{
  name: string;
  runFirst: boolean;
  knownLimit?: boolean;
  /** How the deletion check confirms its candidates: one lookup each, or reading the listing again. */
  confirmedBy?: 'lookups' | 'second listing';
  edits: (ids: string[]) => Edits;
}> = [
  {
    name: 'first import: contacts renamed on read and unread pages, and new ones added, while paging',
    runFirst: false,
    edits: (ids) => ({ update: [...ids.slice(10, 15), ...ids.slice(700, 705)], remove: [], add: 5 }),
  },
  {
    name: 'first import: contacts deleted from pages already read, while paging (a contact shifted past is read by the next run)',
    runFirst: false,
    knownLimit: true,
    edits: (ids) => ({ update: [], remove: ids.slice(20, 25), add: 0 }),
  },
  {
    name: 'reconciliation: contacts deleted from pages already read, while paging (no live contact is deleted)',
    runFirst: true,
    confirmedBy: 'lookups',
    edits: (ids) => ({ update: [], remove: ids.slice(20, 25), add: 0 }),
  },
  {
    name: 'reconciliation: deletions, renames and additions everywhere, while paging',
    runFirst: true,
    edits: (ids) => ({ update: [...ids.slice(0, 5), ...ids.slice(900, 905)], remove: [...ids.slice(30, 33), ...ids.slice(800, 803)], add: 3 }),
  },
  {
    name: 'reconciliation: a mass deletion (300 contacts, read and unread pages) while paging',
    runFirst: true,
    confirmedBy: 'second listing',
    edits: (ids) => ({ update: [], remove: ids.filter((_, i) => i % 3 === 0 && i < 900), add: 0 }),
  },
];

function applyEdits(sandbox: Sandbox, edits: Edits): void {
  for (const id of edits.update) sandbox.updateContact(org, id, { first_name: 'Renamed', contact_name: 'Renamed Person' });
  for (const id of edits.remove) sandbox.deleteContact(org, id);
  for (let i = 0; i < edits.add; i++) {
    sandbox.addContact(org, { contact_name: `Added ${i}`, first_name: 'Added', last_name: String(i), email: `added.${i}@example.com` });
  }
}

/** Contact ids in the order a full read sees them (created_time ascending). */
async function orderedIds(sandbox: Sandbox): Promise<string[]> {
  const client = new ZohoClient({ apiRoot: sandbox.apiRoot, token: sandbox.key, ...fastZoho, limits: { requests: 1_000_000, windowMs: 1000 } });
  const ids: string[] = [];
  for await (const page of client.iterateContacts(org, { sortColumn: 'created_time', sortOrder: 'A' })) ids.push(...page.contacts.map((c) => c.contact_id));
  return ids;
}

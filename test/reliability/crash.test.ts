// Campaign 1: SIGKILL. A 50 000-contact run of `listsync sync run` (a real child process) is killed
// at 20 moments chosen by a seeded generator: in its first page, between batches, inside a batch
// (mid-page, mid-transaction), and during the deletion check of a reconciliation run. After every
// kill the database passes integrity_check and foreign_key_check, holds no duplicate contact and
// no half-written batch (the run's saved counts match its outcome rows); the next start marks the
// killed run `interrupted`; and a re-run ends with exactly the contacts, states, list members and
// source map of an uninterrupted run.
//
// To stay within a few minutes, the organization is generated once, each reference run is made
// once, and kills are chained: a chain starts from a copy of a snapshot, each of its runs is killed
// in turn (each next run is the re-run of the kill before it), and its last run goes uninterrupted
// and is compared with the reference. LISTSYNC_CRASH_SEED picks another set of moments.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMapping } from '../../main/common/domain/mapping';
import { createCore } from '../../main/core/createCore';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { KeychainSecretStore } from '../../main/core/secrets/keychainSecretStore';
import { checkEmail } from '../../main/core/sync/emailValidity';
import { ZohoClient } from '../../main/core/zoho';
import { repoRoot } from '../support/cli';
import { dbHealth, printCampaign, seeded, stateDiff, visibleState, type VisibleState } from './support';

const org = '9600001';
const orgSize = 50_000;
const generateSeed = 20_261_101;
const campaignSeed = Number(process.env.LISTSYNC_CRASH_SEED ?? 20_261_125);
/** Client settings for the sandbox (loopback only): no rate limit, quick retries. */
const sandboxClient = { limits: { requests: 1_000_000, windowMs: 1_000 }, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 30_000 };
const childEnv = { ...process.env, LISTSYNC_SANDBOX_CLIENT: JSON.stringify(sandboxClient) };
/** Changes in Zoho between the first import and the reconciliation run. */
const changes = { deleted: 1500, renamed: 1000, added: 500 };

type Kind = 'first page' | 'between batches' | 'inside a batch' | 'deletion check';
interface KillPoint {
  phase: 'import' | 'reconciliation';
  kind: Kind;
  /** Committed pages to wait for (page kinds). */
  pages: number;
  /** Wait after the trigger, ms (puts the kill inside the work that follows). */
  delayMs: number;
  /** deletion check: trigger on the first committed deletion instead of the end of reading. */
  onFirstDeletion: boolean;
}
interface KillRecord extends KillPoint {
  runId: number;
  pagesAtKill: number;
  deletedAtKill: number;
}

/** withoutIndex: kills that caught a first import before it built its address index. */
const counts = { tried: 0, recovered: 0, failedCleanly: 0, lost: 0, duplicated: 0, kills: 0, missed: 0, chains: 0, withoutIndex: 0 };
const byKind: Record<string, number> = {};
const root = mkdtempSync(join(tmpdir(), 'listsync-crash-'));
const dbOf = (dir: string) => join(dir, 'listsync.db');

/**
 * The 20 moments: 8 in the first import (2 chains of 4), 12 in the reconciliation run (2 chains of
 * 6, two of them in the deletion check). Page kills fall in the first 60 % of the run (batches are
 * alike all the way through; the early range keeps the campaign short).
 */
function killPlan(): KillPoint[][] {
  const rng = seeded(campaignSeed);
  const point = (phase: KillPoint['phase'], kind: Kind): KillPoint => ({
    phase,
    kind,
    pages: kind === 'first page' || kind === 'deletion check' ? 0 : rng.int(1, 150),
    delayMs: kind === 'inside a batch' ? rng.int(1, 60) : kind === 'first page' ? rng.int(0, 40) : kind === 'deletion check' ? rng.int(0, 250) : 0,
    onFirstDeletion: kind === 'deletion check' && rng.next() < 0.5,
  });
  const pageKinds: Kind[] = ['first page', 'between batches', 'inside a batch', 'inside a batch'];
  const chains: KillPoint[][] = [];
  for (let c = 0; c < 2; c++) chains.push(Array.from({ length: 4 }, () => point('import', rng.pick(pageKinds))));
  for (let c = 0; c < 2; c++) {
    const chain = Array.from({ length: 6 }, () => point('reconciliation', rng.pick(pageKinds)));
    const first = rng.int(0, 5);
    const second = (first + rng.int(1, 5)) % 6;
    chain[first] = point('reconciliation', 'deletion check');
    chain[second] = point('reconciliation', 'deletion check');
    chains.push(chain);
  }
  return chains;
}

function copySnapshot(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) if (name.startsWith('listsync.db')) copyFileSync(join(from, name), join(to, name));
}

/** An uninterrupted `listsync sync run` (references and the last run of each chain). */
async function runToEnd(dataDir: string, syncId: string): Promise<void> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'listsync.js'), '--json', '--data-dir', dataDir, 'sync', 'run', syncId], {
    stdio: ['ignore', 'pipe', 'pipe'], env: childEnv,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, out).toBe(0);
  expect(out).toMatch(/"status": "succeeded"/);
}

interface RunRow { id: number; status: string; pages: number; deleted: number }

/** Starts `listsync sync run` and SIGKILLs it at the point; null when the run ended first (missed). */
async function runAndKill(dataDir: string, syncId: string, p: KillPoint, totalPages: number): Promise<KillRecord | null> {
  const before = maxRunId(dataDir);
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'listsync.js'), '--data-dir', dataDir, 'sync', 'run', syncId], { stdio: 'ignore', env: childEnv });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let row: RunRow | undefined;
  const db = new Database(dbOf(dataDir), { readonly: true, timeout: 1000 });
  const latest = db.prepare('SELECT id, status, pages, deleted FROM runs WHERE id > ? ORDER BY id DESC LIMIT 1');
  try {
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (child.exitCode !== null || Date.now() > deadline) break;
      row = latest.get(before) as RunRow | undefined;
      if (row && row.status !== 'running') break;
      if (row) {
        const ready =
          p.kind === 'first page' ? true
            : p.kind === 'deletion check' ? (p.onFirstDeletion ? row.deleted > 0 : row.pages >= totalPages)
              : row.pages >= p.pages;
        if (ready) {
          if (p.delayMs > 0) await new Promise((r) => setTimeout(r, p.delayMs));
          child.kill('SIGKILL');
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    db.close();
  }
  if (child.exitCode === null) child.kill('SIGKILL');
  await exited;
  const after = readRun(dataDir, before);
  if (!after || after.status !== 'running') return null; // the run ended before the kill landed
  return { ...p, runId: after.id, pagesAtKill: after.pages, deletedAtKill: after.deleted };
}

function maxRunId(dataDir: string): number {
  const db = new Database(dbOf(dataDir), { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(id), 0) FROM runs').pluck().get() as number) ?? 0;
  } finally {
    db.close();
  }
}

function readRun(dataDir: string, afterId: number): RunRow | undefined {
  const db = new Database(dbOf(dataDir), { readonly: true });
  try {
    return db.prepare('SELECT id, status, pages, deleted FROM runs WHERE id > ? ORDER BY id DESC LIMIT 1').get(afterId) as RunRow | undefined;
  } finally {
    db.close();
  }
}

/** What must hold the moment after a kill, read from outside (the app has not started again). */
function checkAfterKill(dataDir: string, kill: KillRecord, allowed: { emails: Set<string>; members: Set<string> }): void {
  expect(dbHealth(dbOf(dataDir))).toEqual({ integrity: 'ok', foreignKeys: [] });
  const db = new Database(dbOf(dataDir), { readonly: true });
  try {
    const dup = db.prepare('SELECT lower(email) AS e, COUNT(*) AS n FROM contacts GROUP BY lower(email) HAVING n > 1').all();
    if (dup.length > 0) counts.duplicated += dup.length;
    expect(dup, 'duplicated contacts').toEqual([]);
    // No half batch: the counts saved with the last commit match the outcome rows committed with them.
    const run = db.prepare('SELECT total, new, readded, duplicate, ignored, deleted, status FROM runs WHERE id = ?').get(kill.runId) as Record<string, number | string>;
    const rows = Object.fromEntries(
      (db.prepare('SELECT outcome, COUNT(*) AS n FROM run_outcomes WHERE run_id = ? GROUP BY outcome').all(kill.runId) as Array<{ outcome: string; n: number }>).map((r) => [r.outcome, r.n]),
    );
    expect(run.status).toBe('running');
    if (addressIndexOf(dbOf(dataDir)) === undefined) counts.withoutIndex += 1;
    expect({ new: run.new, readded: run.readded, duplicate: run.duplicate, ignored: run.ignored, deleted: run.deleted }).toEqual({
      new: rows.new ?? 0, readded: rows.readded ?? 0, duplicate: rows.duplicate ?? 0, ignored: rows.ignored ?? 0, deleted: rows.deleted ?? 0,
    });
    expect(run.total).toBe((run.new as number) + (run.readded as number) + (run.duplicate as number) + (run.ignored as number));
    // Nothing outside what the snapshot had or an uninterrupted run makes.
    const strays = (db.prepare('SELECT email FROM contacts').pluck().all() as string[]).filter((e) => !allowed.emails.has(e));
    expect(strays.slice(0, 5), `${strays.length} unexpected contacts`).toEqual([]);
    const members = db.prepare('SELECT c.email FROM list_members m JOIN contacts c ON c.id = m.contact_id').pluck().all() as string[];
    expect(members.filter((e) => !allowed.members.has(e)).slice(0, 5)).toEqual([]);
  } finally {
    db.close();
  }
}

function addressIndexOf(path: string): string | undefined {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'contacts_email'`).pluck().get() as string | undefined;
  } finally {
    db.close();
  }
}

function statusesOf(dataDir: string, ids: number[]): string[] {
  const db = new Database(dbOf(dataDir), { readonly: true });
  try {
    return ids.map((id) => db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(id) as string);
  } finally {
    db.close();
  }
}

const emailsOf = (s: VisibleState) => s.contacts.map((c) => (c as { email: string }).email);
const membersOf = (s: VisibleState) => s.members.map((m) => (m as { email: string }).email);

describe('crash campaign: SIGKILL of a 50 000-contact run', () => {
  let sandbox: Sandbox;
  let client: ZohoClient;
  let syncId = '';
  let accountId = '';
  const snapshot = { empty: join(root, 'snapshot-empty'), imported: join(root, 'snapshot-imported') };
  const reference: { import?: VisibleState; reconciliation?: VisibleState } = {};
  const kills: KillRecord[] = [];
  const plan = killPlan();

  beforeAll(async () => {
    sandbox = await startSandbox({ organizations: [{ organization_id: org, name: 'Crash Test Dummies', generate: { count: orgSize, seed: generateSeed } }] });
    sandbox.setClock(() => new Date('2026-11-02T00:00:00Z'));
    client = new ZohoClient({ apiRoot: sandbox.apiRoot, token: sandbox.key, ...sandboxClient });
    // Snapshot 1: account (key in the keychain), list, sync, and two suppressed addresses.
    const firstPage = await client.listContactsPage(org, { page: 1, sortColumn: 'created_time', sortOrder: 'A' });
    const valid = firstPage.contacts.flatMap((c) => (c.email && checkEmail(c.email).ok ? [c.email.toLowerCase()] : []));
    const core = createCore({ dataDir: snapshot.empty, secrets: new KeychainSecretStore(), runtime: 'test', sandboxZoho: sandboxClient });
    try {
      const call = async <T>(channel: string, payload: unknown): Promise<T> => {
        const reply = await core.call(channel, payload);
        if (!reply.ok) throw new Error(JSON.stringify(reply.error));
        return reply.value as T;
      };
      accountId = (await call<{ id: string }>('accounts.add', { name: 'Sandbox', endpoint: { baseUrl: sandbox.apiRoot }, key: sandbox.key })).id;
      // A campaign reads 50k contacts many times over (250 requests a read): well past a Zoho
      // plan's daily cap, which is not what this campaign is about.
      await call('accounts.setBudget', { accountId, budget: { plan: 'custom', dailyCap: 10_000_000 } });
      const list = await call<{ id: string }>('lists.create', { name: 'Customers' });
      await call('contacts.mark', { email: valid[3], state: 'bounced' });
      await call('contacts.mark', { email: valid[7], state: 'do-not-mail' });
      syncId = (await call<{ id: string }>('syncs.create', {
        runNow: false,
        sync: {
          name: 'Crash', accountId, organizationId: org, importOption: { kind: 'all' }, listId: list.id, mapping: defaultMapping(),
          updatePolicy: 'overwrite', updateEmptyValues: false, schedule: { kind: 'once' }, retrievalStart: { kind: 'all' },
        },
      })).id;
    } finally {
      await core.close();
    }
    // Reference 1: the first import, uninterrupted. Its end state is snapshot 2.
    copySnapshot(snapshot.empty, snapshot.imported);
    await runToEnd(snapshot.imported, syncId);
    reference.import = visibleState(dbOf(snapshot.imported));
    expect(reference.import.members.length).toBeGreaterThan(orgSize * 0.8);
  }, 600_000);

  afterAll(async () => {
    await sandbox?.close();
    if (accountId) await new KeychainSecretStore().delete(accountId).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    for (const k of kills) byKind[k.kind] = (byKind[k.kind] ?? 0) + 1;
    printCampaign('crash', counts, {
      contacts: orgSize, seed: campaignSeed, byKind,
      killedAtPages: kills.map((k) => (k.kind === 'deletion check' ? `${k.pagesAtKill}+${k.deletedAtKill}del` : String(k.pagesAtKill))).join(','),
    });
  });

  /** Runs one chain: kills at its points in turn, then an uninterrupted re-run compared with the reference. */
  async function chainRun(c: number, chain: KillPoint[]): Promise<void> {
    counts.chains += 1;
    const phase = chain[0]!.phase;
    const dir = join(root, `chain-${c + 1}`);
    copySnapshot(phase === 'import' ? snapshot.empty : snapshot.imported, dir);
    const start = phase === 'import' ? { contacts: [], members: [], sources: [] } : reference.import!;
    const target = (phase === 'import' ? reference.import : reference.reconciliation)!;
    const allowed = {
      emails: new Set([...emailsOf(start), ...emailsOf(target)]),
      members: new Set([...membersOf(start), ...membersOf(target)]),
    };
    const totalPages = Math.ceil((phase === 'import' ? orgSize : orgSize - changes.deleted + changes.added) / 200);
    let killedHere: KillRecord[] = [];
    /** The re-run after the kills so far ends like the reference, and marked each of them interrupted. */
    const expectRecovered = () => {
      expect(statusesOf(dir, killedHere.map((k) => k.runId))).toEqual(killedHere.map(() => 'interrupted'));
      expect(dbHealth(dbOf(dir))).toEqual({ integrity: 'ok', foreignKeys: [] });
      expect(stateDiff(target, visibleState(dbOf(dir)))).toBe('same');
      // A killed first import leaves its address index unbuilt (store/contacts.ts): the next start builds it.
      expect(addressIndexOf(dbOf(dir))).toBe('CREATE UNIQUE INDEX contacts_email ON contacts(email)');
      counts.recovered += killedHere.length;
      killedHere = [];
    };
    try {
      for (const point of chain) {
        counts.tried += 1;
        let kill: KillRecord | null = null;
        for (let attempt = 0; attempt < 3 && !kill; attempt++) {
          // Later attempts kill earlier: at the end of reading rather than at the first deletion.
          const p = attempt === 0 ? point : { ...point, delayMs: Math.floor(point.delayMs / 4), pages: Math.floor(point.pages / 2), onFirstDeletion: false };
          kill = await runAndKill(dir, syncId, p, totalPages);
          if (kill) break;
          // The run ended before the kill landed: it was the uninterrupted re-run of the kills so
          // far. Check it as such, then start over from the snapshot (deletions are pending again).
          counts.missed += 1;
          expectRecovered();
          rmSync(dir, { recursive: true, force: true });
          copySnapshot(phase === 'import' ? snapshot.empty : snapshot.imported, dir);
        }
        expect(kill, `could not kill the run at ${JSON.stringify(point)}`).not.toBeNull();
        checkAfterKill(dir, kill!, allowed);
        killedHere.push(kill!);
        kills.push(kill!);
        counts.kills += 1;
      }
      await runToEnd(dir, syncId);
      expectRecovered();
    } catch (error) {
      counts.lost += 1;
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const title = (c: number, chain: KillPoint[]) => `chain ${c + 1}: ${chain.map((p) => p.kind).join(', ')}; then an uninterrupted re-run`;

  // Chains of one phase run side by side (each its own child process and data folder).
  describe('first import', () => {
    plan.forEach((chain, c) => {
      if (chain[0]!.phase === 'import') it.concurrent(title(c, chain), () => chainRun(c, chain), 900_000);
    });
    // Each chain's first kill lands in a first import into a nearly empty book (two suppressed
    // addresses), which defers its address index: the campaign must have caught that state.
    afterAll(() => {
      if (counts.lost === 0) expect(counts.withoutIndex, 'kills of a first import without its address index').toBeGreaterThan(0);
    });
  });

  describe('reconciliation run after deletions, renames and additions in Zoho', () => {
    beforeAll(async () => {
      const rng = seeded(campaignSeed + 1);
      const ids: string[] = [];
      // Changes among the active contacts: inactive ones are not the sync's (never imported).
      for await (const page of client.iterateContacts(org, { sortColumn: 'created_time', sortOrder: 'A' })) {
        ids.push(...page.contacts.filter((c) => c.status !== 'inactive').map((c) => c.contact_id));
      }
      const pickIds = new Set<string>();
      while (pickIds.size < changes.deleted + changes.renamed) pickIds.add(ids[rng.int(0, ids.length - 1)]!);
      const picked = [...pickIds];
      for (const id of picked.slice(0, changes.deleted)) sandbox.deleteContact(org, id);
      for (const id of picked.slice(changes.deleted)) sandbox.updateContact(org, id, { first_name: 'Renamed', last_name: `Person ${id.slice(-5)}` });
      for (let i = 0; i < changes.added; i++) {
        sandbox.addContact(org, { contact_name: `Added ${i}`, first_name: 'Added', last_name: String(i), email: `added.${i}@crash.example` });
      }
      // Reference 2: the reconciliation run after those changes, uninterrupted.
      const ref2 = join(root, 'reference-reconciliation');
      copySnapshot(snapshot.imported, ref2);
      await runToEnd(ref2, syncId);
      reference.reconciliation = visibleState(dbOf(ref2));
      expect(reference.reconciliation.contacts.filter((c) => (c as { state: string }).state === 'deleted').length).toBeGreaterThan(changes.deleted * 0.8);
    }, 600_000);

    plan.forEach((chain, c) => {
      if (chain[0]!.phase === 'reconciliation') it.concurrent(title(c, chain), () => chainRun(c, chain), 900_000);
    });
  });
});

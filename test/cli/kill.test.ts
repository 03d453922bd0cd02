import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { cli, repoRoot } from '../support/cli';

/** A run killed with SIGKILL at several points ends, after a re-run, exactly as an uninterrupted run. */
const org = '8100001';

function state(dataDir: string) {
  const db = new Database(join(dataDir, 'listsync.db'), { readonly: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      foreignKeys: db.pragma('foreign_key_check'),
      contacts: db.prepare('SELECT email, state, first_name, last_name, fields FROM contacts ORDER BY email').all(),
      members: db.prepare('SELECT c.email FROM list_members m JOIN contacts c ON c.id = m.contact_id ORDER BY c.email').all(),
      sources: db.prepare('SELECT source_id FROM sync_sources ORDER BY source_id').all(),
    };
  } finally {
    db.close();
  }
}

function pagesDone(dataDir: string): number {
  try {
    const db = new Database(join(dataDir, 'listsync.db'), { readonly: true, timeout: 1000 });
    try {
      const row = db.prepare(`SELECT pages FROM runs WHERE status = 'running' ORDER BY id DESC LIMIT 1`).get() as { pages: number } | undefined;
      return row?.pages ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

async function setUp(sandbox: Sandbox, dataDir: string): Promise<string> {
  await cli(dataDir, ['account', 'add', 'S', '--base-url', sandbox.apiRoot], sandbox.key);
  await cli(dataDir, ['list', 'add', 'L']);
  await cli(dataDir, ['contact', 'mark', 'nobody@example.com', 'do-not-mail']);
  const add = await cli(dataDir, ['sync', 'add', '--account', 'S', '--org', org, '--list', 'L']);
  return (add.json as { id: string }).id;
}

/** Starts `listsync sync run` and SIGKILLs it once the run has committed `afterPages` pages. */
async function runAndKill(dataDir: string, syncId: string, afterPages: number): Promise<number> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'listsync.js'), '--data-dir', dataDir, 'sync', 'run', syncId], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = pagesDone(dataDir);
    if (seen >= afterPages || child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  return seen;
}

describe('SIGKILL mid-run', () => {
  let sandbox: Sandbox;
  const dirs: string[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ organizations: [{ organization_id: org, name: 'Big Org', generate: { count: 4000, seed: 7 } }] });
    // Slower than the engine's batch wait (50 ms): every page is committed on its own, so each kill
    // point is reached mid-run (with faster pages a batch of 10 commits at once and the last one
    // can end the run before the test sees it).
    sandbox.setFaults({ slowMs: 80 });
  });
  afterAll(async () => {
    await sandbox?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('re-runs after kills at several points reach the uninterrupted end state', async () => {
    const reference = mkdtempSync(join(tmpdir(), 'listsync-ref-'));
    const killed = mkdtempSync(join(tmpdir(), 'listsync-kill-'));
    dirs.push(reference, killed);

    const refSync = await setUp(sandbox, reference);
    expect((await cli(reference, ['sync', 'run', refSync])).code).toBe(0);
    const expected = state(reference);
    expect(expected.integrity).toBe('ok');
    expect(expected.members.length).toBeGreaterThan(3000);

    const syncId = await setUp(sandbox, killed);
    for (const point of [1, 4, 9, 14]) {
      const reached = await runAndKill(killed, syncId, point);
      expect(reached).toBeGreaterThanOrEqual(Math.min(point, 1));
      const mid = state(killed);
      expect(mid.integrity).toBe('ok');
      expect(mid.foreignKeys).toEqual([]);
    }
    const final = await cli(killed, ['sync', 'run', syncId]);
    expect(final.code, final.stderr).toBe(0);
    const history = (await cli(killed, ['sync', 'history', syncId])).json as Array<{ status: string }>;
    expect(history.filter((r) => r.status === 'interrupted').length).toBe(4);
    expect(history[0]!.status).toBe('succeeded');
    const end = state(killed);
    expect(end.contacts).toEqual(expected.contacts);
    expect(end.members).toEqual(expected.members);
    expect(end.sources).toEqual(expected.sources);
  }, 240_000);
});

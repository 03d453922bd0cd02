import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { fixture } from '../support/fixtures';
import { cli, repoRoot } from '../support/cli';

const org = '8200001';
const key = 'zsc-daemon-key-5a6b7c8d9e0f';

/** `listsync daemon` runs the same scheduler headless: here, a run that came due while nothing ran. */
describe('listsync daemon', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({
      key, organizations: [{ organization_id: org, name: 'Daemon Org', contacts: [fixture('Asha Rao', 'asha@example.in'), fixture('Li Wei', 'li@example.cn')] }],
    });
    dataDir = mkdtempSync(join(tmpdir(), 'listsync-daemon-'));
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('catches up a missed daily run once, reports it, and stops cleanly on SIGTERM', async () => {
    expect((await cli(dataDir, ['account', 'add', 'Acme', '--base-url', sandbox.apiRoot], key)).code).toBe(0);
    expect((await cli(dataDir, ['list', 'add', 'Customers'])).code).toBe(0);
    const add = await cli(dataDir, ['sync', 'add', '--account', 'Acme', '--org', 'Daemon Org', '--list', 'Customers', '--daily', '--at', '06:00', '--tz', 'UTC']);
    expect(add.code, add.stderr).toBe(0);
    const syncId = (add.json as { id: string }).id;
    // The sync's slot passed while ListSync was closed.
    const db = new Database(join(dataDir, 'listsync.db'));
    db.prepare('UPDATE syncs SET next_run_at = ? WHERE id = ?').run('2020-01-01T06:00:00.000Z', syncId);
    db.close();

    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'listsync.js'), '--data-dir', dataDir, 'daemon'], { cwd: repoRoot });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const finished = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/succeeded: 2 total, 2 new/.test(out)) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await finished;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/1 scheduled sync/);

    const history = await cli(dataDir, ['sync', 'history', syncId]);
    expect((history.json as { trigger: string; status: string }[]).map((r) => [r.trigger, r.status])).toEqual([['catch-up', 'succeeded']]);
    const show = await cli(dataDir, ['sync', 'show', syncId]);
    const next = Date.parse((show.json as { next_run_at: string }).next_run_at);
    expect(next).toBeGreaterThan(Date.now());
    expect(new Date(next).toISOString()).toMatch(/T06:00:00\.000Z$/);
  }, 60_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { cli } from '../support/cli';
import { fixture } from '../support/fixtures';

const org = '8100001';
const key = 'zsc-cli-REVIEW-0a1b2c3d4e5f6789';
const ana = fixture('Ana Silva', 'ana@example.io');
const bob = fixture('Bob Stone', 'bob@example.io');
const cy = fixture('Cy Young', 'cy@example.io');

interface Counts { total: number; new: number; readded: number; held: number; duplicate: number; ignored: number; deleted: number }
interface Item { id: number; email: string; cause: string; status: string; decided_by: string | null; decided_at: string | null; sync: string; list: string }

/** `listsync review …` against a real data folder and the sandbox, each command in its own process. */
describe('listsync review', { timeout: 120_000 }, () => {
  let sandbox: Sandbox;
  let dataDir: string;
  let syncId = '';
  const run = (args: string[], input?: string) => cli(dataDir, args, input);
  const runSync = async () => {
    const r = await run(['sync', 'run', syncId]);
    expect(r.code, r.stderr).toBe(0);
    return (r.json as { counts: Counts }).counts;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ key, organizations: [{ organization_id: org, name: 'Review Co', contacts: [ana, bob, cy] }] });
    dataDir = mkdtempSync(join(tmpdir(), 'listsync-cli-review-'));
    expect((await run(['account', 'add', 'Rev', '--base-url', sandbox.apiRoot], `${key}\n`)).code).toBe(0);
    expect((await run(['list', 'add', 'Members'])).code).toBe(0);
    const add = await run(['sync', 'add', '--account', 'Rev', '--org', org, '--list', 'Members', '--name', 'Review sync', '--readd', 'review']);
    expect(add.code, add.stderr).toBe(0);
    syncId = (add.json as { id: string }).id;
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('contacts deleted in Zoho Invoice that come back wait in the queue', async () => {
    expect(await runSync()).toMatchObject({ total: 3, new: 3 });
    sandbox.deleteContact(org, ana.contact_id);
    sandbox.deleteContact(org, bob.contact_id);
    expect(await runSync()).toMatchObject({ total: 1, duplicate: 1, deleted: 2 });
    sandbox.addContact(org, fixture('Ana Silva', 'ana@example.io'));
    sandbox.addContact(org, fixture('Bob Stone', 'bob@example.io'));
    expect(await runSync()).toMatchObject({ total: 3, held: 2, duplicate: 1, readded: 0, new: 0 });

    const ls = await run(['review', 'ls']);
    expect(ls.code, ls.stderr).toBe(0);
    const page = ls.json as { total: number; pending: number; items: Item[] };
    expect([page.total, page.pending]).toEqual([2, 2]);
    expect(page.items.map((i) => [i.email, i.cause, i.status, i.sync, i.list])).toEqual([
      ['bob@example.io', 'deleted', 'pending', 'Review sync', 'Members'],
      ['ana@example.io', 'deleted', 'pending', 'Review sync', 'Members'],
    ]);
    expect((await run(['review', 'ls', '--status', 'approved', '--sync', 'Review sync'])).json).toEqual({ total: 0, pending: 2, items: [] });
  });

  let anaId = 0;
  it('approve by id and reject --all', async () => {
    const items = ((await run(['review', 'ls'])).json as { items: Item[] }).items;
    anaId = items.find((i) => i.email === 'ana@example.io')!.id;
    const approve = await run(['review', 'approve', String(anaId)]);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.json).toEqual({ decision: 'approve', approved: 1, rejected: 0, skipped: 0 });
    const reject = await run(['review', 'reject', '--all', '--sync', syncId]);
    expect(reject.json).toEqual({ decision: 'reject', approved: 0, rejected: 1, skipped: 0 });
    expect((await run(['review', 'approve', String(anaId)])).json).toEqual({ decision: 'approve', approved: 0, rejected: 0, skipped: 1 });
  });

  it('the decisions are on record as taken from the CLI; the rejected contact stays out', async () => {
    const all = (await run(['review', 'ls', '--status', 'all'])).json as { total: number; pending: number; items: Item[] };
    expect([all.total, all.pending]).toEqual([2, 0]);
    expect(all.items.map((i) => [i.email, i.status, i.decided_by, typeof i.decided_at])).toEqual([
      ['bob@example.io', 'rejected', 'cli', 'string'],
      ['ana@example.io', 'approved', 'cli', 'string'],
    ]);
    const members = (await run(['list', 'show', 'Members'])).json as { members: Array<{ email: string }> };
    expect(members.members.map((m) => m.email).sort()).toEqual(['ana@example.io', 'cy@example.io']);
    // Bob stays out: held again, with no new entry.
    expect(await runSync()).toMatchObject({ total: 3, held: 1, duplicate: 2 });
    expect(((await run(['review', 'ls', '--status', 'all'])).json as { total: number }).total).toBe(2);
  });

  it('refuses unclear requests in one line with a non-zero exit', async () => {
    for (const args of [
      ['review', 'approve'],
      ['review', 'reject', '7', '--all'],
      ['review', 'approve', 'abc'],
      ['review', 'approve', '3', '--sync', syncId],
      ['review', 'ls', '--status', 'maybe'],
      ['review', 'ls', '--sync', 'no such sync'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.json, args.join(' ')).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });
});

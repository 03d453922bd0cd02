import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { cli } from '../support/cli';
import { fixture } from '../support/fixtures';

// Every issue-9 option has a CLI flag and shows in --json: subscription details, the two safety
// policies, pause/resume, topics, role rules, the API budget and removing contacts by hand.
const org = '8100001';
const key = 'zsc-cli-options-0123456789ab';
const contacts = [
  fixture('Asha Rao', 'asha@example.in'),
  fixture('Hans Meier', 'hans@example.de'),
  fixture('Billing Team', 'billing@example.in'),
];

describe('CLI flags for sync options, topics, roles, budget and list removal', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  const run = (args: string[], input?: string) => cli(dataDir, args, input);
  let syncId = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ key, organizations: [{ organization_id: org, name: 'Zylker Options', contacts }] });
    dataDir = mkdtempSync(join(tmpdir(), 'listsync-cli-options-'));
    expect((await run(['account', 'add', 'Opt', '--base-url', sandbox.apiRoot], `${key}\n`)).code).toBe(0);
    expect((await run(['list', 'add', 'Newsletter'])).code).toBe(0);
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unknown topic, then creates the sync with subscription details and policies', async () => {
    const unknown = await run(['sync', 'add', '--account', 'Opt', '--org', org, '--list', 'Newsletter', '--topic', 'Offers']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/Unknown topic\(s\): Offers/);

    expect((await run(['topic', 'add', 'Offers'])).json).toEqual(['Offers']);
    expect((await run(['topic', 'add', 'offers'])).stderr).toMatch(/already exists/);
    const bad = await run(['sync', 'add', '--account', 'Opt', '--org', org, '--list', 'Newsletter', '--readd', 'maybe']);
    expect(bad.stderr).toMatch(/--readd is one of join, review; got "maybe"/);

    const add = await run([
      'sync', 'add', '--account', 'Opt', '--org', org, '--list', 'Newsletter', '--name', 'Opt sync',
      '--subscription', 'non-marketing', '--topic', 'Offers', '--lawful-basis', 'contract',
      '--readd', 'review', '--on-exit', 'mark', '--run-now',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const created = add.json as Record<string, unknown> & { id: string; first_run: { status: string; counts: { new: number; ignored: number } } };
    syncId = created.id;
    expect(created).toMatchObject({
      subscription: { type: 'non-marketing', topics: ['Offers'], lawful_basis: 'contract' },
      readd_policy: 'review', exit_policy: 'mark', paused: false, paused_reason: null, failure_streak: 0, waiting: null, pending_review: 0,
    });
    expect(created.first_run).toMatchObject({ status: 'succeeded', counts: { new: 2, ignored: 1 } });
    expect((await run(['topic', 'rm', 'Offers'])).stderr).toMatch(/used by a sync/);
  });

  it('edits the options, pauses and resumes', async () => {
    const edit = await run(['sync', 'edit', syncId, '--subscription', 'marketing', '--lawful-basis', 'none', '--readd', 'join', '--on-exit', 'remove', '--update-empty']);
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.json).toMatchObject({
      subscription: { type: 'marketing', topics: ['Offers'], lawful_basis: null },
      readd_policy: 'join', exit_policy: 'remove', update_empty_values: true,
    });
    expect((await run(['sync', 'pause', syncId])).json).toMatchObject({ paused: true, paused_reason: 'Paused by you', active: true });
    const ls = await run(['sync', 'ls']);
    expect(ls.json).toEqual([expect.objectContaining({ id: syncId, paused: true })]);
    expect((await run(['sync', 'resume', syncId])).json).toMatchObject({ paused: false, paused_reason: null });
  });

  it('manages role prefixes and approved addresses', async () => {
    const ls = await run(['role', 'ls']);
    expect(ls.json).toMatchObject({ prefixes: [], exceptions: [] });
    expect((ls.json as { builtin_count: number }).builtin_count).toBeGreaterThan(100);
    expect((await run(['role', 'add-prefix', 'support'])).stderr).toMatch(/already on the built-in list/);
    expect((await run(['role', 'add-prefix', 'Zylkerteam'])).json).toMatchObject({ extraPrefixes: ['zylkerteam'] });
    expect((await run(['role', 'allow', 'Billing@Example.in'])).json).toMatchObject({ exceptions: ['billing@example.in'] });
    const rerun = await run(['sync', 'run', syncId]);
    // billing@ is approved now: a new contact instead of a Group email.
    expect(rerun.json).toMatchObject({ status: 'succeeded', counts: { new: 1, duplicate: 2, ignored: 0 } });
    expect((await run(['role', 'disallow', 'billing@example.in'])).json).toMatchObject({ exceptions: [] });
    expect((await run(['role', 'rm-prefix', 'zylkerteam'])).json).toMatchObject({ extraPrefixes: [] });
  });

  it("shows today's API use and sets the plan or a custom cap", async () => {
    const b = await run(['budget', 'Opt']);
    const budget = b.json as { plan: string; daily_cap: number; used_today: Array<{ organization_id: string; requests: number }> };
    expect(budget).toMatchObject({ plan: 'free', daily_cap: 1000 });
    expect(budget.used_today).toEqual([{ organization_id: org, requests: expect.any(Number) }]);
    expect(budget.used_today[0]!.requests).toBeGreaterThan(0);
    expect((await run(['budget', 'Opt', '--plan', 'professional'])).json).toMatchObject({ plan: 'professional', daily_cap: 5000 });
    expect((await run(['budget', 'Opt', '--cap', '1234'])).json).toMatchObject({ plan: 'custom', daily_cap: 1234 });
    expect((await run(['budget', 'Opt', '--plan', 'gold'])).stderr).toMatch(/--plan is one of/);
  });

  it('removes contacts from a list by hand; the list export carries the subscription columns', async () => {
    const r = await run(['list', 'remove', 'Newsletter', 'asha@example.in', 'nobody@example.com']);
    expect(r.json).toEqual({ removed: 1, not_members: ['nobody@example.com'] });
    expect(r.code).toBe(1);
    const show = await run(['list', 'show', 'Newsletter']);
    expect((show.json as { total: number }).total).toBe(2);
    const csv = await run(['list', 'export', 'Newsletter']);
    const text = (csv.json as { csv: string }).csv;
    expect(text.split('\n')[0]).toMatch(/subscription_type,topics,lawful_basis,no_longer_matches_since/);
    expect(text).toMatch(/hans@example\.de,Hans,Meier,.*,non-marketing,Offers,contract,/);
  });

  it('creates a field on the spot and maps a Zoho field to it; sets the failure pause', async () => {
    expect((await run(['sync', 'edit', syncId, '--subscription', 'marketing'])).code).toBe(0);
    const refused = await run(['sync', 'add', '--account', 'Opt', '--org', org, '--list', 'Newsletter', '--map', 'zoho_id=contact_id']);
    expect(refused.stderr).toMatch(/Unknown ListSync field\(s\): zoho_id/);
    expect((await run(['field', 'add', 'zoho_id', 'Zoho contact id'])).json).toEqual({ key: 'zoho_id', label: 'Zoho contact id', builtin: false });
    const add = await run(['sync', 'add', '--account', 'Opt', '--org', org, '--list', 'Newsletter', '--name', 'With id', '--map', 'zoho_id=contact_id']);
    expect(add.code, add.stderr).toBe(0);
    expect((add.json as { mapping: unknown[] }).mapping).toContainEqual({ target: 'zoho_id', source: 'contact_id' });
    expect((await run(['settings', '--pause-after', '3'])).json).toMatchObject({ pauseAfterFailures: 3 });
    expect((await run(['settings'])).json).toMatchObject({ pauseAfterFailures: 3 });
    expect((await run(['settings', '--pause-after', '0'])).code).not.toBe(0);
  });
});

// End to end, the whole workflow of the issue through the UI, against a separately started Invoice
// sandbox (not the demo) with hand-written contacts, so every count is known:
// connect (custom API address) → criteria sync through the wizard → run → exact counts in the
// history and the run detail → ignored outcomes → CSV export → edit mapping and retrieval details
// → a new ZSC key deactivates the account's syncs → Activate all → the next run's duplicates.
// Every screen is saved to test-results/screenshots/<name>.png (1280×800).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { fixture } from '../support/fixtures';
import { countValue, digits, screenshot, startApp, T, type E2eApp } from './support';

const org = '8100001';
const key = 'zsc-e2e-key-4f1c2b3a5d6e7f80';
const india = { billing_address: { country: 'India' } };
const contacts = [
  fixture('Asha Rao', 'asha@example.in', india), // new
  fixture('Ravi Kumar', 'RAVI@example.in', india), // new (stored lower-cased)
  fixture('Ravi K', 'ravi@example.in', india), // ignored: file duplicate of the one above
  fixture('Hans Meier', 'hans@example.de', { billing_address: { country: 'Germany' } }), // not matched by the criteria
  fixture('Support Desk', 'support@example.in', india), // ignored: group address
  fixture('Bad Addr', 'ted@zylkercom', india), // ignored: invalid pattern (no dot in the domain)
  fixture('No Email', undefined, india), // ignored: empty email
  fixture('Meera Nair', 'meera@example.in', { ...india, company_name: 'Nair Traders' }), // new
];
const csvHeader = ['outcome', 'reason', 'email', 'zoho_contact_id', 'zoho_contact_name', 'detail'];

let app: E2eApp;
let page: Page;
let sandbox: Sandbox;
let syncUrl = '';

const history = () => page.locator('[data-testid="history-row"][data-status="succeeded"]');

/** The counts of a history row, as shown. */
async function rowCounts(row: ReturnType<Page['locator']>) {
  const read = async (kind: string) => digits(await row.getByTestId(`history-${kind}`).textContent());
  return {
    total: await read('total'), new: await read('new'), readded: await read('readded'),
    duplicate: await read('duplicate'), ignored: await read('ignored'), deleted: await read('deleted'),
  };
}

async function breakdown(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const reason of ['bounced', 'do_not_mail', 'group', 'file_duplicate', 'invalid', 'empty']) {
    out[reason] = digits(await page.getByTestId(`ignored-${reason}`).locator('.value').textContent());
  }
  return out;
}

beforeAll(async () => {
  sandbox = await startSandbox({ key, organizations: [{ organization_id: org, name: 'Zylker India', contacts }] });
  app = await startApp({ viewport: { width: 1280, height: 800 } });
  page = app.page;
}, T);

afterAll(async () => {
  await app?.close();
  await sandbox?.close();
}, T);

describe('the ListSync workflow against the Invoice sandbox', () => {
  it('connects an account with a custom API address, checking the key', async () => {
    await page.goto(app.host.url);
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('connect-account').click();
    await page.getByTestId('account-form').waitFor();

    await page.getByTestId('account-name').fill('Zylker India');
    await page.getByTestId('account-dc').selectOption('custom');
    await page.getByTestId('account-url').fill(sandbox.apiRoot);
    // A wrong key is refused with the source's reason, and nothing is stored.
    await page.getByTestId('account-key').fill('not-the-right-key-000');
    await page.getByTestId('account-submit').click();
    await page.getByTestId('account-form-error').waitFor();
    expect(await page.getByTestId('account-form-error').textContent()).toMatch(/key/i);

    await page.getByTestId('account-key').fill(key);
    await screenshot(page, 'connect-account');
    await page.getByTestId('account-submit').click();

    await page.getByTestId('account-section').waitFor();
    expect(await page.getByTestId('account-section').textContent()).toContain(`••••${key.slice(-4)}`);
    expect(await page.getByTestId('account-section').textContent()).toContain('Zylker India');
  }, T);

  it('builds a criteria sync (Billing country is India) through the wizard and previews exact counts', async () => {
    await page.getByTestId('account-new-sync').click();

    // 1 Sync details
    await page.getByTestId('step-details').waitFor();
    await expect.poll(() => page.getByTestId('wizard-org').inputValue()).toBe(org);
    await page.getByTestId('import-criteria').check();
    await page.getByTestId('criteria-row').waitFor();
    expect(await page.getByTestId('criteria-field').inputValue()).toBe('billing_address.country');
    expect(await page.getByTestId('criteria-op').inputValue()).toBe('is');
    await page.getByTestId('criteria-value').fill('India');
    await page.getByTestId('wizard-new-list').click();
    await page.getByTestId('new-list-name').fill('India customers');
    await page.getByTestId('create-list').click();
    await expect.poll(() => page.getByTestId('wizard-name').inputValue()).toBe('Zylker India → India customers');
    await screenshot(page, 'wizard-1-details');
    await page.getByTestId('wizard-next').click();

    // 2 Map fields: the pre-mapping
    await page.getByTestId('step-mapping').waitFor();
    for (const target of ['email', 'first_name', 'last_name']) expect(await page.getByTestId(`mapping-row-${target}`).count()).toBe(1);
    await screenshot(page, 'wizard-2-mapping');
    await page.getByTestId('wizard-next').click();

    // 3 Configure sync: once, all data
    await page.getByTestId('step-configure').waitFor();
    expect(await page.getByTestId('schedule-once').isChecked()).toBe(true);
    expect(await page.getByTestId('retrieval-all').isChecked()).toBe(true);
    await screenshot(page, 'wizard-3-configure');
    await page.getByTestId('wizard-next').click();

    // 4 Preview: 7 Indian contacts, 3 new, 4 ignored (Hans in Germany is not matched)
    await page.getByTestId('step-preview').waitFor();
    await page.getByTestId('preview-counts').waitFor();
    expect(await countValue(page, 'preview-counts', 'total')).toBe(7);
    expect(await countValue(page, 'preview-counts', 'new')).toBe(3);
    expect(await countValue(page, 'preview-counts', 'ignored')).toBe(4);
    expect(await page.getByTestId('draft-summary').textContent()).toContain('Billing country is India');
    await screenshot(page, 'wizard-4-preview');
    await page.getByTestId('initiate').click();
  }, T);

  it('runs the sync: exact counts in the history and in the run detail', async () => {
    await page.getByTestId('sync-name').waitFor();
    syncUrl = page.url();
    expect(syncUrl).toContain('#/syncs/');
    expect(await page.getByTestId('sync-name').textContent()).toBe('Zylker India → India customers');
    expect(await page.getByTestId('sync-import-option').textContent()).toContain('Criteria: Billing country is India');
    await history().first().waitFor();
    expect(await rowCounts(history().first())).toEqual({ total: 7, new: 3, readded: 0, duplicate: 0, ignored: 4, deleted: 0 });
    await screenshot(page, 'sync-detail');

    await history().first().getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    for (const [kind, n] of Object.entries({ total: 7, new: 3, readded: 0, duplicate: 0, ignored: 4, deleted: 0 })) {
      expect(await countValue(page, 'run-counts', kind), kind).toBe(n);
    }
    expect(await breakdown()).toEqual({ bounced: 0, do_not_mail: 0, group: 1, file_duplicate: 1, invalid: 1, empty: 1 });
    await expect.poll(() => page.getByTestId('outcome-row').count()).toBe(7);
  }, T);

  it('drills into the ignored outcomes: each reason down to the contact, Invalid pattern with its defect', async () => {
    await page.getByTestId('ignored-invalid').click();
    await expect.poll(() => page.getByTestId('outcome-email').allTextContents()).toEqual(['ted@zylkercom']);
    const invalid = page.getByTestId('outcome-row');
    expect(await invalid.getByTestId('outcome-reason').textContent()).toBe('Invalid pattern');
    expect(await invalid.getByTestId('outcome-name').textContent()).toBe('Bad Addr');
    expect(await invalid.getByTestId('outcome-detail').textContent()).toBe('The address has no dot in the domain');
    expect(await page.getByTestId('reason-filter').inputValue()).toBe('invalid');
    await screenshot(page, 'run-detail');

    const expected: Record<string, { email: string; name: string }> = {
      group: { email: 'support@example.in', name: 'Support Desk' },
      file_duplicate: { email: 'ravi@example.in', name: 'Ravi K' },
      empty: { email: '—', name: 'No Email' },
    };
    for (const [reason, who] of Object.entries(expected)) {
      await page.getByTestId('reason-filter').selectOption(reason);
      await expect.poll(() => page.getByTestId('outcome-name').allTextContents(), { message: reason }).toEqual([who.name]);
      expect(await page.getByTestId('outcome-email').textContent()).toBe(who.email);
    }
    await page.getByTestId('tab-new').click();
    await expect.poll(async () => (await page.getByTestId('outcome-email').allTextContents()).sort())
      .toEqual(['asha@example.in', 'meera@example.in', 'ravi@example.in']);
  }, T);

  it('exports the run as CSV: the header and one row per outcome', async () => {
    await page.getByTestId('tab-all').click();
    await expect.poll(() => page.getByTestId('outcome-row').count()).toBe(7);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/-run-\d+\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    const [header, ...rows] = parse(text, { relax_column_count: false }) as string[][];
    expect(header).toEqual(csvHeader);
    const byName = new Map(rows.map((r) => [r[4], r]));
    expect(rows).toHaveLength(7);
    const id = (name: string) => contacts.find((c) => c.contact_name === name)!.contact_id;
    expect(byName.get('Asha Rao')).toEqual(['new', '', 'asha@example.in', id('Asha Rao'), 'Asha Rao', '']);
    expect(byName.get('Bad Addr')).toEqual(['ignored', 'invalid', 'ted@zylkercom', id('Bad Addr'), 'Bad Addr', 'The address has no dot in the domain']);
    expect(byName.get('Support Desk')?.slice(0, 3)).toEqual(['ignored', 'group', 'support@example.in']);
    expect(byName.get('Ravi K')?.slice(0, 3)).toEqual(['ignored', 'file_duplicate', 'ravi@example.in']);
    expect(byName.get('No Email')?.slice(0, 3)).toEqual(['ignored', 'empty', '']);
    expect(rows.filter((r) => r[0] === 'new').map((r) => r[2]).sort()).toEqual(['asha@example.in', 'meera@example.in', 'ravi@example.in']);
    expect(byName.has('Hans Meier')).toBe(false);
  }, T);

  it('edits the mapping (Company ← Company name) and the retrieval details (weekly), and they are saved', async () => {
    await page.goto(syncUrl);
    await page.getByTestId('sync-name').waitFor();

    await page.getByTestId('edit-mapping').click();
    const mappingDialog = page.getByTestId('edit-mapping-dialog');
    await mappingDialog.getByTestId('mapping-row-email').waitFor();
    await mappingDialog.getByTestId('map-more').click();
    await mappingDialog.getByTestId('mapping-row-new').getByTestId('mapping-target').selectOption('company');
    await mappingDialog.getByTestId('mapping-row-company').getByTestId('mapping-source').selectOption('company_name');
    await screenshot(page, 'edit-mapping');
    await mappingDialog.getByTestId('save-mapping').click();
    await expect.poll(() => mappingDialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('sync-mapping').textContent()).toContain('Company ← Company name');

    await page.getByTestId('edit-retrieval').click();
    const retrievalDialog = page.getByTestId('edit-retrieval-dialog');
    const recurring = retrievalDialog.getByTestId('schedule-recurring');
    await expect.poll(() => recurring.isEnabled()).toBe(true);
    await recurring.check();
    await retrievalDialog.getByTestId('schedule-kind').selectOption('weekly');
    await retrievalDialog.getByTestId('schedule-weekday').selectOption('wednesday');
    await retrievalDialog.getByTestId('schedule-time').fill('06:15');
    await retrievalDialog.getByTestId('schedule-zone').selectOption('Asia/Kolkata');
    await expect.poll(async () => {
      const items = await retrievalDialog.getByTestId('schedule-preview-item').allTextContents();
      return items.length > 0 && items.every((t) => t.includes('06:15'));
    }).toBe(true);
    await screenshot(page, 'edit-retrieval');
    await retrievalDialog.getByTestId('save-retrieval').click();
    await expect.poll(() => retrievalDialog.isVisible()).toBe(false);

    // Saved in the core, not only on screen: a fresh load shows both.
    await page.reload();
    await page.getByTestId('sync-name').waitFor();
    expect(await page.getByTestId('sync-schedule').textContent()).toBe('Weekly on Wednesday at 06:15 (Asia/Kolkata)');
    expect(await page.getByTestId('sync-mapping').textContent()).toBe(
      'Email ← Email, First name ← First name, Last name ← Last name, Company ← Company name',
    );
  }, T);

  it('a new ZSC key makes the account\'s syncs inactive with the reason; Activate all brings them back', async () => {
    const newKey = sandbox.regenerateKey();
    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('account-row').waitFor();
    await page.getByTestId('change-key').click();
    await page.getByTestId('new-key').fill(newKey);
    await page.getByTestId('change-key-submit').click();
    await expect.poll(() => page.getByTestId('key-last4').textContent()).toBe(`••••${newKey.slice(-4)}`);
    await expect.poll(async () => (await page.getByTestId('account-row').textContent()) ?? '').toContain('1 inactive');

    await page.getByTestId('nav-home').click();
    const card = page.getByTestId('sync-card');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('sync-state').textContent()).toBe('Inactive');
    expect(await card.getByTestId('inactive-reason').textContent()).toMatch(/The ZSC key was changed on \d{4}-\d{2}-\d{2}/);
    expect(await card.getByTestId('run-now').isDisabled()).toBe(true);
    expect(await page.getByTestId('account-inactive').textContent()).toBe('1 inactive');
    await screenshot(page, 'home-inactive');

    await page.goto(syncUrl);
    await page.getByTestId('inactive-reason').waitFor();
    const reason = (await page.getByTestId('inactive-reason').textContent()) ?? '';
    expect(reason).toMatch(/Inactive\.\s+The ZSC key was changed on \d{4}-\d{2}-\d{2}\. Activate the sync to resume it\.$/);

    await page.getByTestId('nav-home').click();
    await page.getByTestId('activate-all').click();
    await expect.poll(() => card.getByTestId('sync-state').textContent()).toBe('Active');
    expect(await page.getByTestId('activate-all').count()).toBe(0);
    expect(await card.getByTestId('inactive-reason').count()).toBe(0);
    await screenshot(page, 'home');
  }, T);

  it('runs again with the new key: the contacts already here are duplicates', async () => {
    // A weekly sync's next run may read only what changed: touch every contact, so a changes-only
    // read and a full read both see all of them.
    for (const c of contacts) sandbox.updateContact(org, c.contact_id, { last_name: `${c.last_name ?? ''} Updated`.trim() });
    await page.goto(syncUrl);
    await page.getByTestId('sync-name').waitFor();
    await history().first().waitFor();
    await page.getByTestId('run-now').click();
    await expect.poll(() => history().count()).toBe(2);
    expect(await rowCounts(history().first())).toEqual({ total: 7, new: 0, readded: 0, duplicate: 3, ignored: 4, deleted: 0 });
    expect(await rowCounts(history().nth(1))).toEqual({ total: 7, new: 3, readded: 0, duplicate: 0, ignored: 4, deleted: 0 });
    // The chart of counts over time: one bar per finished run, oldest first.
    const bars = page.getByTestId('history-chart-bar');
    await expect.poll(async () => bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-total')))).toEqual(['7', '7']);
    expect(await bars.first().locator('rect').count()).toBe(2); // New + Ignored
    expect(await bars.nth(1).locator('rect').count()).toBe(2); // Duplicate + Ignored
    await screenshot(page, 'sync-detail-history');

    await history().first().getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    expect(await countValue(page, 'run-counts', 'duplicate')).toBe(3);
    expect(await breakdown()).toEqual({ bounced: 0, do_not_mail: 0, group: 1, file_duplicate: 1, invalid: 1, empty: 1 });
    await page.getByTestId('tab-duplicate').click();
    await expect.poll(async () => (await page.getByTestId('outcome-email').allTextContents()).sort())
      .toEqual(['asha@example.in', 'meera@example.in', 'ravi@example.in']);
  }, T);

  it('mailing lists and members show the three imported contacts; settings open', async () => {
    await page.getByTestId('nav-lists').click();
    await page.getByTestId('lists-table').waitFor();
    const row = page.getByTestId('list-row').filter({ hasText: 'India customers' });
    await expect.poll(() => row.getByTestId('list-count').textContent()).toBe('3');
    await screenshot(page, 'mailing-lists');

    await row.getByTestId('list-link').click();
    await page.getByTestId('list-name').waitFor();
    await expect.poll(async () => (await page.getByTestId('member-email').allTextContents()).sort())
      .toEqual(['asha@example.in', 'meera@example.in', 'ravi@example.in']);
    expect(await page.getByTestId('member-row').filter({ hasText: 'meera@example.in' }).getByTestId('member-name').textContent()).toBe('Meera Nair Updated');
    await screenshot(page, 'list-members');

    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('accounts-table').waitFor();
    await screenshot(page, 'accounts');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('about').waitFor();
    await screenshot(page, 'settings');

    // Nothing on the way broke the CSP or threw.
    expect(app.problems).toEqual([]);
  }, T);
});

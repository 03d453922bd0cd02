// End to end: the built renderer (out/renderer, from `electron-vite build`) served by the browser
// host over a real core (temp data folder, in-memory key store), driven in Debian's Chromium.
// The demo organization is the in-process Zoho Invoice sandbox started by accounts.connectDemo.
// Set SCREENSHOTS=1 to also write resources/screenshots/home.png and run-detail.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countValue as countIn, digits, dismissToasts as dismissIn, root, startApp, T, type E2eApp } from './support';

const screenshots = process.env.SCREENSHOTS === '1';
const screenshotDir = join(root, 'resources', 'screenshots');

let app: E2eApp;
let page: Page;
let problems: string[];
let host: E2eApp['host'];

const dismissToasts = () => dismissIn(page);
const countValue = (scope: string, kind: string) => countIn(page, scope, kind);

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 860 } });
  ({ page, problems, host } = app);
}, T);

afterAll(async () => {
  await app?.close();
}, T);

describe('ListSync in the browser', () => {
  it('demo → New Sync wizard → Initiate → sync detail → run detail down to each contact', async () => {
    await page.goto(host.url);

    // Empty state: no account yet.
    await expect.poll(() => page.getByTestId('empty-state').isVisible(), { timeout: T }).toBe(true);
    await page.getByTestId('try-demo').click();
    await page.getByTestId('account-section').waitFor();
    await page.getByTestId('no-syncs').waitFor();
    await page.getByTestId('account-new-sync').click();

    // 1 Sync details
    await page.getByTestId('step-details').waitFor();
    await page.getByTestId('wizard-org').selectOption({ label: 'Zylker Demo Traders (default)' });
    await page.getByTestId('import-criteria').check();
    await page.getByTestId('criteria-builder').waitFor();
    await page.getByTestId('import-all').check();
    expect(await page.getByTestId('criteria-builder').count()).toBe(0);
    await page.getByTestId('wizard-new-list').click();
    await page.getByTestId('new-list-name').fill('Demo customers');
    await page.getByTestId('create-list').click();
    await expect.poll(() => page.getByTestId('wizard-name').inputValue(), { timeout: T }).toBe('Zylker Demo Traders → Demo customers');
    await page.getByTestId('wizard-next').click();

    // 2 Map fields: the seed's pre-mapping
    await page.getByTestId('step-mapping').waitFor();
    expect(await page.getByTestId('mapping-row-email').count()).toBe(1);
    expect(await page.getByTestId('mapping-row-first_name').count()).toBe(1);
    expect(await page.getByTestId('mapping-row-last_name').count()).toBe(1);
    await page.getByTestId('wizard-next').click();

    // 3 Configure sync: Retrieve data once, All data
    await page.getByTestId('step-configure').waitFor();
    expect(await page.getByTestId('schedule-once').isChecked()).toBe(true);
    expect(await page.getByTestId('retrieval-all').isChecked()).toBe(true);
    await page.getByTestId('wizard-next').click();

    // 4 Preview: a dry run's counts
    await page.getByTestId('step-preview').waitFor();
    await page.getByTestId('preview-counts').waitFor();
    const previewNew = await countValue('preview-counts', 'new');
    const previewTotal = await countValue('preview-counts', 'total');
    expect(previewNew).toBeGreaterThan(0);
    expect(previewTotal).toBeGreaterThanOrEqual(previewNew);
    expect(await page.getByTestId('outcome-row').count()).toBeGreaterThan(0);
    await page.getByTestId('initiate').click();

    // Sync detail: the first run finishes with New > 0
    await page.getByTestId('sync-name').waitFor();
    expect(page.url()).toContain('#/syncs/');
    await expect.poll(() => page.getByTestId('sync-name').textContent()).toBe('Zylker Demo Traders → Demo customers');
    const finished = page.locator('[data-testid="history-row"][data-status="succeeded"]');
    await finished.first().waitFor({ timeout: T });
    const runNew = digits(await finished.first().getByTestId('history-new').textContent());
    expect(runNew).toBe(previewNew);
    expect(await page.getByTestId('sync-import-option').textContent()).toContain('All contacts');

    // Run detail: counts, Ignored broken down, outcomes down to each contact
    await finished.first().getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    expect(await countValue('run-counts', 'new')).toBe(runNew);
    const breakdown = page.getByTestId('ignored-breakdown');
    await breakdown.waitFor();
    for (const label of ['Bounced', 'Do-Not-Mail', 'Group email', 'File duplicate', 'Invalid pattern', 'Empty email']) {
      expect(await breakdown.textContent()).toContain(label);
    }
    await page.getByTestId('outcome-row').first().waitFor();
    expect(await page.getByTestId('outcome-row').count()).toBe(50);
    expect(await page.getByTestId('outcome-row').first().textContent()).toMatch(/@/);

    // Filter: the Ignored tab, then one reason
    const ignored = await countValue('run-counts', 'ignored');
    expect(ignored).toBeGreaterThan(0);
    await page.getByTestId('tab-ignored').click();
    await page.getByTestId('reason-filter').waitFor();
    await expect.poll(async () => (await page.getByTestId('outcome-row').allTextContents()).every((t) => t.includes('Ignored'))).toBe(true);
    await page.getByTestId('ignored-invalid').click();
    await expect.poll(async () => {
      const rows = await page.getByTestId('outcome-reason').allTextContents();
      return rows.length > 0 && rows.every((t) => t.includes('Invalid pattern'));
    }).toBe(true);
    // Keyboard: arrow keys move between outcome tabs
    await page.getByTestId('tab-ignored').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('tab-duplicate').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('tab-all').click();

    // Export CSV downloads a file
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    if (screenshots) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.getByTestId('tab-ignored').click();
      await page.getByTestId('outcome-row').first().waitFor();
      await dismissToasts();
      await page.screenshot({ path: join(screenshotDir, 'run-detail.png') });
    }

    // Home: the sync with its last run
    await page.getByTestId('nav-home').click();
    await page.getByTestId('sync-card').waitFor();
    expect(await page.getByTestId('sync-card').getByTestId('run-status').textContent()).toBe('Succeeded');
    expect(await page.getByTestId('sync-card').getByTestId('sync-state').textContent()).toBe('Active');
    if (screenshots) {
      await dismissToasts();
      await page.screenshot({ path: join(screenshotDir, 'home.png') });
    }
  }, 3 * T);

  it('keyboard and validation: email mapping cannot be removed, Back keeps every step', async () => {
    await page.getByTestId('nav-home').click();
    await page.getByTestId('new-sync').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('step-details').waitFor();

    // A dialog opened from the keyboard closes with Escape.
    await page.getByTestId('wizard-add-account').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('account-form').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('account-form').count()).toBe(0);

    // Save and Continue without a list: the step says what is missing and stays.
    await expect.poll(() => page.getByTestId('wizard-org').inputValue()).not.toBe('');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-errors').waitFor();
    expect(await page.getByTestId('step-errors').textContent()).toContain('mailing list');
    expect(await page.getByTestId('step-details').count()).toBe(1);

    // Criteria: Billing country is India, on the small demo organization.
    await page.getByTestId('wizard-org').selectOption({ label: 'Zylker Labs' });
    await page.getByTestId('import-criteria').check();
    await page.getByTestId('criteria-row').waitFor();
    expect(await page.getByTestId('criteria-field').inputValue()).toBe('billing_address.country');
    expect(await page.getByTestId('criteria-op').inputValue()).toBe('is');
    await page.getByTestId('wizard-next').click();
    expect(await page.getByTestId('step-errors').textContent()).toContain('needs a value');
    await page.getByTestId('criteria-value').focus();
    await page.keyboard.type('India');
    await page.getByTestId('wizard-new-list').click();
    await page.getByTestId('new-list-name').focus();
    await page.keyboard.type('India contacts');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('wizard-name').inputValue()).toBe('Zylker Labs → India contacts');
    await page.getByTestId('wizard-name').fill('India sync');
    await page.getByTestId('wizard-next').click();

    // 2 Map fields: email has no remove control; a name field can go; an incomplete row blocks.
    await page.getByTestId('step-mapping').waitFor();
    expect(await page.getByTestId('mapping-row-email').getByTestId('mapping-mandatory').count()).toBe(1);
    expect(await page.getByTestId('mapping-remove-email').count()).toBe(0);
    expect(await page.getByTestId('mapping-row-email').getByRole('button').count()).toBe(0);
    await page.getByTestId('mapping-remove-last_name').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('mapping-row-last_name').count()).toBe(0);
    await page.getByTestId('map-more').click();
    await page.getByTestId('wizard-next').click();
    expect(await page.getByTestId('step-errors').textContent()).toContain('Choose both fields');
    const added = page.getByTestId('mapping-row-new');
    await added.getByTestId('mapping-target').selectOption('country');
    await page.getByTestId('mapping-row-country').getByTestId('mapping-source').selectOption('billing_address.country');
    await page.getByTestId('wizard-next').click();

    // 3 Configure sync: daily at 07:30, the next five runs previewed.
    await page.getByTestId('step-configure').waitFor();
    await page.getByTestId('schedule-recurring').check();
    await page.getByTestId('schedule-kind').selectOption('daily');
    await page.getByTestId('schedule-time').fill('07:30');
    await expect.poll(async () => {
      const items = await page.getByTestId('schedule-preview-item').allTextContents();
      return items.length === 5 && items.every((t) => t.includes('07:30'));
    }).toBe(true);

    // Back, Back: every choice is still there.
    await page.getByTestId('wizard-back').click();
    await page.getByTestId('step-mapping').waitFor();
    expect(await page.getByTestId('mapping-row-last_name').count()).toBe(0);
    expect(await page.getByTestId('mapping-row-country').getByTestId('mapping-source').inputValue()).toBe('billing_address.country');
    await page.getByTestId('wizard-back').click();
    await page.getByTestId('step-details').waitFor();
    expect(await page.getByTestId('import-criteria').isChecked()).toBe(true);
    expect(await page.getByTestId('criteria-value').inputValue()).toBe('India');
    expect(await page.getByTestId('wizard-name').inputValue()).toBe('India sync');
    expect(await page.getByTestId('wizard-org').inputValue()).toBe('10234696');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-mapping').waitFor();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-configure').waitFor();
    expect(await page.getByTestId('schedule-kind').inputValue()).toBe('daily');
    expect(await page.getByTestId('schedule-time').inputValue()).toBe('07:30');
    await page.getByTestId('wizard-next').click();

    // 4 Preview and Initiate: the criteria sync's detail shows its fixed import option.
    await page.getByTestId('preview-counts').waitFor();
    expect(await countValue('preview-counts', 'total')).toBeGreaterThan(0);
    await page.getByTestId('initiate').click();
    await page.getByTestId('sync-name').waitFor();
    expect(await page.getByTestId('sync-name').textContent()).toBe('India sync');
    expect(await page.getByTestId('sync-import-option').textContent()).toContain('Billing country is India');
    expect(await page.getByTestId('sync-schedule').textContent()).toContain('Daily at 07:30');
    await page.locator('[data-testid="history-row"][data-status="succeeded"]').first().waitFor({ timeout: T });

  }, 3 * T);

  it('settings: about, preferences that the home screen follows, Copy diagnostics', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('about').waitFor();
    expect(await page.getByTestId('app-version').textContent()).toMatch(/\d/);
    await page.getByTestId('schedules-paused').check();
    await page.getByTestId('nav-home').click();
    await page.getByTestId('schedules-paused-banner').waitFor();
    await page.getByRole('button', { name: 'Resume schedules' }).click();
    await expect.poll(() => page.getByTestId('schedules-paused-banner').count()).toBe(0);

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('copy-diagnostics').click();
    await page.locator('[data-testid="toast-success"], [data-testid="diagnostics-text"]').first().waitFor();
    const shown = page.getByTestId('diagnostics-text');
    if ((await shown.count()) > 0) expect((await shown.inputValue()).length).toBeGreaterThan(0);

    // Nothing on the way broke the CSP or threw.
    expect(problems).toEqual([]);
  }, T);
});

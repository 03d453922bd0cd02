// End to end, issue 9's options and safety rails through the UI, against a separately started
// Invoice sandbox with hand-written contacts so every count is known:
// a sync with Marketing + a new topic + Consent + "wait in the review queue" (and the wizard's
// schedule preview) → run → the list shows the subscription → a contact deleted in Zoho and one
// removed from the list in the UI come back and are held → the review queue approves one and
// rejects the other → undo of a run (check, confirm, the undo run) and the refusal for one that
// cannot be undone → pause / resume → API budget → topics and the role-address list in Settings.
// Screens are saved to test-results/screenshots/<name>.png (1280×800).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { fixture } from '../support/fixtures';
import { countValue, digits, dismissToasts, screenshot, startApp, T, type E2eApp } from './support';

const org = '8100001';
const key = 'zsc-safety-key-7d1e2c3b4a5f6071';
const contacts = [
  fixture('Asha Rao', 'asha@example.in'), // removed from the list in the UI, comes back: held, approved
  fixture('Ravi Kumar', 'ravi@example.in'), // deleted in Zoho, added again: held, rejected
  fixture('Meera Nair', 'meera@example.in'),
  fixture('Lena Berg', 'lena@example.in'),
  fixture('Hans Meier', 'hans@example.de'),
  fixture('Support Desk', 'support@example.in'), // ignored: group address
];
const syncName = 'Zylker India → Newsletter';

let app: E2eApp;
let page: Page;
let sandbox: Sandbox;
let syncUrl = '';

const history = () => page.locator('[data-testid="history-row"][data-status="succeeded"]');

async function rowCounts(row: ReturnType<Page['locator']>) {
  const read = async (kind: string) => digits(await row.getByTestId(`history-${kind}`).textContent());
  return {
    total: await read('total'), new: await read('new'), readded: await read('readded'), held: await read('held'),
    duplicate: await read('duplicate'), ignored: await read('ignored'), deleted: await read('deleted'),
  };
}

/** Run now on the sync page, and wait for the run to appear finished in the history. */
async function runNow(expectedRuns: number): Promise<void> {
  await page.goto(syncUrl);
  await page.getByTestId('sync-name').waitFor();
  await expect.poll(() => history().count()).toBe(expectedRuns - 1);
  await page.getByTestId('run-now').click();
  await expect.poll(() => history().count(), { timeout: T / 2 }).toBe(expectedRuns);
  await expect.poll(() => page.getByTestId('run-now').isEnabled()).toBe(true);
}

async function memberEmails(): Promise<string[]> {
  return (await page.getByTestId('member-email').allTextContents()).sort();
}

async function openList(): Promise<void> {
  await page.getByTestId('nav-lists').click();
  await page.getByTestId('lists-table').waitFor();
  await page.getByTestId('list-row').filter({ hasText: 'Newsletter' }).getByTestId('list-link').click();
  await page.getByTestId('list-name').waitFor();
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

describe('subscription, review queue, undo, pause and budget through the UI', () => {
  it('connects the sandbox account', async () => {
    await page.goto(app.host.url);
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('connect-account').click();
    await page.getByTestId('account-name').fill('Zylker India');
    await page.getByTestId('account-dc').selectOption('custom');
    await page.getByTestId('account-url').fill(sandbox.apiRoot);
    await page.getByTestId('account-key').fill(key);
    await page.getByTestId('account-submit').click();
    await page.getByTestId('account-section').waitFor();
  }, T);

  it('creates a sync with Marketing, a new topic, Consent and "wait in the review queue"; the wizard previews the schedule', async () => {
    await page.getByTestId('account-new-sync').click();
    await page.getByTestId('step-details').waitFor();
    await expect.poll(() => page.getByTestId('wizard-org').inputValue()).toBe(org);
    await page.getByTestId('wizard-new-list').click();
    await page.getByTestId('new-list-name').fill('Newsletter');
    await page.getByTestId('create-list').click();
    await expect.poll(() => page.getByTestId('wizard-name').inputValue()).toBe(syncName);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-mapping').waitFor();
    await page.getByTestId('wizard-next').click();

    // 3 Configure: a daily schedule shows its next five runs and "Run once now", on by default.
    await page.getByTestId('step-configure').waitFor();
    expect(await page.getByTestId('run-now-on-initiate').count()).toBe(0);
    await page.getByTestId('schedule-recurring').check();
    await page.getByTestId('schedule-time').fill('07:45');
    await page.getByTestId('schedule-zone').selectOption('Asia/Kolkata');
    await expect.poll(async () => {
      const items = await page.getByTestId('schedule-preview-item').allTextContents();
      return items.length === 5 && items.every((t) => t.includes('07:45'));
    }).toBe(true);
    expect(await page.getByTestId('run-now-on-initiate').isChecked()).toBe(true);
    await page.getByTestId('subscription-marketing').check();
    await page.getByTestId('new-topic').click();
    await page.getByTestId('new-topic-name').fill('Product news');
    await page.getByTestId('new-topic-create').click();
    await expect.poll(() => page.getByTestId('topic-Product news').isChecked()).toBe(true);
    await page.getByTestId('lawful-basis').selectOption('consent');
    await page.getByTestId('readd-review').check();
    await expect.poll(() => page.getByTestId('exit-keep').isChecked()).toBe(true);
    await screenshot(page, 'wizard-3-configure-safety');

    // This sync retrieves once (every run reads the whole organization, so the counts below are
    // exact); a one-time sync always runs at once, so the checkbox goes.
    await page.getByTestId('schedule-once').check();
    expect(await page.getByTestId('run-now-on-initiate').count()).toBe(0);
    await page.getByTestId('wizard-next').click();

    await page.getByTestId('step-preview').waitFor();
    expect(await page.getByTestId('draft-subscription').textContent()).toBe('Marketing · Topics: Product news · Lawful basis: Consent');
    expect(await page.getByTestId('draft-readd').textContent()).toBe('Wait in the review queue');
    expect(await page.getByTestId('draft-first-run').textContent()).toBe('Right after you click Initiate');
    await page.getByTestId('preview-counts').waitFor();
    expect(await countValue(page, 'preview-counts', 'new')).toBe(5);
    await page.getByTestId('initiate').click();
  }, T);

  it('runs it: five new contacts in the list, each with the subscription', async () => {
    await page.getByTestId('sync-name').waitFor();
    syncUrl = page.url();
    await history().first().waitFor();
    expect(await rowCounts(history().first())).toEqual({ total: 6, new: 5, readded: 0, held: 0, duplicate: 0, ignored: 1, deleted: 0 });
    expect(await page.getByTestId('sync-subscription-type').textContent()).toBe('Marketing');
    expect(await page.getByTestId('sync-topics').textContent()).toBe('Product news');
    expect(await page.getByTestId('sync-lawful-basis').textContent()).toBe('Consent');
    expect(await page.getByTestId('sync-readd-policy').textContent()).toBe('Wait in the review queue');
    expect(await page.getByTestId('sync-exit-policy').textContent()).toBe('Keep it in the list');

    await openList();
    await expect.poll(memberEmails).toEqual(['asha@example.in', 'hans@example.de', 'lena@example.in', 'meera@example.in', 'ravi@example.in']);
    const asha = page.getByTestId('member-row').filter({ hasText: 'asha@example.in' });
    expect(await asha.getByTestId('member-subscription').textContent()).toBe('Marketing');
    expect(await asha.getByTestId('member-topics').textContent()).toBe('Product news');
    expect(await asha.getByTestId('member-basis').textContent()).toBe('Consent');
    expect(await page.getByTestId('member-exited').count()).toBe(0);
    await screenshot(page, 'list-members-subscription');
  }, T);

  it('a contact deleted in Zoho Invoice is counted Deleted', async () => {
    sandbox.deleteContact(org, contacts[1]!.contact_id);
    await runNow(2);
    expect(await rowCounts(history().first())).toEqual({ total: 5, new: 0, readded: 0, held: 0, duplicate: 4, ignored: 1, deleted: 1 });
  }, T);

  it('removes a contact from the list in the UI, with a confirm that says it will not come back silently', async () => {
    await openList();
    await expect.poll(() => page.getByTestId('member-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('remove-members').isDisabled()).toBe(true);
    await page.getByTestId('member-row').filter({ hasText: 'asha@example.in' }).getByTestId('select-member').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('1 selected');
    await page.getByTestId('remove-members').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.getByTestId('confirm-ok').waitFor();
    expect(await confirm.textContent()).toContain('Remove asha@example.in from “Newsletter”?');
    expect(await confirm.textContent()).toContain('A sync will not put them back silently');
    await confirm.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await memberEmails()).includes('asha@example.in')).toBe(false);
  }, T);

  it('both come back: the next run holds them for review', async () => {
    const ravi = contacts[1]!;
    sandbox.addContact(org, { contact_name: ravi.contact_name, first_name: ravi.first_name, last_name: ravi.last_name, email: ravi.email });
    await runNow(3);
    expect(await rowCounts(history().first())).toEqual({ total: 6, new: 0, readded: 0, held: 2, duplicate: 3, ignored: 1, deleted: 0 });
    await expect.poll(() => page.getByTestId('pending-review').textContent()).toContain('2 returning contacts wait for your review');
    await expect.poll(() => page.getByTestId('nav-review-pending').textContent()).toBe('2');

    await history().first().getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    expect(await countValue(page, 'run-counts', 'held')).toBe(2);
    await page.getByTestId('tab-held').click();
    await expect.poll(async () => (await page.getByTestId('outcome-email').allTextContents()).sort()).toEqual(['asha@example.in', 'ravi@example.in']);
  }, T);

  it('the review queue: approve one, reject the other, with the decisions recorded', async () => {
    await page.goto(syncUrl);
    await page.getByTestId('pending-review-link').click();
    await page.getByTestId('review-table').waitFor();
    await expect.poll(async () => (await page.getByTestId('review-email').allTextContents()).sort()).toEqual(['asha@example.in', 'ravi@example.in']);
    expect(await page.getByTestId('review-sync-filter').inputValue()).not.toBe('');
    const row = (email: string) => page.locator(`[data-testid="review-row"][data-email="${email}"]`);
    expect(await row('asha@example.in').getByTestId('review-cause').textContent()).toBe('Removed from the list by you');
    expect(await row('ravi@example.in').getByTestId('review-cause').textContent()).toBe('Was deleted');
    expect(await row('asha@example.in').getByTestId('review-list').textContent()).toBe('Newsletter');
    expect(await page.getByTestId('review-pending-count').textContent()).toBe('2');
    await screenshot(page, 'review-queue');

    await row('asha@example.in').getByTestId('review-approve').click();
    await expect.poll(() => page.getByTestId('review-pending-count').textContent()).toBe('1');
    await row('ravi@example.in').getByTestId('review-reject').click();
    await expect.poll(() => page.getByTestId('review-pending-count').textContent()).toBe('0');
    await page.getByTestId('review-empty').waitFor();
    expect(await page.getByTestId('review-approve-all').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('nav-review-pending').count()).toBe(0);

    await page.getByTestId('review-tab-approved').click();
    await expect.poll(() => page.getByTestId('review-email').allTextContents()).toEqual(['asha@example.in']);
    expect(await page.getByTestId('review-decision').textContent()).toContain('Approved');
    expect(await page.getByTestId('review-decided').textContent()).toContain('In the app');
    await page.getByTestId('review-tab-rejected').click();
    await expect.poll(() => page.getByTestId('review-email').allTextContents()).toEqual(['ravi@example.in']);
    expect(await page.getByTestId('review-decision').textContent()).toContain('Rejected');

    // Approved: back in the list; rejected: stays out.
    await openList();
    await expect.poll(memberEmails).toEqual(['asha@example.in', 'hans@example.de', 'lena@example.in', 'meera@example.in']);
  }, T);

  it('undo: a run that later runs touched is refused with the reason; the last run is undone after a confirm', async () => {
    // A new contact, so the next run has something of its own to undo.
    sandbox.addContact(org, { contact_name: 'Kiran Shah', first_name: 'Kiran', last_name: 'Shah', email: 'kiran@example.in' });
    await runNow(4);
    // Kiran is new; Ravi, rejected, stays out (counted Held, with no new queue entry); Asha is back.
    expect(await rowCounts(history().first())).toEqual({ total: 7, new: 1, readded: 0, held: 1, duplicate: 4, ignored: 1, deleted: 0 });
    expect(await page.getByTestId('pending-review').count()).toBe(0);

    // The first run: later runs changed the same contacts.
    await history().nth(3).getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    await page.getByTestId('undo-refused').waitFor();
    expect(await page.getByTestId('undo-run').isDisabled()).toBe(true);
    expect(await page.getByTestId('undo-refused').textContent()).toMatch(/^Run #1 cannot be undone: .+ changed .+ since, e\.g\. \S+@\S+ \(/);

    // The last run: one contact to restore.
    await page.goto(syncUrl);
    await history().first().getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    const lastRunId = digits(await page.getByTestId('run-title').textContent());
    await expect.poll(() => page.getByTestId('undo-run').isEnabled()).toBe(true);
    await dismissToasts(page);
    await page.getByTestId('undo-run').click();
    const dialog = page.getByTestId('undo-dialog');
    await dialog.getByTestId('undo-contacts').waitFor();
    expect(await dialog.getByTestId('undo-contacts').textContent()).toContain('1 contact will be restored');
    await screenshot(page, 'run-undo-dialog');
    await dialog.getByTestId('undo-confirm').click();

    // The undo run: its own page, linked both ways.
    await expect.poll(() => page.getByTestId('undo-of-link').count()).toBe(1);
    expect(await page.getByTestId('undo-of-link').textContent()).toBe(`Undo of run #${lastRunId}`);
    expect(await countValue(page, 'run-counts', 'reverted')).toBe(1);
    const undoRunId = digits(await page.getByTestId('run-title').textContent());
    expect(undoRunId).toBeGreaterThan(lastRunId);
    await page.getByTestId('undo-of-link').click();
    await page.getByTestId('undone-by-link').waitFor();
    expect(await page.getByTestId('undone-by-link').textContent()).toBe(`Undone by run #${undoRunId}`);
    await page.getByTestId('undo-refused').waitFor();
    expect(await page.getByTestId('undo-refused').textContent()).toBe(`Run #${lastRunId} was already undone by run #${undoRunId}.`);
    expect(await page.getByTestId('undo-run').isDisabled()).toBe(true);

    await openList();
    await expect.poll(memberEmails).toEqual(['asha@example.in', 'hans@example.de', 'lena@example.in', 'meera@example.in']);
  }, T);

  it('pause and resume on the sync detail, shown apart from Inactive', async () => {
    await page.goto(syncUrl);
    await page.getByTestId('sync-name').waitFor();
    // Pause holds schedules: a one-time sync has none, so it is offered once the sync is daily.
    expect(await page.getByTestId('pause-sync').count()).toBe(0);
    await page.getByTestId('edit-retrieval').click();
    const dialog = page.getByTestId('edit-retrieval-dialog');
    await expect.poll(() => dialog.getByTestId('schedule-recurring').isEnabled()).toBe(true);
    await dialog.getByTestId('schedule-recurring').check();
    await dialog.getByTestId('schedule-time').fill('07:45');
    await dialog.getByTestId('save-retrieval').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The subscription and safety settings are edited in their own dialog, and kept.
    await page.getByTestId('edit-subscription').click();
    const edit = page.getByTestId('edit-subscription-dialog');
    await expect.poll(() => edit.getByTestId('topic-Product news').isChecked()).toBe(true);
    expect(await edit.getByTestId('lawful-basis').inputValue()).toBe('consent');
    await edit.getByTestId('exit-mark').check();
    await edit.getByTestId('save-subscription').click();
    await expect.poll(() => edit.isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('sync-exit-policy').textContent()).toBe('Keep it, marked "no longer matches"');
    expect(await page.getByTestId('sync-topics').textContent()).toBe('Product news');
    expect(await page.getByTestId('sync-readd-policy').textContent()).toBe('Wait in the review queue');

    await page.getByTestId('pause-sync').click();
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toBe('Paused');
    expect(await page.getByTestId('sync-state').getAttribute('data-paused-by')).toBe('user');
    expect(await page.getByTestId('paused-reason').textContent()).toContain('Paused by you');
    expect(await page.getByTestId('inactive-reason').count()).toBe(0);
    expect(await page.getByTestId('sync-next-run').textContent()).toBe('Held while paused');
    expect(await page.getByTestId('run-now').isEnabled()).toBe(true);
    await screenshot(page, 'sync-detail-paused');

    await page.getByTestId('nav-home').click();
    const card = page.getByTestId('sync-card');
    await expect.poll(() => card.getByTestId('sync-state').textContent()).toBe('Paused');
    await card.getByTestId('resume-sync').click();
    await expect.poll(() => card.getByTestId('sync-state').textContent()).toBe('Active');
    expect(await card.getByTestId('paused-reason').count()).toBe(0);
    expect(await card.getByTestId('pause-sync').count()).toBe(1);
  }, T);

  it('accounts: today\'s API use against the daily cap, and a custom cap', async () => {
    await page.getByTestId('nav-accounts').click();
    const budget = page.getByTestId('api-budget');
    await budget.waitFor();
    const usage = budget.getByTestId('budget-usage');
    await expect.poll(() => usage.count()).toBe(1);
    expect(await usage.textContent()).toContain('Zylker India');
    const used = digits(((await usage.getByTestId('budget-used').textContent()) ?? '').split('/')[0] ?? '');
    expect(used).toBeGreaterThan(0);
    expect(await usage.getByTestId('budget-used').textContent()).toMatch(/\/ 1,000$/);
    expect(await budget.getByTestId('budget-plan').inputValue()).toBe('free');

    await budget.getByTestId('budget-plan').selectOption('custom');
    await budget.getByTestId('budget-cap').fill('5');
    await budget.getByTestId('budget-save').click();
    expect(await budget.getByTestId('budget-error').textContent()).toBe('The daily cap is a whole number from 10 up');
    await budget.getByTestId('budget-cap').fill('250');
    await budget.getByTestId('budget-save').click();
    await expect.poll(() => usage.getByTestId('budget-used').textContent()).toMatch(/\/ 250$/);
    await page.reload();
    await expect.poll(() => page.getByTestId('api-budget').getByTestId('budget-plan').inputValue()).toBe('custom');
    await screenshot(page, 'accounts-budget');
  }, T);

  it('settings: topics (a topic in use cannot go), the role-address list, and the failure pause', async () => {
    await page.getByTestId('nav-settings').click();
    const topics = page.getByTestId('topics-card');
    await expect.poll(() => topics.getByTestId('topic-item').allTextContents()).toEqual(['Product news✕']);
    await topics.getByTestId('topic-delete').click();
    await expect.poll(() => topics.getByTestId('topic-error').textContent()).toContain('is used by a sync');
    await topics.getByTestId('topic-new-name').fill('Webinars');
    await topics.getByTestId('topic-add').click();
    await expect.poll(() => topics.getByTestId('topic-item').count()).toBe(2);
    await topics.getByTestId('topic-item').filter({ hasText: 'Webinars' }).getByTestId('topic-delete').click();
    await expect.poll(() => topics.getByTestId('topic-item').count()).toBe(1);

    const roles = page.getByTestId('role-addresses');
    await roles.getByTestId('role-prefix-input').fill('zylkerteam');
    await roles.getByTestId('role-add-prefix').click();
    await expect.poll(() => roles.getByTestId('role-extra-prefix').allTextContents()).toEqual(['zylkerteam@✕']);
    await roles.getByTestId('role-exception-input').fill('support@example.in');
    await roles.getByTestId('role-add-exception').click();
    await expect.poll(() => roles.getByTestId('role-exception').allTextContents()).toEqual(['support@example.in✕']);
    // A built-in prefix is refused, with the reason.
    await roles.getByTestId('role-prefix-input').fill('info');
    await roles.getByTestId('role-add-prefix').click();
    await expect.poll(() => roles.getByTestId('role-prefix-error').textContent()).toContain('built-in');
    expect(await roles.getByTestId('role-builtin').locator('li').count()).toBeGreaterThan(10);
    await roles.getByTestId('role-prefix-input').fill('');
    expect(await roles.getByTestId('role-prefix-error').count()).toBe(0);
    await roles.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-role-addresses');

    await page.getByTestId('pause-after-failures').fill('3');
    await page.getByTestId('pause-after-failures').press('Enter');
    await page.reload();
    await expect.poll(() => page.getByTestId('pause-after-failures').inputValue()).toBe('3');
    expect(await page.getByTestId('role-extra-prefix').allTextContents()).toEqual(['zylkerteam@✕']);

    expect(app.problems).toEqual([]);
  }, T);
});

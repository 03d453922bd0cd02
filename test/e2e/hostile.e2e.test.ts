// End to end, the bad-input half of the reliability issue: the hostile corpus
// (test/reliability/corpus.ts: <script>, <img onerror>, javascript: URLs, RTL overrides, NUL bytes,
// SQL, 1 MB strings …) plus a few traps that would set window.__pwned, served as Zoho Invoice
// contacts, imported through the wizard, then shown in the preview, the run detail and the list's
// members. Nothing may run — no dialog, no CSP violation, no injected element, window.__pwned
// stays undefined, even with the CSP bypassed — and every text shows literally, as stored.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeRecord } from '../../main/common/domain/outcome';
import { startSandbox, type Sandbox, type SandboxContactInput } from '../../main/core/sandbox';
import { fixture } from '../support/fixtures';
import {
  acceptedEmails, caseDuplicateEmails, corpusCases, corpusContacts, hostileTexts, megabyte, rejectedEmails, wellFormed,
} from '../reliability/corpus';
import { clipText } from '../../main/common/clip';
import { countValue, screenshot, startApp, T, type E2eApp } from './support';

const org = '9400001';
const key = 'zsc-e2e-hostile-key-9a8b7c6d5e4f';
const pwn = 'window.__pwned=1';
const orgName = `<svg onload="${pwn}"> Hostile & Co`;
const accountName = `"><img src=x onerror="${pwn}">`;
const listName = `<script>${pwn}</script><b>list</b>`;

/** Created after the whole corpus, so the traps are the list's newest members. */
const later = (n: number) => {
  const time = `2025-01-02T00:0${n}:00+0000`;
  return { created_time: time, last_modified_time: time };
};

/** Contacts whose payloads set window.__pwned instead of calling alert (the corpus's). */
const traps: SandboxContactInput[] = [
  fixture('Trap One', 'trap.one@example.com', {
    ...later(1),
    contact_name: `<img src=x onerror="${pwn}">`, first_name: `<script>${pwn}</script>`, last_name: `<a href="javascript:${pwn}">x</a>`,
    company_name: `<iframe srcdoc="<script>parent.${pwn}</script>"></iframe>`,
  }),
  fixture('Trap Two', 'trap.two@example.com', {
    ...later(2),
    contact_name: `{{ (window.__pwned = 1) }}`, first_name: `javascript:${pwn}`, last_name: `<svg><animate onbegin="${pwn}" attributeName="x"/></svg>`,
  }),
  fixture('Trap Email', `<img src=x onerror=${pwn}>@example.com`, later(3)), // invalid: display-name defect
  fixture('Trap Quoted', `"<script>${pwn}</script>"@example.com`, later(4)), // invalid: quoted local part
];
const trapsNew = 2;
const trapsInvalid = 2;
const contacts = [...corpusContacts(), ...traps];
const cases = corpusCases();

/** What a screen shows of a text: all of it, or its start when it is huge (LongText). */
const shownOf = (text: string) => clipText(text).shown;

/** A stored text, as shown: trimmed; SQLite cannot hold a lone surrogate, which becomes U+FFFD. */
function faithful(actual: string | undefined, value: string): boolean {
  const trimmed = value.trim();
  return actual === shownOf(trimmed) || actual === shownOf(wellFormed(trimmed));
}

let app: E2eApp;
let sandbox: Sandbox;
let runUrl = '';
let listUrl = '';
const dialogs: string[] = [];

async function guard(page: Page): Promise<void> {
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  await page.addInitScript(() => {
    // (No DOM lib in the tests' tsconfig: the page's globals are typed by hand.)
    type Violation = { violatedDirective: string; blockedURI: string };
    const w = globalThis as unknown as { __csp: string[]; addEventListener(type: string, listener: (e: Violation) => void): void };
    w.__csp = [];
    w.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

/** Nothing ran and nothing was injected into the page. */
async function expectClean(page: Page, where: string): Promise<void> {
  const state = await page.evaluate(() => {
    type Found = ArrayLike<{ outerHTML: string }>;
    const w = globalThis as unknown as {
      __pwned?: unknown; __csp?: string[];
      document: { getElementById(id: string): { querySelectorAll(selector: string): Found } | null };
    };
    const app = w.document.getElementById('app')!;
    const injected = app.querySelectorAll(
      'script, img, iframe, object, embed, svg, animate, b, [onerror], [onload], [onbegin], [srcdoc], a[href^="javascript:" i]',
    );
    return { pwned: w.__pwned, csp: w.__csp ?? ['(no CSP listener)'], injected: Array.from(injected, (e) => e.outerHTML.slice(0, 80)) };
  });
  expect(state, where).toEqual({ pwned: undefined, csp: [], injected: [] });
  expect(dialogs, where).toEqual([]);
}

interface ShownOutcome { id: string; name: string; email: string; detail: string; nameNote: string }

/** Every outcome row of the run detail, page after page. */
async function shownOutcomes(page: Page): Promise<ShownOutcome[]> {
  await page.goto(runUrl);
  await page.getByTestId('run-title').waitFor();
  await page.getByTestId('outcome-row').first().waitFor();
  const all: ShownOutcome[] = [];
  const pager = page.getByTestId('outcome-pager');
  for (let pageNo = 0; ; pageNo++) {
    await expect.poll(() => pager.locator('span.muted').textContent()).toMatch(new RegExp(`^${pageNo * 50 + 1}–`));
    await expect.poll(() => page.getByTestId('outcome-table').getAttribute('aria-busy')).toBe('false');
    all.push(...(await page.$$eval('[data-testid="outcome-row"]', (rows) => rows.map((r) => {
      // The text a cell shows, without LongText's "… (N characters)" note.
      const text = (id: string) => {
        const cell = r.querySelector(`[data-testid="${id}"]`);
        return cell ? ((cell.querySelector('[data-part="text"]') ?? cell).textContent ?? '') : '';
      };
      return {
        id: text('outcome-contact-id').replace(/^#/, ''), name: text('outcome-name'), email: text('outcome-email'), detail: text('outcome-detail'),
        nameNote: r.querySelector('[data-testid="outcome-name"] [data-part="clipped"]')?.textContent ?? '',
      };
    }))));
    await expectClean(page, `run detail, page ${pageNo + 1}`);
    const next = pager.getByTestId('pager-next');
    if (await next.isDisabled()) break;
    await next.click();
  }
  return all;
}

interface ShownMember { email: string; name: string }

/** Every member of the list, page after page (or only the first page: the newest, hostile ones). */
async function shownMembers(page: Page, options: { screenshot?: string; firstPageOnly?: boolean } = {}): Promise<ShownMember[]> {
  await page.goto(listUrl);
  await page.getByTestId('member-row').first().waitFor();
  if (options.screenshot) await screenshot(page, options.screenshot);
  const all: ShownMember[] = [];
  for (let pageNo = 0; ; pageNo++) {
    await expect.poll(() => page.locator('.pager span.muted').textContent()).toMatch(new RegExp(`^${pageNo * 50 + 1}–`));
    await expect.poll(() => page.getByTestId('members-table').getAttribute('aria-busy')).toBe('false');
    all.push(...(await page.$$eval('[data-testid="member-row"]', (rows) => rows.map((r) => {
      const text = (id: string) => {
        const cell = r.querySelector(`[data-testid="${id}"]`);
        return cell ? ((cell.querySelector('[data-part="text"]') ?? cell).textContent ?? '') : '';
      };
      return { email: text('member-email'), name: text('member-name') };
    }))));
    await expectClean(page, `list members, page ${pageNo + 1}`);
    const next = page.getByTestId('pager-next');
    if (options.firstPageOnly || (await next.isDisabled())) break;
    await next.click();
  }
  return all;
}

beforeAll(async () => {
  sandbox = await startSandbox({ key, organizations: [{ organization_id: org, name: orgName, contacts }] });
  app = await startApp({ viewport: { width: 1280, height: 800 } });
  await guard(app.page);
  const added = await app.core.call('accounts.add', { name: accountName, endpoint: { baseUrl: sandbox.apiRoot }, key });
  expect(added.ok, JSON.stringify(added)).toBe(true);
}, T);

afterAll(async () => {
  await app?.close();
  await sandbox?.close();
}, T);

describe('hostile contact data in the UI', () => {
  it('imports the corpus through the wizard; the preview shows it and runs none of it', async () => {
    const { page } = app;
    await page.goto(app.host.url);
    await page.getByTestId('account-section').waitFor();
    expect(await page.getByTestId('account-section').locator('h2').textContent()).toContain(accountName);
    await page.getByTestId('account-new-sync').click();
    await page.getByTestId('step-details').waitFor();
    await expect.poll(() => page.getByTestId('wizard-org').inputValue()).toBe(org);
    expect(await page.getByTestId('wizard-org').locator('option:checked').textContent()).toBe(`${orgName} (default)`);
    await page.getByTestId('wizard-new-list').click();
    await page.getByTestId('new-list-name').fill(listName);
    await page.getByTestId('create-list').click();
    await expect.poll(() => page.getByTestId('wizard-name').inputValue()).toBe(`${orgName} → ${listName}`);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-mapping').waitFor();
    await page.getByTestId('map-more').click();
    await page.getByTestId('mapping-row-new').getByTestId('mapping-target').selectOption('company');
    await page.getByTestId('mapping-row-company').getByTestId('mapping-source').selectOption('company_name');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-configure').waitFor();
    await page.getByTestId('wizard-next').click();

    await page.getByTestId('preview-counts').waitFor();
    expect(await countValue(page, 'preview-counts', 'total')).toBe(contacts.length);
    // The sample starts with the rejected addresses: HTML among them, shown as text.
    const sample = await page.getByTestId('outcome-email').allTextContents();
    expect(sample).toContain('<script>alert(1)</script>@example.com');
    await expectClean(page, 'preview');
    await screenshot(page, 'hostile-preview');
    await page.getByTestId('initiate').click();

    await page.getByTestId('sync-name').waitFor();
    expect(await page.getByTestId('sync-name').textContent()).toBe(`${orgName} → ${listName}`);
    const run = page.locator('[data-testid="history-row"][data-status="succeeded"]').first();
    await run.waitFor();
    await expectClean(page, 'sync detail');
    await run.getByTestId('history-run-link').click();
    await page.getByTestId('run-title').waitFor();
    runUrl = page.url();

    const rejected = (reason: 'empty' | 'invalid') => rejectedEmails.filter((c) => c.reason === reason).length;
    expect(await countValue(page, 'run-counts', 'total')).toBe(contacts.length);
    expect(await countValue(page, 'run-counts', 'new')).toBe(acceptedEmails.length + hostileTexts.length + trapsNew);
    expect(await countValue(page, 'run-counts', 'ignored')).toBe(rejectedEmails.length + caseDuplicateEmails.length + trapsInvalid);
    const reasonCount = async (r: string) => Number((await page.getByTestId(`ignored-${r}`).locator('.value').textContent())?.replace(/\D/g, ''));
    expect(await reasonCount('invalid')).toBe(rejected('invalid') + trapsInvalid);
    expect(await reasonCount('empty')).toBe(rejected('empty'));
    expect(await reasonCount('file_duplicate')).toBe(caseDuplicateEmails.length);
    await expectClean(page, 'run detail');
  }, T);

  it('the run detail shows every name and rejected address literally, page after page', async () => {
    const { page } = app;
    const shown = await shownOutcomes(page);
    expect(shown).toHaveLength(contacts.length);
    const byId = new Map(shown.map((o) => [o.id, o]));

    // What the core sent for each row is what the page shows, character for character.
    const runId = Number(runUrl.replace(/.*#\/runs\//, ''));
    const reply = await app.core.call('runs.outcomes', { runId, offset: 0, limit: 500 });
    expect(reply.ok).toBe(true);
    const sent = (reply as { ok: true; value: { outcomes: OutcomeRecord[] } }).value.outcomes;
    expect(sent).toHaveLength(contacts.length);
    for (const o of sent) {
      const row = byId.get(o.sourceContactId ?? '');
      expect(row, `row of ${o.sourceContactId}`).toBeDefined();
      expect(row!.email === shownOf(o.email ?? '—'), `email of ${o.sourceContactId}`).toBe(true);
      expect(row!.name === shownOf(o.sourceName ?? '—'), `name of ${o.sourceContactId}`).toBe(true);
      expect(row!.detail === shownOf(o.detail ?? ''), `detail of ${o.sourceContactId}`).toBe(true);
    }

    // And it is the corpus's own text: names as given, HTML-looking addresses as typed.
    for (const c of cases) {
      const row = byId.get(c.contactId)!;
      if (c.kind === 'text') expect(faithful(row.name, c.case.value), `name: ${c.case.label}`).toBe(true);
      if (c.kind === 'rejected' && c.case.reason === 'invalid' && typeof c.case.value === 'string' && c.case.value.length < 1000 && c.case.value.trim() === c.case.value && !c.case.value.includes('\u0000')) {
        expect(row.email, `address: ${c.case.label}`).toBe(c.case.value);
      }
    }
    // A megabyte name shows its start and says how long it is.
    const huge = cases.find((c) => c.kind === 'text' && c.case.value.length === megabyte);
    if (huge) expect(byId.get(huge.contactId)!.nameNote).toBe(`… (${megabyte.toLocaleString('en-US')} characters)`);
    expect(shown.filter((o) => o.name.length > 256)).toEqual([]);
    const trapEmail = shown.find((o) => o.name === 'Trap Email')!;
    expect(trapEmail.email).toBe(`<img src=x onerror=${pwn}>@example.com`);
    expect(trapEmail.detail).toMatch(/^The address /);
    expect(shown.find((o) => o.id === traps[0]!.contact_id)!.name).toBe(`<img src=x onerror="${pwn}">`);
    expect(shown.find((o) => o.id === traps[1]!.contact_id)!.name).toBe('{{ (window.__pwned = 1) }}');

    // The Ignored tab with the Invalid pattern reason: the first screen a person opens.
    await page.getByTestId('ignored-invalid').click();
    await expect.poll(() => page.getByTestId('outcome-reason').first().textContent()).toBe('Invalid pattern');
    await expectClean(page, 'run detail, invalid');
    await screenshot(page, 'hostile-run-detail');
  }, T);

  it('the list members show every hostile name and address literally', async () => {
    const { page } = app;
    await page.getByTestId('nav-lists').click();
    const row = page.getByTestId('list-row').filter({ hasText: listName });
    await row.waitFor();
    expect(await row.getByTestId('list-link').textContent()).toBe(listName);
    await expectClean(page, 'mailing lists');
    await row.getByTestId('list-link').click();
    await page.getByTestId('list-name').waitFor();
    listUrl = page.url();
    expect(await page.getByTestId('list-name').textContent()).toBe(listName);

    const shown = await shownMembers(page, { screenshot: 'hostile-list-members' });
    expect(shown).toHaveLength(acceptedEmails.length + hostileTexts.length + trapsNew);
    const byEmail = new Map(shown.map((m) => [m.email, m]));
    for (const c of cases) {
      if (c.kind === 'accepted') expect(byEmail.has(c.case.stored), `member: ${c.case.label}`).toBe(true);
      if (c.kind !== 'text') continue;
      const m = byEmail.get(c.email);
      expect(m, `member: ${c.case.label}`).toBeDefined();
      const t = c.case.value.trim();
      expect(m!.name === shownOf(`${t} ${t}`) || m!.name === shownOf(wellFormed(`${t} ${t}`)), `name: ${c.case.label}`).toBe(true);
    }
    expect(byEmail.get('trap.one@example.com')?.name).toBe(`<script>${pwn}</script> <a href="javascript:${pwn}">x</a>`);
    expect(byEmail.get('trap.two@example.com')?.name).toBe(`javascript:${pwn} <svg><animate onbegin="${pwn}" attributeName="x"/></svg>`);

    // Search with markup: the query is text too.
    await page.getByTestId('member-search').fill('<script>');
    const withScript = cases.flatMap((c) => (c.kind === 'text' && c.case.value.toLowerCase().includes('<script>') ? [c.email] : []));
    await expect.poll(async () => (await page.getByTestId('member-email').allTextContents()).sort())
      .toEqual([...withScript, 'trap.one@example.com'].sort());
    await expectClean(page, 'list members, search');
  }, T);

  it('with the CSP bypassed, the same screens still run nothing (escaping, not only the CSP)', async () => {
    const page = await app.newPage({ bypassCSP: true });
    await guard(page);
    await page.goto(app.host.url);
    await page.getByTestId('account-section').waitFor();
    await expectClean(page, 'home, no CSP');
    expect(await shownOutcomes(page)).toHaveLength(contacts.length);
    // The newest members come first: the hostile names and the traps are all on the first page.
    const firstPage = await shownMembers(page, { firstPageOnly: true });
    expect(firstPage).toHaveLength(50);
    for (const email of ['trap.one@example.com', 'trap.two@example.com', ...cases.flatMap((c) => (c.kind === 'text' ? [c.email] : []))]) {
      expect(firstPage.some((m) => m.email === email), email).toBe(true);
    }
    await page.getByTestId('nav-home').click();
    await page.getByTestId('sync-card').waitFor();
    await expectClean(page, 'home with the sync, no CSP');
    await screenshot(page, 'hostile-home');
    await page.close();

    expect(dialogs).toEqual([]);
    expect(app.problems).toEqual([]);
  }, T);
});

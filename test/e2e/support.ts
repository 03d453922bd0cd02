// Shared setup of the end-to-end tests: the built renderer (out/renderer, from `electron-vite
// build`) served by the browser host over a real core (temp data folder, in-memory key store),
// driven in Debian's Chromium through playwright-core.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCore, type Core } from '../../main/core/createCore';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { startBrowserHost, type BrowserHost } from '../../main/host/browserHost';

export const root = resolve(import.meta.dirname, '..', '..');
export const rendererDir = join(root, 'out', 'renderer');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of each screen, for people to look at (test-results/ is CI's artifact folder). */
export const screenshotDir = join(root, 'test-results', 'screenshots');
/** The longest any one wait may take. */
export const T = 60_000;

export interface E2eApp {
  dataDir: string;
  core: Core;
  host: BrowserHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors, HTTP errors and console errors seen so far: a clean run leaves it empty. */
  problems: string[];
  /** Another tab in its own context (e.g. with `bypassCSP`), with the same problem tracking. */
  newPage(options?: { bypassCSP?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export interface E2eOptions {
  viewport?: { width: number; height: number };
}

function track(page: Page, problems: string[]): void {
  page.setDefaultTimeout(T / 3);
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
}

/** Starts core, browser host and Chromium, with one page open (not yet navigated). */
export async function startApp(options: E2eOptions = {}): Promise<E2eApp> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npx electron-vite build` (npm test does it first)');
  }
  const viewport = options.viewport ?? { width: 1280, height: 800 };
  const dataDir = mkdtempSync(join(tmpdir(), 'listsync-e2e-'));
  const core = createCore({ dataDir, secrets: new MemorySecretStore(), runtime: 'test' });
  const host = await startBrowserHost({ core, rendererDir });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const contexts: BrowserContext[] = [];
  const newContext = async (bypassCSP = false) => {
    const c = await browser.newContext({ viewport, acceptDownloads: true, colorScheme: 'light', bypassCSP });
    contexts.push(c);
    return c;
  };
  const context = await newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  track(page, problems);
  return {
    dataDir, core, host, browser, context, page, problems,
    async newPage(pageOptions = {}) {
      const p = await (await newContext(pageOptions.bypassCSP === true)).newPage();
      track(p, problems);
      return p;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await host.close();
      await core.idle().catch(() => undefined);
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The number in a text such as "1,234" (NaN when there is none). */
export function digits(text: string | null): number {
  return Number((text ?? '').replace(/\D/g, '') || 'NaN');
}

/** Closes the toasts, so screenshots show the screen itself. */
export async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByRole('button', { name: 'Dismiss' });
  // A toast may time out between counting and clicking: then there is nothing left to close.
  for (let i = 0; i < 10 && (await buttons.count()) > 0; i++) {
    await buttons.first().click({ timeout: 2_000 }).catch(() => undefined);
  }
}

/** A count of a CountsGrid (data-testid `scope`), e.g. countValue(page, 'run-counts', 'new'). */
export async function countValue(page: Page, scope: string, kind: string): Promise<number> {
  return digits(await page.getByTestId(scope).getByTestId(`count-${kind}`).locator('.value').textContent());
}

/** A viewport screenshot into test-results/screenshots/<name>.png, toasts closed first. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  // Behind an open modal the toasts are inert (and dimmed): leave them then.
  if ((await page.locator('dialog[open]').count()) === 0) await dismissToasts(page);
  // No caret or hover effects mid-transition in the picture.
  await page.mouse.move(0, 0);
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

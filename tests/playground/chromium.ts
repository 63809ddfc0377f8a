// Debian's Chromium (scripts/install-system-deps.sh installs it) driven by playwright-core, which downloads no
// browser of its own. A page records its console errors, uncaught exceptions, failed requests and any request that
// leaves the test's server (the playground must work offline).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-system-deps.sh (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors, failed or refused requests, in order. */
  problems: string[];
  /** Requests to anywhere but `origin` (aborted). */
  external: string[];
}

export async function watchedPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const problems: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => { if (r.url().startsWith(origin)) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  return { page, problems, external };
}

/** Waits for the automation contract's result and returns its status and text. */
export async function pageResult(page: Page, timeoutMs = 60_000): Promise<{ status: string; text: string }> {
  const handle = await page.waitForSelector('#result[data-status="done"], #result[data-status="error"]', { timeout: timeoutMs });
  return { status: (await handle.getAttribute('data-status'))!, text: (await handle.textContent()) ?? '' };
}

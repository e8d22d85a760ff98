import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.TRE_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
/** The screenshots the README shows, rewritten by each run of the browser tier. */
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** The web app the API serves must be built (`npm run build` does it; .ci/run builds before this tier). */
export function assertWebAppBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('dist/web is missing: run `npm run build` before the browser tier');
  }
}

/** Debian's Chromium, headless (browser downloads are impossible here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 30_000,
  });
}

/** The WCAG 2.2 rules axe-core knows, at levels A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * axe-core over the page as it is now (one state of one page): fails with each violation named, its impact
 * and the elements it found it on.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const violations = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}\n    ${violation.nodes
        .map((node) => node.target.join(' '))
        .join('\n    ')}`,
  );
  if (violations.length)
    throw new Error(`WCAG 2.2 A/AA violations in ${state}:\n  ${violations.join('\n  ')}`);
}

/** A full-page screenshot for the README. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Records every request the page makes to another origin: the pages must call no third party. */
export function watchForeignRequests(page: Page, origins: string[]): string[] {
  const foreign: string[] = [];
  page.on('request', (req) => {
    const origin = new URL(req.url()).origin;
    if (!origins.includes(origin) && !req.url().startsWith('data:')) foreign.push(req.url());
  });
  return foreign;
}

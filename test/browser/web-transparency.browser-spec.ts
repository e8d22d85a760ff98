import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TransparencyHeadsService, type SignedTreeHead } from '@tre/audit';
import { DataSource } from 'typeorm';
import { seedRegister } from '../../bench/web/register-seed';
import { listen } from '../support/gateway-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

/**
 * A visitor, with no sign-in, in a real browser against the real API: the transparency statement (a refused
 * period keeps what was typed and says why on the field; a good one shows the totals, the CSV and the signed
 * head) and the opt-outs page (both opt-outs, how each applies, the rounded totals). axe-core checks every
 * page and state reached; elements are found by role, label and name.
 */
// A real browser on a shared two-core machine: pages with axe runs take seconds, not milliseconds.
jest.setTimeout(120_000);

describe('web app: the transparency statement and the opt-outs page', () => {
  let t: TestApp;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let head: SignedTreeHead;

  beforeAll(async () => {
    assertWebAppBuilt();
    t = await startTestApp();
    apiUrl = await listen(t);
    await seedRegister(t.app.get(DataSource), 6);
    ({ head } = await t.app.get(TransparencyHeadsService).checkpoint());
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    foreign = watchForeignRequests(page, [apiUrl]);
  });
  afterEach(async () => {
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('statement: from the footer; a period from after to is refused on the field, typed values kept; then a good one', async () => {
    await page.goto(`${apiUrl}/app/`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Transparency statement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Transparency statement' }).waitFor();
    expect(await page.title()).toBe('Transparency statement – Trusted Research Environment');
    // The default period: the last year, ending today.
    await page.getByRole('table', { name: 'Projects by their state now' }).waitFor();
    await page.getByRole('table', { name: 'Opt-outs honoured' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Check the audit log behind it' }).waitFor();
    await page.getByText(`tre transparency verify --api ${apiUrl}`).waitFor();
    // The signed head shown is the one the service signed, with the key that checks it.
    await page.getByRole('definition').filter({ hasText: head.rootHash }).waitFor();
    await page.getByRole('definition').filter({ hasText: head.signature }).waitFor();
    await page.getByRole('heading', { level: 3, name: `Public key ${head.keyId.slice(0, 16)}…` }).waitFor();
    await page.getByText('-----BEGIN PUBLIC KEY-----', { exact: false }).waitFor();
    await expectAccessible(page, 'the statement, default period');

    const from = page.getByRole('textbox', { name: /^From/ });
    const to = page.getByRole('textbox', { name: /^To/ });
    await from.fill('2026-06-30');
    await to.fill('2026-01-01');
    await page.getByRole('button', { name: 'Show the statement' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const message = 'from (2026-06-30) must not be after to (2026-01-01)';
    // On the field itself (its error line is part of its accessible description) and linked from the summary.
    await page.getByRole('link', { name: message }).waitFor();
    // The field's accessible description: what a screen reader reads with it, its error line included.
    const description = async (field: typeof from) => {
      const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
      const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
      return texts.join(' ');
    };
    expect(await description(from)).toContain(message);
    expect(await description(to)).not.toContain(message);
    expect(await from.inputValue()).toBe('2026-06-30');
    expect(await to.inputValue()).toBe('2026-01-01');
    expect(await page.getByRole('table').count()).toBe(0);
    await expectAccessible(page, 'the statement, a refused period');

    await from.fill('2026-01-01');
    await to.fill('2026-12-31');
    await page.getByRole('button', { name: 'Show the statement' }).click();
    await page.getByRole('heading', { level: 2, name: 'From 2026-01-01 to 2026-12-31' }).waitFor();
    expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(0);
    const url = new URL(page.url());
    expect([url.searchParams.get('from'), url.searchParams.get('to')]).toEqual(['2026-01-01', '2026-12-31']);
    for (const table of ['Projects by their state now', 'Opt-outs honoured', 'Data deleted']) {
      await page.getByRole('table', { name: table }).waitFor();
    }
    await page
      .getByRole('table', { name: 'Opt-outs honoured' })
      .getByRole('cell', { name: 'fewer than 10' })
      .first()
      .waitFor();
    await expectAccessible(page, 'the statement, a chosen period');
    await screenshot(page, 'web-statement');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this statement as CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('transparency-statement.csv');
    expect(readFileSync(await csv.path(), 'utf8')).toContain('2026-01-01');
  });

  it('opt-outs: from the home page; both opt-outs explained, how each applies, the totals rounded', async () => {
    await page.goto(`${apiUrl}/app/`);
    await page
      .getByRole('link', { name: /How the national data opt-out and the GP type 1 opt-out apply/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Your choices: opting out' }).waitFor();
    expect(await page.title()).toBe('Your choices: opting out – Trusted Research Environment');
    await page.getByRole('heading', { level: 2, name: 'National data opt-out' }).waitFor();
    await page
      .getByRole('heading', { level: 2, name: 'Type 1 opt-out (registered with the GP practice)' })
      .waitFor();
    const rules = page.getByRole('table', { name: 'Opt-outs applied, by legal basis and data source' });
    await rules.getByRole('columnheader', { name: 'GP practice records' }).waitFor();
    await rules.getByRole('rowheader', { name: 'You consented to this use' }).waitFor();
    const s251 = rules.getByRole('row', { name: /^Section 251 support \(NHS Act 2006\), without consent/ });
    await s251
      .getByRole('cell', {
        name: 'National data opt-out and Type 1 opt-out (registered with the GP practice)',
      })
      .first()
      .waitFor();
    const totals = page.getByRole('table', { name: 'People removed by each opt-out' });
    expect(await totals.getByRole('cell', { name: 'fewer than 10' }).count()).toBe(2);
    await page.getByText(/cannot tell you whether your own records were used/).waitFor();
    await expectAccessible(page, 'the opt-outs page');
    await screenshot(page, 'web-opt-outs');

    await page.getByRole('main').getByRole('link', { name: 'transparency statement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Transparency statement' }).waitFor();
  });

  it('the register links to the statement', async () => {
    await page.goto(`${apiUrl}/app/register`);
    await page.getByRole('main').getByRole('link', { name: 'transparency statement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Transparency statement' }).waitFor();
  });
});

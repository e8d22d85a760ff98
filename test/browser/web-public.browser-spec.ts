import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { seedRegister, type SeededProject } from '../../bench/web/register-seed';
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
 * A visitor, with no sign-in, in a real browser against the real API: the home page, the register (search,
 * filter, paging, downloads), a project's public page, the accessibility statement and the privacy notice;
 * then development sign-in and the role switch. axe-core checks every page and state reached; elements are
 * found by role, label and name, as a person using assistive technology finds them.
 */
// A real browser on a shared two-core machine: pages with axe runs take seconds, not milliseconds.
jest.setTimeout(120_000);

describe('web app: the public pages and development sign-in', () => {
  let t: TestApp;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let policyViolations: string[];
  let projects: SeededProject[];

  beforeAll(async () => {
    assertWebAppBuilt();
    t = await startTestApp();
    apiUrl = await listen(t);
    projects = await seedRegister(t.app.get(DataSource), 45);
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
    // The page's one inline script (the early data request) is allowed by its hash: nothing may be refused.
    policyViolations = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
  });
  afterEach(async () => {
    expect(foreign).toEqual([]);
    expect(policyViolations).toEqual([]);
    await context.close();
  });

  it('home: what the service is for, the Five Safes, the national data opt-out', async () => {
    await page.goto(`${apiUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Health data used safely for research' }).waitFor();
    expect(page.url()).toBe(`${apiUrl}/app/`);
    for (const safe of ['Safe projects', 'Safe people', 'Safe settings', 'Safe data', 'Safe outputs']) {
      await page.getByRole('term').filter({ hasText: safe }).waitFor();
    }
    await page.getByRole('heading', { name: /national data opt-out/ }).waitFor();
    await page.getByRole('link', { name: 'nhs.uk/your-nhs-data-matters' }).waitFor();
    expect(await page.title()).toBe('Health data used safely for research – Trusted Research Environment');
    await expectAccessible(page, 'the home page');
    await screenshot(page, 'web-home');
  });

  it('register: search, filter, page, open a project, download CSV and JSON', async () => {
    await page.goto(`${apiUrl}/app/`);
    await page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: 'Data uses register' })
      .click();
    await page.getByRole('heading', { level: 2, name: `${projects.length} projects` }).waitFor();
    await expectAccessible(page, 'the register');
    await screenshot(page, 'web-register');

    // Paging: 20 a page.
    await page.getByRole('link', { name: /Next.*Page 2/ }).click();
    await page.getByText('Page 2 of 3').waitFor();
    await expectAccessible(page, 'the register, page 2');

    // Search and filter, in the address so they can be shared.
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill('dementia');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Approved' });
    await page.getByRole('button', { name: 'Search' }).click();
    const expected = projects.filter((p) => p.title.startsWith('Dementia') && p.status === 'approved');
    await page
      .getByRole('heading', {
        level: 2,
        name: expected.length === 1 ? '1 project' : `${expected.length} projects`,
      })
      .waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('dementia');
    await expectAccessible(page, 'the register, filtered');

    // Downloads carry the filter.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('data-uses-register.csv');
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText.trim().split('\n')).toHaveLength(expected.length + 1);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'JSON' }).click(),
    ]);
    expect(json.suggestedFilename()).toBe('data-uses-register.json');
    const entries = JSON.parse(readFileSync(await json.path(), 'utf8')) as { id: string }[];
    expect(entries.map((e) => e.id).sort()).toEqual(expected.map((p) => p.id).sort());

    // A project's public page.
    await page.getByRole('link', { name: expected[0].title }).click();
    await page.getByRole('heading', { level: 1, name: expected[0].title }).waitFor();
    await page.getByRole('cell', { name: 'GP registrations (GP_REGISTRATIONS)' }).waitFor();
    await expectAccessible(page, "a project's public page");
    await screenshot(page, 'web-register-project');
    await page.getByRole('link', { name: 'Back to the register' }).click();
    await page.getByRole('heading', { level: 1, name: 'Data uses register' }).waitFor();
  });

  it("a register address opened directly asks for its data before the app's script has run, and once", async () => {
    // The app's entry script is held back until the data request has gone out (or 5 s): only the page's inline
    // script can ask that early. Every question to the register is counted: the app must not ask again.
    const asked: string[] = [];
    let scriptHeld = true;
    const askedWhileHeld: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith('/register')) return;
      asked.push(url.pathname + url.search);
      if (scriptHeld) askedWhileHeld.push(url.pathname + url.search);
    });
    await page.route(/\/app\/assets\/index-[^/]+\.js$/, async (route) => {
      for (let waited = 0; askedWhileHeld.length === 0 && waited < 5_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      scriptHeld = false;
      await route.continue();
    });

    await page.goto(`${apiUrl}/app/register?q=dementia&status=approved&page=1`);
    const expected = projects.filter((p) => p.title.startsWith('Dementia') && p.status === 'approved');
    await page.getByRole('link', { name: expected[0].title }).waitFor();
    const search = '/register?page=1&pageSize=20&q=dementia&status=approved';
    expect(askedWhileHeld).toEqual([search]);
    expect(asked).toEqual([search]);
    await expectAccessible(page, 'the register, opened at a search');

    // Later questions are the API's to answer: the early answer served the first page only.
    await page.getByRole('link', { name: expected[0].title }).click();
    await page.getByRole('heading', { level: 1, name: expected[0].title }).waitFor();
    await page.getByRole('link', { name: 'Back to the register' }).click();
    await page.getByRole('heading', { level: 2, name: `${projects.length} projects` }).waitFor();
    expect(asked).toEqual([search, `/register/${expected[0].id}`, '/register?page=1&pageSize=20']);

    // A project's public page, opened directly: the same.
    asked.length = 0;
    askedWhileHeld.length = 0;
    scriptHeld = true;
    await page.goto(`${apiUrl}/app/register/${projects[0].id}`);
    await page.getByRole('heading', { level: 1, name: projects[0].title }).waitFor();
    expect(askedWhileHeld).toEqual([`/register/${projects[0].id}`]);
    expect(asked).toEqual([`/register/${projects[0].id}`]);
    await expectAccessible(page, "a project's public page, opened directly");
  });

  it('an unknown project and an unknown page say so, in place', async () => {
    await page.goto(`${apiUrl}/app/register/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { level: 1, name: 'Project not found' }).waitFor();
    await page.getByText(/Register entry 00000000-0000-4000-8000-000000000000 was not found/).waitFor();
    await expectAccessible(page, 'an unknown project');
    await page.goto(`${apiUrl}/app/nowhere`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await expectAccessible(page, 'an unknown page');
  });

  it('accessibility statement and privacy notice, from the footer', async () => {
    await page.goto(`${apiUrl}/app/`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility statement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accessibility statement' }).waitFor();
    await page.getByText(/WCAG\) version 2.2 at level AA/).waitFor();
    await expectAccessible(page, 'the accessibility statement');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy notice' }).click();
    await page.getByRole('heading', { level: 1, name: 'Privacy notice' }).waitFor();
    await expectAccessible(page, 'the privacy notice');
  });

  it("development sign-in lists the demo's people; a person with two roles switches between them; sign-out", async () => {
    await page.goto(`${apiUrl}/app/`);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in as Alice' }).waitFor();
    await expectAccessible(page, 'the development sign-in page');
    await screenshot(page, 'web-sign-in');

    await page.getByRole('button', { name: 'Sign in as Sam' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    const actingAs = page.getByLabel('Acting as', { exact: true });
    expect(await actingAs.inputValue()).toBe('researcher');
    await expectAccessible(page, 'the account page, signed in with two roles');
    await actingAs.selectOption({ label: 'Output checker' });
    await page
      .getByRole('navigation', { name: 'Account' })
      .getByRole('link', { name: 'Sam (Output checker)' })
      .waitFor();
    await expectAccessible(page, 'the account page, after switching role');
    await screenshot(page, 'web-account-role-switch');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    // Signed out, the account page sends the visitor to sign in.
    await page.goto(`${apiUrl}/app/account`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });
});

import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE, type Role } from '@tre/auth';
import { listen } from '../support/gateway-fixtures';
import { approvedProject } from '../support/output-fixtures';
import { caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

jest.setTimeout(180_000);

/**
 * An admin in a real browser against the real API: a project revoked with a reason (a revoke without one is
 * refused in place), the revocation found in the audit trail by filter, the page downloaded as CSV, and the
 * chain verified. axe-core on every page and state.
 */
describe('web app: the admin', () => {
  let t: TestApp;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let projectId: string;

  beforeAll(async () => {
    assertWebAppBuilt();
    t = await startTestApp();
    apiUrl = await listen(t);
    const person = async (subject: string, roles: Role[]) =>
      caller(t.app, subject, await t.env.token(subject, roles));
    projectId = await approvedProject(
      await person(DEMO_PEOPLE.researcher.subject, ['researcher']),
      await person(DEMO_PEOPLE.custodian.subject, ['data_custodian']),
      [
        await person(DEMO_PEOPLE.reviewer.subject, ['dac_member']),
        await person(DEMO_PEOPLE.secondReviewer.subject, ['dac_member']),
      ],
    );
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    foreign = watchForeignRequests(page, [apiUrl]);
    await page.goto(`${apiUrl}/app/sign-in?returnTo=${encodeURIComponent('/admin')}`);
    await page.getByRole('button', { name: 'Sign in as Ada' }).click();
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('revokes a project with a reason and finds it in the audit trail, whose chain holds', async () => {
    const title = 'Asthma admissions and air quality';
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`^${title}`) });
    await row.getByRole('cell', { name: 'approved' }).waitFor();
    await expectAccessible(page, 'the projects');
    await screenshot(page, 'web-admin-projects');

    await page.getByLabel(`Action on ${title}`).selectOption({ label: 'Revoke' });
    await page.getByRole('button', { name: `Apply to ${title}` }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'a revoke refused for want of a reason');
    await page.getByLabel(`Reason for ${title}`).fill('Data sharing agreement ended early.');
    await page.getByRole('button', { name: `Apply to ${title}` }).click();
    await row.getByRole('cell', { name: 'revoked' }).waitFor();

    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await page.getByLabel(/^Action/).fill('project.revoked');
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.getByRole('heading', { level: 2, name: '1 event' }).waitFor();
    await page.getByRole('cell', { name: `project ${projectId}` }).waitFor();
    await expectAccessible(page, 'the audit trail, filtered');
    await screenshot(page, 'web-admin-audit');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these 1 events as CSV' }).click(),
    ]);
    const lines = readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('project.revoked');
    expect(lines[1]).toContain('Data sharing agreement ended early.');

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /The chain holds: \d+ events verified/ })
      .waitFor();
    await expectAccessible(page, 'the chain verified');
    expect(foreign).toEqual([]);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '@tre/auth';
import { listen } from '../support/gateway-fixtures';
import { caller, GP_DATASET } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

jest.setTimeout(180_000);

/** Valid NHS numbers (modulus 11). */
const GOOD = ['9434765919', '9434765870', '4010232137'];

/**
 * A data custodian in a real browser against the real API: a bad opt-out file is refused with its lines at
 * fault and changes nothing; a good one replaces the list; a field's release form is changed in the catalogue
 * and shows in the dataset's history. axe-core on every page and state.
 */
describe('web app: the data custodian', () => {
  let t: TestApp;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  const files = mkdtempSync(join(tmpdir(), 'tre-optout-files-'));

  beforeAll(async () => {
    assertWebAppBuilt();
    t = await startTestApp();
    apiUrl = await listen(t);
    const cara = caller(
      t.app,
      DEMO_PEOPLE.custodian.subject,
      await t.env.token(DEMO_PEOPLE.custodian.subject, ['data_custodian']),
    );
    expect((await cara.post('/datasets', GP_DATASET)).status).toBe(201);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    foreign = watchForeignRequests(page, [apiUrl]);
    await page.goto(`${apiUrl}/app/sign-in?returnTo=${encodeURIComponent('/custodian/opt-outs')}`);
    await page.getByRole('button', { name: 'Sign in as Cara' }).click();
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('a bad opt-out file shows its lines at fault and changes nothing; a good one is loaded', async () => {
    await page.getByRole('heading', { level: 1, name: 'Opt-out lists' }).waitFor();
    const national = page.getByRole('row', { name: /^National data opt-out/ });
    await national.getByRole('cell', { name: 'Never loaded' }).waitFor();
    await expectAccessible(page, 'the opt-out lists');

    const bad = join(files, 'bad.csv');
    writeFileSync(bad, ['nhs_number', GOOD[0], '1234567890', 'x,y', GOOD[1]].join('\n'));
    await page.getByLabel('CSV file').setInputFiles(bad);
    await page.getByRole('button', { name: 'Load the list' }).click();
    await page.getByRole('heading', { name: 'The file was refused: nothing changed' }).waitFor();
    const lines = page.getByRole('list', { name: 'Lines at fault' });
    expect(await lines.getByRole('listitem').allTextContents()).toEqual([
      'Line 3: not an NHS number (ten digits passing the modulus 11 check)',
      'Line 4: more than one column',
    ]);
    // The list in force is as it was.
    await national.getByRole('cell', { name: 'Never loaded' }).waitFor();
    expect(await page.getByText('1234567890').count()).toBe(0);
    await expectAccessible(page, 'a refused opt-out file');
    await screenshot(page, 'web-custodian-opt-outs-refused');

    const good = join(files, 'good.csv');
    writeFileSync(good, ['nhs_number', ...GOOD].join('\n'));
    await page.getByLabel('CSV file').setInputFiles(good);
    await page.getByRole('button', { name: 'Load the list' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'National data opt-out loaded: version 1, 3 NHS numbers.' })
      .waitFor();
    await national.getByRole('cell', { name: '3', exact: true }).waitFor();
    await expectAccessible(page, 'a loaded opt-out list');
  });

  it("a field's release form is changed in the catalogue and its history shows it", async () => {
    await page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: 'Dataset catalogue' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Dataset catalogue' }).waitFor();
    await expectAccessible(page, 'the catalogue');
    await page.getByRole('link', { name: 'GP registrations' }).click();
    await page.getByRole('heading', { level: 1, name: 'GP registrations' }).waitFor();
    const sex = page.getByRole('row', { name: /^sex/ });
    await sex.getByRole('cell', { name: 'As recorded' }).waitFor();
    await page.getByRole('button', { name: 'Change sex' }).click();
    await page.getByLabel('Release form of sex').selectOption({ label: 'Never released' });
    await expectAccessible(page, 'a field being changed');
    await page.getByRole('button', { name: 'Save sex' }).click();
    await page.getByRole('row', { name: /^sex/ }).getByRole('cell', { name: 'Never released' }).waitFor();
    const history = page.getByRole('list', { name: 'History, oldest first' });
    await history.getByRole('listitem').filter({ hasText: 'Field changed (sex)' }).waitFor();
    expect((await history.getByRole('listitem').allTextContents()).length).toBe(2);
    await expectAccessible(page, "a dataset's page with its history");
    await screenshot(page, 'web-custodian-dataset');
    expect(foreign).toEqual([]);
  });
});

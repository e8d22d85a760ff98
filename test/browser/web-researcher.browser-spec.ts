import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '@tre/auth';
import { samplePopulation, seedDatasets, seedSources } from '@tre/datasets';
import { GATEWAY_SECRET, listen } from '../support/gateway-fixtures';
import { loadOptOutList } from '../support/opt-outs';
import { countRecord, tableCsv } from '../support/output-fixtures';
import { callerAs, inDays, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { startTestWorker } from '../support/test-worker';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
/** Children admitted with asthma by age band and sex: 6 boys aged 12-17, too few to publish. */
const table = (suppressed: boolean) =>
  countRecord(
    'age_band',
    'sex',
    ['0-4', '5-11', '12-17'],
    ['F', 'M'],
    [
      [84, 121],
      [143, 187],
      [58, 6],
    ],
    suppressed ? [[2, 1]] : [],
    'asthma-admissions-by-age-sex',
  );
const GATEWAY_URL = 'http://127.0.0.1:9';
const PEOPLE = 600;

// A real browser, the API, the worker's extract and provisioning, on a shared two-core machine.
jest.setTimeout(600_000);

/**
 * A researcher's journey in a real browser against the real API, worker, Postgres and Redis (no cluster: the
 * workspace is provisioned by the manifests driver): applies through the wizard (refusals in place, a draft
 * saved with warnings), meets the returned application and the committee's comments, resubmits and compares
 * the versions, sees the approval, watches the extract and the workspace come up, opens the workspace, and
 * follows an output request from blocked to released and downloaded. The committee and the output checkers
 * act through the API (their pages are part 2). axe-core checks every page and state reached.
 */
describe('web app: the researcher', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let localOutputs: string;
  let alice: Caller;
  let dev: Caller;
  let dora: Caller;
  let olu: Caller;
  let oona: Caller;

  beforeAll(async () => {
    assertWebAppBuilt();
    localOutputs = mkdtempSync(join(tmpdir(), 'tre-web-outputs-'));
    t = await startTestApp({
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-web-extracts-')),
      PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-web-key-')), 'master.key'),
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-web-output-store-')),
      WORKSPACE_LOCAL_OUTPUTS_DIR: localOutputs,
      GATEWAY_API_SECRET: GATEWAY_SECRET,
      GATEWAY_PUBLIC_URL: GATEWAY_URL,
      EXTRACT_MIN_K: '5',
    });
    apiUrl = await listen(t);
    await seedSources(t.env.database.url, { people: PEOPLE, seed: 5 });
    worker = await startTestWorker();
    const cara = await callerAs(t, DEMO_PEOPLE.custodian.subject, ['data_custodian']);
    for (const dataset of seedDatasets()) expect((await cara.post('/datasets', dataset)).status).toBe(201);
    const sample = samplePopulation({ people: PEOPLE, seed: 5 }, 10);
    await loadOptOutList(
      t.app,
      'national',
      sample.slice(0, 3).map((p) => p.nhsNumber),
    );
    await loadOptOutList(
      t.app,
      'type1',
      sample.slice(3, 5).map((p) => p.nhsNumber),
    );
    alice = await callerAs(t, DEMO_PEOPLE.researcher.subject, ['researcher']);
    dev = await callerAs(t, DEMO_PEOPLE.reviewer.subject, ['dac_member']);
    dora = await callerAs(t, DEMO_PEOPLE.secondReviewer.subject, ['dac_member']);
    olu = await callerAs(t, DEMO_PEOPLE.checker.subject, ['output_checker']);
    oona = await callerAs(t, DEMO_PEOPLE.secondChecker.subject, ['output_checker']);
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    // The gateway is not run here: its address answers with a stand-in page, so "Open workspace" can land.
    await context.route(`${GATEWAY_URL}/**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><html lang="en"><title>Workspace</title><main><h1>Workspace</h1></main></html>',
      }),
    );
    foreign = watchForeignRequests(page, [apiUrl, GATEWAY_URL]);
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await worker?.close();
    await t?.close();
    rmSync(localOutputs, { recursive: true, force: true });
  });
  afterEach(() => expect(foreign).toEqual([]));

  const heading = (name: string | RegExp, level = 1) => page.getByRole('heading', { level, name }).waitFor();
  const button = (name: string | RegExp) =>
    page.getByRole('button', { name, exact: typeof name === 'string' });
  let projectId: string;
  let workspaceId: string;

  it('applies: the wizard over the catalogue, refusals in place, a draft saved with warnings, submission', async () => {
    await page.goto(`${apiUrl}/app/sign-in`);
    await button(`Sign in as ${DEMO_PEOPLE.researcher.name}`).click();
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Your research' }).click();
    await heading('Your research');
    await page.getByText('Nothing is waiting for you.').waitFor();
    await expectAccessible(page, 'the researcher dashboard, empty');

    await page.getByRole('link', { name: 'Apply for a project' }).click();
    await heading('Apply for a project');
    await page.getByRole('checkbox', { name: 'Request GP registrations (GP_REGISTRATIONS)' }).check();
    for (const field of ['nhs_number', 'sex', 'practice_code'])
      await page.getByRole('checkbox', { name: field, exact: true }).check();
    await page
      .getByRole('row', { name: /date_of_birth/ })
      .getByText('Generalised (year month)')
      .waitFor();
    await page
      .getByLabel('Legal basis for GP registrations')
      .selectOption({ label: 'Section 251 support (Confidentiality Advisory Group)' });
    await expectAccessible(page, 'the wizard: data');
    await screenshot(page, 'web-researcher-apply-data');

    // A new application is kept only once the service can check it whole: the refusal names each field,
    // the wizard goes to the step holding the first, and what was chosen stays.
    await button('Save and continue').click();
    await heading('There is a problem', 2);
    await page.getByRole('heading', { level: 2, name: 'About the project' }).waitFor();
    await page.getByRole('link', { name: /title must be longer than or equal to 3 characters/ }).waitFor();
    await expectAccessible(page, 'the wizard: a refused first save, in place');
    await screenshot(page, 'web-researcher-apply-refused');
    await page.getByLabel('Title', { exact: true }).fill('Asthma admissions and air quality');
    await page.getByLabel('Organisation').fill('University of Exampleshire');
    await page
      .getByLabel('Scientific purpose')
      .fill('Estimate the association between district NO2 exposure and asthma admissions in children.');
    await page
      .getByLabel('Lay summary')
      .fill(
        'We will look at whether children in areas with dirtier air are admitted with asthma more often.',
      );
    await page.getByLabel('Public benefit').fill('Evidence for clean-air policy near schools.');
    await button('Save and continue').click();
    await page.getByRole('heading', { level: 2, name: 'People and dates' }).waitFor();
    await page
      .getByText(/requestedEndDate must be a date written YYYY-MM-DD/)
      .first()
      .waitFor();
    await page.getByLabel('End date you are asking for').fill(inDays(365));
    await page.getByLabel('When your own accreditation expires').fill(inDays(400));
    await button('Save and continue').click();
    await page.getByRole('heading', { level: 2, name: 'Workspace' }).waitFor();
    await page.waitForURL(/\/app\/researcher\/projects\/[0-9a-f-]+\/edit$/);
    projectId = /projects\/([0-9a-f-]+)\/edit/.exec(page.url())![1];
    await page.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor();
    expect(await page.getByLabel('Workspace size').inputValue()).toBe('');
    // The sizes and tools are this deployment's, each said in words.
    await page.getByRole('option', { name: /^medium: \d/ }).waitFor({ state: 'attached' });
    expect(await page.getByLabel('Workspace size').locator('option').first().textContent()).toBe(
      "The service's default (small)",
    );
    expect(await page.getByLabel('Analysis tool').locator('option').allTextContents()).toContain(
      'JupyterLab (Python notebooks)',
    );

    // An existing draft keeps what it can: a lay summary too short is refused, the rest is saved.
    await button('2. About the project').click();
    await page.getByLabel('Lay summary').fill('Too short.');
    await page.getByLabel('Public benefit').fill('Evidence for clean-air policy near schools and nurseries.');
    await button('Save as draft').click();
    await heading('Your draft is saved, except these answers', 3);
    await page
      .getByText(/laySummary must be longer than or equal to 20 characters/)
      .first()
      .waitFor();
    expect(await page.getByLabel('Lay summary').inputValue()).toBe('Too short.');
    const draft = (await alice.get(`/projects/${projectId}`)).body as Record<string, string>;
    expect(draft.publicBenefit).toBe('Evidence for clean-air policy near schools and nurseries.');
    expect(draft.laySummary).toMatch(/^We will look at whether children/);
    await expectAccessible(page, 'the wizard: a draft saved with warnings');
    await screenshot(page, 'web-researcher-apply-warnings');
    await page
      .getByLabel('Lay summary')
      .fill(
        'We will look at whether children in areas with dirtier air are admitted with asthma more often.',
      );
    await button('Save and continue').click();
    await page.getByRole('heading', { level: 2, name: 'People and dates' }).waitFor();
    await button('5. Check and submit').click();
    await page.getByRole('heading', { level: 2, name: 'Check and submit' }).waitFor();
    await expectAccessible(page, 'the wizard: check your answers');
    await button('Submit the application').click();
    await heading('Asthma admissions and air quality');
    await page.getByText('Submitted', { exact: true }).waitFor();
    await expectAccessible(page, 'the project page, submitted');
  });

  it('meets the returned application with the committee’s comments, resubmits, compares the versions', async () => {
    const returned = await dev.post(`/projects/${projectId}/votes`, {
      decision: 'request_changes',
      comment: 'Please say how small numbers will be suppressed before publication.',
    });
    expect(returned.status).toBe(200);
    await page.getByRole('link', { name: 'Back to your research' }).click();
    await heading('Your research');
    await page
      .getByRole('region', { name: 'What needs you now' })
      .getByRole('link', { name: 'Asthma admissions and air quality' })
      .click();
    await heading('Asthma admissions and air quality');
    await page.getByText('Returned for changes', { exact: true }).waitFor();
    await page.getByText(/Please say how small numbers will be suppressed/).waitFor();
    await expectAccessible(page, 'the project page, returned with comments');
    await screenshot(page, 'web-researcher-returned');

    await page.getByRole('link', { name: 'Change and resubmit the application' }).click();
    await heading('Change and resubmit your application');
    await button('2. About the project').click();
    await page
      .getByLabel('Scientific purpose')
      .fill(
        'Estimate the association between district NO2 exposure and asthma admissions in children; cells under 10 are suppressed before publication.',
      );
    await button('5. Check and submit').click();
    await button('Resubmit the application').click();
    await heading('Asthma admissions and air quality');
    await page.getByText('Submitted', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Compare versions' }).click();
    await heading('Versions of your application');
    const purpose = page.getByRole('row', { name: /Scientific purpose/ });
    await purpose.getByText('Changed').waitFor();
    await purpose.getByText(/cells under 10 are suppressed/).waitFor();
    expect(
      await page
        .getByRole('row', { name: /^Title/ })
        .getByText('Changed')
        .count(),
    ).toBe(0);
    await expectAccessible(page, 'the versions side by side');
    await screenshot(page, 'web-researcher-versions');
  });

  it('sees the approval, watches the extract and the workspace come up, opens the workspace', async () => {
    for (const reviewer of [dev, dora])
      expect(
        (await reviewer.post(`/projects/${projectId}/votes`, { decision: 'approve', comment: 'Fine.' }))
          .status,
      ).toBe(200);
    await page.getByRole('link', { name: 'Back to the project' }).click();
    await heading('Asthma admissions and air quality');
    await page.getByText('Approved', { exact: true }).first().waitFor();
    await heading('Approved terms', 2);
    // The page polls by itself: no reload from here on.
    await page.getByRole('status').filter({ hasText: 'The extract is ready.' }).waitFor({ timeout: 240_000 });
    await page.getByRole('list', { name: 'Extract steps' }).getByText(/rows/i).first().waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Ready: / })
      .waitFor({ timeout: 240_000 });
    await page
      .getByText(/only manifests were written|nothing runs/i)
      .first()
      .waitFor();
    await expectAccessible(page, 'the project page, approved, extract and workspace ready');
    await screenshot(page, 'web-researcher-project-approved');
    workspaceId = (
      (await alice.get('/workspaces')).body as { items: { id: string; projectId: string }[] }
    ).items.find((w) => w.projectId === projectId)!.id;

    // The workspace opens in a tab of its own, at the gateway, with the ticket: this tab keeps its sign-in.
    const [tab] = await Promise.all([context.waitForEvent('page'), button('Open workspace').click()]);
    await tab.waitForURL(new RegExp(`^${GATEWAY_URL}/w/${workspaceId}/_tre/redeem\\?ticket=`));
    await tab.close();
    await heading('Asthma admissions and air quality');
  });

  it('follows an output request: blocked with the flagged cell, resubmitted, released, downloaded', async () => {
    const folder = join(localOutputs, workspaceId, 'tables');
    mkdirSync(folder, { recursive: true });
    const writeTable = (suppressed: boolean) => {
      writeFileSync(join(folder, 'admissions.csv'), tableCsv(table(suppressed)));
      writeFileSync(join(folder, 'admissions.csv.record.json'), JSON.stringify(table(suppressed)));
    };
    writeTable(false);

    await page
      .getByLabel('What the outputs are, for the checkers')
      .fill('Asthma admissions by age band and sex');
    await button('Start an output request').click();
    await heading('Asthma admissions by age band and sex');
    await button('Add tables/admissions.csv').click();
    await heading(/admissions\.csv$/, 3);
    await page.getByText(sha256(tableCsv(table(false)))).waitFor();
    await expectAccessible(page, 'an output request, a draft with a file');
    await button('Submit for checking').click();
    await page.getByText('Blocked by the checks', { exact: true }).waitFor({ timeout: 120_000 });
    const flagged = page.getByRole('table', { name: /^Cells flagged in .*admissions\.csv$/ });
    await flagged.getByRole('cell', { name: /12-17/ }).first().waitFor();
    await expectAccessible(page, 'an output request, blocked with its flagged cells');
    await screenshot(page, 'web-researcher-output-blocked');

    writeTable(true);
    await button(/^Remove .*admissions\.csv$/).click();
    await page.getByText('No files yet.').waitFor();
    await button('Add tables/admissions.csv').click();
    await page.getByText(sha256(tableCsv(table(true)))).waitFor();
    await button('Resubmit for checking').click();
    await page.getByText('With output checkers', { exact: true }).waitFor({ timeout: 120_000 });
    const requestId = /outputs\/([0-9a-f-]+)/.exec(page.url())![1];
    const fileId = ((await alice.get(`/outputs/${requestId}`)).body as { fileList: { id: string }[] })
      .fileList[0].id;
    for (const checker of [olu, oona])
      expect(
        (
          await checker.post(`/outputs/${requestId}/reviews`, {
            votes: [{ fileId, vote: 'approve', comment: 'The small cell is suppressed.' }],
          })
        ).status,
      ).toBe(200);

    // Away and back (a reload would drop the sign-in, which lives in memory): the page asks again.
    await page.getByRole('link', { name: 'The project' }).click();
    await heading('Asthma admissions and air quality');
    await page
      .getByRole('region', { name: 'Output requests' })
      .getByRole('link', { name: 'Asthma admissions by age band and sex' })
      .click();
    await heading('Released files', 2);
    await button('Get download links').click();
    const expected = sha256(tableCsv(table(true)));
    const row = page.getByRole('row', { name: /admissions\.csv/ });
    await row.getByText(expected).waitFor();
    await expectAccessible(page, 'an output request, released, with its download links');
    await screenshot(page, 'web-researcher-output-released');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: /^Download .*admissions\.csv$/ }).click(),
    ]);
    expect(sha256(readFileSync(await download.path()))).toBe(expected);
  });

  it('withdraws a request: a refused withdrawal in place, nothing typed lost; the dashboard sums it up', async () => {
    await page.getByRole('link', { name: 'The project' }).click();
    await heading('Asthma admissions and air quality');
    await page.getByLabel('What the outputs are, for the checkers').fill('A spare table');
    await button('Start an output request').click();
    await heading('A spare table');
    await page.getByLabel('Why you are withdrawing this request').fill('No');
    await button('Withdraw the request').click();
    await page.getByRole('link', { name: /reason must be longer than or equal to 3 characters/ }).waitFor();
    expect(await page.getByLabel('Why you are withdrawing this request').inputValue()).toBe('No');
    await expectAccessible(page, 'an output request, a refused withdrawal');
    await page.getByLabel('Why you are withdrawing this request').fill('Not needed after all.');
    await button('Withdraw the request').click();
    await page.getByText('Withdrawn', { exact: true }).waitFor();

    // A 409 in place: another request is withdrawn elsewhere (another tab, the CLI) while this page is open.
    await page.getByRole('link', { name: 'The project' }).click();
    await heading('Asthma admissions and air quality');
    await page.getByLabel('What the outputs are, for the checkers').fill('Another spare table');
    await button('Start an output request').click();
    await heading('Another spare table');
    const otherId = /outputs\/([0-9a-f-]+)/.exec(page.url())![1];
    expect((await alice.post(`/outputs/${otherId}/withdraw`, { reason: 'Done from the CLI.' })).status).toBe(
      204,
    );
    await page.getByLabel('Why you are withdrawing this request').fill('Not needed either.');
    await button('Withdraw the request').click();
    await page.getByRole('heading', { name: 'This cannot be done now' }).waitFor();
    await page
      .getByText(/Cannot withdraw an output request that is withdrawn/)
      .first()
      .waitFor();
    expect(await page.getByLabel('Why you are withdrawing this request').inputValue()).toBe(
      'Not needed either.',
    );
    await expectAccessible(page, 'an output request, a withdrawal refused because it changed elsewhere');

    await page.getByRole('link', { name: 'Back to your research' }).click();
    await heading('Your research');
    await page.getByRole('region', { name: 'Your output requests' }).getByText('Released').waitFor();
    await page.getByRole('region', { name: 'Your workspaces' }).getByText(/Ready/).waitFor();
    await expectAccessible(page, 'the researcher dashboard');
    await screenshot(page, 'web-researcher-dashboard');
  });
});

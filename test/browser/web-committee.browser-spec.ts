import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE, type Role } from '@tre/auth';
import { listen } from '../support/gateway-fixtures';
import {
  application,
  caller,
  GP_DATASET,
  HES_DATASET,
  inDays,
  type Caller,
} from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

// A real browser on a shared two-core machine: pages with axe runs take seconds, not milliseconds.
jest.setTimeout(180_000);

const TITLE = 'Asthma admissions and air quality';

/**
 * Two data access committee members in real browsers against the real API: an application returned once and
 * resubmitted is reviewed (its frozen version, its data against the catalogue, what changed), approved blind
 * by both, one narrowing the fields, adding a condition and an earlier end; the votes show after the
 * decision, and the applicant's project carries the narrowed approval. axe-core on every page and state.
 */
describe('web app: the data access committee', () => {
  let t: TestApp;
  let apiUrl: string;
  let browser: Browser;
  let alice: Caller;
  let projectId: string;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];
  const endDate = inDays(200);

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));
  const signedIn = async (name: string, returnTo: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    foreign.push(...watchForeignRequests(page, [apiUrl]));
    await page.goto(`${apiUrl}/app/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    return page;
  };

  beforeAll(async () => {
    assertWebAppBuilt();
    t = await startTestApp();
    apiUrl = await listen(t);
    alice = await person(DEMO_PEOPLE.researcher.subject, ['researcher']);
    const cara = await person(DEMO_PEOPLE.custodian.subject, ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
    const dev = await person(DEMO_PEOPLE.reviewer.subject, ['dac_member']);
    const dora = await person(DEMO_PEOPLE.secondReviewer.subject, ['dac_member']);
    // Version 1 is returned with changes asked for; version 2 is what the committee now reviews.
    projectId = (await alice.post('/projects', application())).body.id as string;
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBeLessThan(300);
    // One member asking for changes returns the application, or both do, by the committee's rule.
    for (const member of [dev, dora]) {
      const status = ((await alice.get(`/projects/${projectId}`)).body as { status: string }).status;
      if (status === 'returned') break;
      const res = await member.post(`/projects/${projectId}/votes`, {
        decision: 'request_changes',
        comment: 'Say how postcode will be used.',
      });
      expect(res.status).toBe(200);
    }
    const edited = await alice.patch(`/projects/${projectId}`, {
      scientificPurpose:
        'Estimate the association between district-level NO2 exposure and asthma admissions in children, linking by district (postcode is reduced to district).',
    });
    expect(edited.status).toBe(204);
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBeLessThan(300);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('two members approve blind, one narrowing the fields; the votes show after the decision', async () => {
    const dev = await signedIn('Dev', '/committee');
    await dev.getByRole('heading', { level: 1, name: 'Applications to review' }).waitFor();
    await dev.getByRole('cell', { name: '2', exact: true }).waitFor(); // version 2
    await expectAccessible(dev, "the committee's queue");
    await screenshot(dev, 'web-committee-queue');

    await dev.getByRole('link', { name: TITLE }).click();
    await dev.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    // The data against the catalogue: each field with its classification and release form.
    const gp = dev.getByRole('table', { name: /GP_REGISTRATIONS.*legal basis: s251/ });
    await gp.getByRole('row', { name: /^nhs_number Yes Direct identifier/ }).waitFor();
    // What changed since version 1.
    const changes = dev.getByRole('table', { name: 'Changes from version 1 to 2' });
    await changes.getByRole('rowheader', { name: 'Scientific purpose' }).waitFor();
    await expectAccessible(dev, 'an application under review');
    await screenshot(dev, 'web-committee-application');

    // Dev approves less than was asked: no postcode, a condition, an earlier end.
    await dev.getByRole('radio', { name: 'Approve' }).check();
    await dev
      .getByRole('group', { name: /Fields of GP_REGISTRATIONS/ })
      .getByRole('checkbox', { name: 'postcode' })
      .uncheck();
    await dev
      .getByRole('textbox', { name: /Conditions of approval/ })
      .fill('Postcode reduced to district before linkage');
    await dev.getByLabel(/Approve until/).fill(endDate);
    await expectAccessible(dev, 'the vote form, approving with narrowing');
    await dev.getByRole('textbox', { name: /Your comments/ }).fill('Approved without postcode.');
    await dev.getByRole('button', { name: 'Send your vote' }).click();
    await dev.getByText("The committee's votes are hidden until the decision; yours is below.").waitFor();
    await dev.getByText('You: Approve').waitFor();
    await expectAccessible(dev, 'after voting, blind');

    // Dora sees no one else's vote before casting hers.
    const dora = await signedIn('Dora', '/committee');
    await dora.getByRole('link', { name: TITLE }).click();
    await dora.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await dora.getByText('No votes to show.').waitFor();
    expect(await dora.getByText('Approved without postcode.').count()).toBe(0);
    // A vote without reasons is refused, in place, with what was chosen kept.
    await dora.getByRole('radio', { name: 'Approve' }).check();
    await dora.getByRole('button', { name: 'Send your vote' }).click();
    await dora.getByRole('alert').waitFor();
    expect(await dora.getByRole('radio', { name: 'Approve' }).isChecked()).toBe(true);
    await expectAccessible(dora, 'a refused vote');
    await dora.getByRole('textbox', { name: /Your comments/ }).fill('Agree with the narrowing.');
    await dora.getByRole('button', { name: 'Send your vote' }).click();
    // Decided: every vote shows.
    await dora.getByText('Another member: Approve').waitFor();
    await dora.getByText('Approved without postcode.').waitFor();
    await expectAccessible(dora, 'the votes after the decision');
    await screenshot(dora, 'web-committee-decided');

    // The applicant's project carries the narrowed approval.
    const project = (await alice.get(`/projects/${projectId}`)).body as {
      status: string;
      approval: { datasets: { code: string; fields: string[] }[]; conditions: string[]; endDate: string };
    };
    expect(project.status).toBe('approved');
    expect(project.approval.datasets.find((d) => d.code === 'GP_REGISTRATIONS')?.fields.sort()).toEqual([
      'date_of_birth',
      'nhs_number',
      'sex',
    ]);
    expect(project.approval.conditions).toEqual(['Postcode reduced to district before linkage']);
    expect(project.approval.endDate).toBe(endDate);
    expect(foreign).toEqual([]);
  });
});

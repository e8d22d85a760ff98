import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE, type Role } from '@tre/auth';
import { listen } from '../support/gateway-fixtures';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { demoEmail, expectLinkOnly, startJourneyMail, type JourneyMail } from '../support/journey-mail';
import { caller, inDays, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

// A real browser on a shared two-core machine: pages with axe runs take seconds, not milliseconds.
jest.setTimeout(240_000);

const AGES = ['0-15', '16-64', '65+'];
const SEXES = ['F', 'M'];
const COUNTS = [
  [40, 38],
  [120, 131],
  [15, 4],
];
/** The 65+ men are 4 people: blocked until the researcher suppresses the cell. */
const DISCLOSIVE = countRecord('age_band', 'sex', AGES, SEXES, COUNTS);
const SUPPRESSED = countRecord('age_band', 'sex', AGES, SEXES, COUNTS, [[2, 1]]);
/** Released last quarter, by region: what the checkers compare by eye. */
const EARLIER = countRecord('region', 'sex', ['North', 'South'], SEXES, [
  [210, 190],
  [180, 175],
]);

/**
 * Two output checkers in real browsers against the real API and worker: a request blocked by the automated
 * checks and fixed by the researcher reaches their queue; each reviews its files (the grid with its flagged
 * and suppressed cells, column statistics, the project's earlier release beside it), they disagree, talk in
 * their private thread, settle, and the request is released. A checker on the project sees no vote control.
 * axe-core checks every page and state reached; elements are found by role, label and name.
 */
describe('web app: the output checkers', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mail: JourneyMail;
  let apiUrl: string;
  let browser: Browser;
  let alice: Caller;
  let requestId: string;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];

  /** Signed in over the API once, so the service knows their roles and address (from the token) from now on. */
  const person = async (subject: string, roles: Role[]) => {
    const who = caller(t.app, subject, await t.env.token(subject, roles, demoEmail(subject)));
    expect((await who.get('/me')).status).toBe(200);
    return who;
  };
  let workspaceId: string;
  /** The researcher writes a file (and its record) in the workspace's outputs folder and adds it by path. */
  const upload = async (id: string, fileName: string, content: string, record?: object) => {
    const res = await addOutput(alice, id, workspaceId, fileName, content, record);
    expect(res.status).toBe(201);
  };
  const statusOf = async (id: string) =>
    ((await alice.get(`/outputs/${id}`)).body as { status: string }).status;
  const settles = (id: string, status: string) =>
    eventually(async () => ((await statusOf(id)) === status ? true : undefined), 30_000, `${id} ${status}`);

  /** A new browser, signed in as one of the demo's people, on `returnTo`. */
  const signedIn = async (name: string, returnTo: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    foreign.push(...watchForeignRequests(page, [apiUrl]));
    await page.goto(`${apiUrl}/app/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    return page;
  };
  const actAsChecker = async (page: Page) => {
    const actingAs = page.getByLabel('Acting as', { exact: true });
    if (await actingAs.count()) await actingAs.selectOption({ label: 'Output checker' });
  };
  /** On a file's review page: choose a vote, give reasons, save it as this checker's draft. */
  const voteOnFile = async (page: Page, fileName: string, vote: string, reasons: string) => {
    await page.getByRole('link', { name: fileName }).click();
    await page.getByRole('heading', { level: 1, name: fileName }).waitFor();
    await page.getByRole('radio', { name: vote }).check();
    await page.getByRole('textbox', { name: /Your reasons/ }).fill(reasons);
    await page.getByRole('button', { name: 'Save your vote on this file' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('link', { name: 'Back to the request' }).click();
  };

  beforeAll(async () => {
    assertWebAppBuilt();
    mail = await startJourneyMail();
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
      ...mail.env,
    });
    worker = await startTestWorker();
    apiUrl = await listen(t);
    alice = await person(DEMO_PEOPLE.researcher.subject, ['researcher']);
    const olu = await person(DEMO_PEOPLE.checker.subject, ['output_checker']);
    const oona = await person(DEMO_PEOPLE.secondChecker.subject, ['output_checker']);
    // Sam, a researcher who is also an output checker, is on this project.
    const projectId = await approvedProject(
      alice,
      await person(DEMO_PEOPLE.custodian.subject, ['data_custodian']),
      [
        await person(DEMO_PEOPLE.reviewer.subject, ['dac_member']),
        await person(DEMO_PEOPLE.secondReviewer.subject, ['dac_member']),
      ],
      { members: [{ subject: DEMO_PEOPLE.twoRoles.subject, accreditationExpiresOn: inDays(300) }] },
    );

    workspaceId = await readyWorkspaceOf(t, projectId);

    // An earlier release of the project, approved by both checkers over the API.
    const earlier = (await alice.post('/outputs', { projectId, title: 'Admissions by region, 2023' })).body
      .id as string;
    await upload(earlier, 'admissions.csv', tableCsv(EARLIER), EARLIER);
    await alice.post(`/outputs/${earlier}/submit`);
    await settles(earlier, 'in_review');
    const earlierFile = ((await olu.get(`/outputs/${earlier}`)).body as { fileList: { id: string }[] })
      .fileList[0].id;
    const approve = { votes: [{ fileId: earlierFile, vote: 'approve' }] };
    await olu.post(`/outputs/${earlier}/reviews`, approve);
    await oona.post(`/outputs/${earlier}/reviews`, approve);
    await settles(earlier, 'released');

    // This quarter's request: blocked, then fixed by suppressing the cell.
    requestId = (await alice.post('/outputs', { projectId, title: 'Admissions by age and sex, 2024' })).body
      .id as string;
    await upload(requestId, 'admissions.csv', tableCsv(DISCLOSIVE), DISCLOSIVE);
    await upload(requestId, 'method.txt', 'Counts of emergency admissions, 2024, by age band and sex.\n');
    await alice.post(`/outputs/${requestId}/submit`);
    await settles(requestId, 'blocked');
    await upload(requestId, 'admissions.csv', tableCsv(SUPPRESSED), SUPPRESSED);
    await alice.post(`/outputs/${requestId}/submit`);
    await settles(requestId, 'in_review');
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mail?.close();
  });

  it('two checkers review the fixed request, disagree, settle it in their thread, and it is released', async () => {
    // Olu: the queue, with his progress and the wait.
    const olu = await signedIn('Olu', '/checker');
    await olu.getByRole('heading', { level: 1, name: 'Outputs to check' }).waitFor();
    const row = olu.getByRole('row', { name: /Admissions by age and sex, 2024/ });
    await row.getByRole('cell', { name: '0 of 2 files' }).waitFor();
    await row.getByRole('cell', { name: /just now|minute/ }).waitFor();
    await expectAccessible(olu, "the checker's queue");
    await screenshot(olu, 'web-checker-queue');

    // The request's overview: round 2 (blocked, then fixed), its files and the earlier release.
    await row.getByRole('link', { name: 'Admissions by age and sex, 2024' }).click();
    await olu.getByRole('heading', { level: 1, name: 'Admissions by age and sex, 2024' }).waitFor();
    await olu.getByRole('link', { name: 'Admissions by region, 2023' }).waitFor();
    expect(await olu.getByRole('button', { name: 'Send your review' }).isDisabled()).toBe(true);
    await expectAccessible(olu, "a request's overview");

    // The file review: the grid with the suppressed cell, the rule results, column statistics, provenance.
    await olu.getByRole('link', { name: 'admissions.csv' }).click();
    await olu.getByRole('heading', { level: 1, name: 'admissions.csv' }).waitFor();
    const grid = olu.getByRole('table', { name: 'admissions.csv, as published' });
    const men65 = grid.getByRole('row', { name: /^65\+/ }).getByRole('cell').nth(1);
    expect(await men65.textContent()).toMatch(/^Suppressed/);
    expect(await men65.getAttribute('class')).toContain('app-grid__cell--suppressed');
    const stats = olu.getByRole('table', { name: 'Summary of each column' });
    expect(await stats.getByRole('row', { name: /^F/ }).getByRole('cell').allTextContents()).toEqual([
      '3',
      '0',
      '15',
      '120',
      '175',
      '3 of 3',
    ]);
    await olu.getByRole('heading', { name: 'Results per rule' }).waitFor();
    // Collected from the workspace's outputs folder, and built from no extract file: the record is the
    // researcher's word.
    await olu.getByText(workspaceId, { exact: true }).first().waitFor();
    await olu
      .getByText(/derived data: the record is the researcher/)
      .first()
      .waitFor();
    // The earlier release of the same table, beside it.
    await olu
      .getByRole('table', { name: /admissions.csv as released in "Admissions by region, 2023"/ })
      .waitFor();
    await expectAccessible(olu, 'the file review');
    await screenshot(olu, 'web-checker-file-review');

    // A vote needs reasons when the file did not pass every check: said on the field, nothing saved.
    await olu.getByRole('radio', { name: 'Approve' }).check();
    await olu.getByRole('button', { name: 'Save your vote on this file' }).click();
    await olu.getByText('Say why you approve a file the automated checks did not pass').first().waitFor();
    await expectAccessible(olu, 'the file review, a vote without reasons');
    await olu.getByRole('link', { name: 'Back to the request' }).click();
    await olu
      .getByRole('row', { name: /admissions.csv/ })
      .getByRole('cell', { name: '–', exact: true })
      .waitFor();

    await voteOnFile(olu, 'admissions.csv', 'Approve', 'The 65+ men are suppressed; the rest are large.');
    await olu.getByText('1 of 2 files').first().waitFor();
    // A file with no table record: shown as collected, to read before voting.
    await olu.getByRole('link', { name: 'method.txt' }).click();
    await olu.getByRole('heading', { level: 1, name: 'method.txt' }).waitFor();
    await olu
      .getByLabel('method.txt, as collected')
      .getByText(/Counts of emergency admissions/)
      .waitFor();
    await olu.getByRole('button', { name: 'Download the file' }).waitFor();
    await expectAccessible(olu, 'the file review of a file with no table record');
    await olu.getByRole('link', { name: 'Back to the request' }).click();
    await voteOnFile(olu, 'method.txt', 'Approve', 'A description of the method, no numbers.');
    await olu.getByRole('button', { name: 'Send your review' }).click();
    await olu.getByRole('cell', { name: 'Approve' }).first().waitFor();
    await olu
      .getByRole('textbox', { name: 'Add a comment for the other checkers' })
      .fill('Row totals add up.');
    await olu.getByRole('button', { name: 'Add comment' }).click();
    await olu.getByText('Row totals add up.').waitFor();
    await expectAccessible(olu, "a request after the checker's review, with a comment");

    // Sam is on the project: he may open the request but is offered no vote, and sees none of the votes.
    const sam = await signedIn('Sam', `/checker/requests/${requestId}`);
    await actAsChecker(sam);
    await sam.getByRole('heading', { level: 1, name: 'Admissions by age and sex, 2024' }).waitFor();
    await sam.getByRole('heading', { name: 'You are on this project' }).waitFor();
    expect(await sam.getByRole('button', { name: /Send your/ }).count()).toBe(0);
    expect(await sam.getByRole('textbox', { name: 'Add a comment for the other checkers' }).count()).toBe(0);
    await sam.getByText("The checkers' comments on this round are private until it is decided.").waitFor();
    expect(await sam.getByText('Row totals add up.').count()).toBe(0);
    await sam.getByRole('link', { name: 'admissions.csv' }).click();
    await sam.getByRole('heading', { level: 1, name: 'admissions.csv' }).waitFor();
    expect(await sam.getByRole('radio').count()).toBe(0);
    await expectAccessible(sam, 'the file review for a checker on the project');

    // Oona disagrees on the table: the request is held, and both see the conflict and each other's votes.
    const oona = await signedIn('Oona', '/checker');
    await oona.getByRole('link', { name: 'Admissions by age and sex, 2024' }).click();
    await oona.getByRole('heading', { level: 1, name: 'Admissions by age and sex, 2024' }).waitFor();
    // Olu's comment is for the checkers, so she reads it; his vote stays hidden until hers is in.
    await oona.getByText('Row totals add up.').waitFor();
    await oona.getByRole('cell', { name: 'Hidden until the votes are in' }).first().waitFor();
    await voteOnFile(oona, 'admissions.csv', 'Request changes', 'The 65+ women (15) are close; round to 5?');
    await voteOnFile(oona, 'method.txt', 'Approve', 'Fine.');
    await oona.getByRole('button', { name: 'Send your review' }).click();
    await oona.getByRole('heading', { name: 'The checkers disagree' }).waitFor();
    await oona
      .getByRole('row', { name: /admissions.csv/ })
      .getByRole('cell', { name: /Another checker: Approve/ })
      .waitFor();
    await expectAccessible(oona, 'a request the checkers disagree on');
    await screenshot(oona, 'web-checker-conflict');
    expect(await statusOf(requestId)).toBe('in_review');

    // They settle it in the thread: Oona changes her vote on the table and sends her changed votes.
    await oona
      .getByRole('textbox', { name: 'Add a comment for the other checkers' })
      .fill('Rounding is not required by the rules in force; I will approve.');
    await oona.getByRole('button', { name: 'Add comment' }).click();
    await oona.getByText('Rounding is not required by the rules in force; I will approve.').waitFor();
    await voteOnFile(oona, 'admissions.csv', 'Approve', 'Settled with Olu: no rule needs rounding here.');
    await oona.getByRole('button', { name: 'Send your changed votes' }).click();
    await oona.getByText('Released', { exact: true }).first().waitFor();
    await oona.getByRole('heading', { name: 'Released' }).waitFor();
    await expectAccessible(oona, 'a released request');
    expect(await statusOf(requestId)).toBe('released');

    // After the decision the thread is open to the project: Sam, as a member, now reads it.
    const thread = (
      await (
        await person(DEMO_PEOPLE.researcher.subject, ['researcher'])
      ).get(`/outputs/${requestId}/comments`)
    ).body as { private: boolean; comments: { body: string }[] };
    expect(thread.private).toBe(false);
    expect(thread.comments.map((c) => c.body)).toEqual([
      'Row totals add up.',
      'Rounding is not required by the rules in force; I will approve.',
    ]);
    expect(foreign).toEqual([]);
  });

  it('emails the checkers to check it and of the conflict, and the researchers of the release: a link each', async () => {
    const [olu, oona, alice, sam] = [
      DEMO_PEOPLE.checker,
      DEMO_PEOPLE.secondChecker,
      DEMO_PEOPLE.researcher,
      DEMO_PEOPLE.twoRoles,
    ].map((p) => p.email);
    // Everything the journey wrote that an email must not carry.
    const content = [
      'Asthma admissions',
      'Admissions by age and sex, 2024',
      'Admissions by region, 2023',
      'admissions.csv',
      'method.txt',
      'Row totals add up.',
      'Rounding is not required',
      'round to 5',
      'Settled with Olu',
    ];
    const review = `/app/checker/requests/${requestId}`;
    const outputs = `/app/researcher/outputs/${requestId}`;
    const expected: [string, string, string[]][] = [
      // Once each, for the fixed round: the blocked round never reached them. Sam is on the project.
      ['An output request is waiting to be checked', review, [olu, oona]],
      ['Output checkers disagree on a request', review, [olu, oona]],
      // The author and the project's members; Sam had signed in (in the browser) by the release.
      ['Outputs have been released', outputs, [alice, sam]],
    ];
    for (const [subject, path, to] of expected) {
      const mails = await mail.received(subject, path, to.length);
      for (const received of mails) expectLinkOnly(received, { to: received.to[0], path, content });
      expect(mail.recipients(subject, path)).toEqual([...to].sort());
    }
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEMO_PEOPLE, type Role } from '@tre/auth';
import type { Gateway } from '../../apps/gateway/src/gateway';
import {
  GATEWAY_SECRET,
  listen,
  openSession,
  startGateway,
  startStandIn,
  type StandIn,
} from '../support/gateway-fixtures';
import { approvedProject } from '../support/output-fixtures';
import { demoEmail, expectLinkOnly, startJourneyMail, type JourneyMail } from '../support/journey-mail';
import { caller, inDays as inDaysIso, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

jest.setTimeout(240_000);

const TITLE = 'Asthma admissions and air quality';
const ALICE = `Test ${DEMO_PEOPLE.researcher.subject}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/**
 * An admin in a real browser against the real API, the worker (workspaces provisioned by the manifests driver:
 * no cluster) and an access gateway in the process: the workspaces and one live session, terminated; a
 * researcher's accreditation set and lapsed on the register (refusals in place); a project revoked with a
 * reason and its workspace following; the revocation found in the audit trail, every match downloaded as CSV
 * (streamed by the API), and the chain verified. axe-core on every page and state.
 */
describe('web app: the admin', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mail: JourneyMail;
  let standIn: StandIn;
  let gw: { gateway: Gateway; url: string };
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let projectId: string;
  let workspaceId: string;
  let alice: Caller;
  let aliceToken: string;

  const nav = (name: string) => page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name });
  const heading = (name: string, level = 1) => page.getByRole('heading', { level, name }).waitFor();

  beforeAll(async () => {
    assertWebAppBuilt();
    mail = await startJourneyMail();
    t = await startTestApp({
      ...mail.env,
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-web-admin-extracts-')),
      PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-web-admin-key-')), 'master.key'),
      GATEWAY_API_SECRET: GATEWAY_SECRET,
    });
    apiUrl = await listen(t);
    worker = await startTestWorker();
    standIn = await startStandIn();
    gw = await startGateway(t, apiUrl, standIn.url);
    const person = async (subject: string, roles: Role[]) =>
      caller(t.app, subject, await t.env.token(subject, roles, demoEmail(subject)));
    aliceToken = await t.env.token(DEMO_PEOPLE.researcher.subject, ['researcher'], demoEmail('demo-alice'));
    alice = caller(t.app, DEMO_PEOPLE.researcher.subject, aliceToken);
    // Sam is named on the project but never signs in: the service has no address for him.
    projectId = await approvedProject(
      alice,
      await person(DEMO_PEOPLE.custodian.subject, ['data_custodian']),
      [
        await person(DEMO_PEOPLE.reviewer.subject, ['dac_member']),
        await person(DEMO_PEOPLE.secondReviewer.subject, ['dac_member']),
      ],
      { members: [{ subject: DEMO_PEOPLE.twoRoles.subject, accreditationExpiresOn: inDaysIso(300) }] },
    );
    // The worker provisions the workspace (manifests only, the loader skipped with no cluster).
    workspaceId = await eventually(
      async () => {
        const items = (await alice.get('/workspaces')).body.items as
          { id: string; state: string }[] | undefined;
        return items?.find((w) => w.state === 'ready')?.id;
      },
      150_000,
      'the workspace to be ready',
    );
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    foreign = watchForeignRequests(page, [apiUrl]);
    await page.goto(`${apiUrl}/app/sign-in?returnTo=${encodeURIComponent('/admin')}`);
    await page.getByRole('button', { name: 'Sign in as Ada' }).click();
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gw?.gateway.close();
    await standIn?.close();
    await worker?.close();
    await t?.close();
    await mail?.close();
  });

  it('lists the workspaces and opens one with its steps', async () => {
    await heading('Projects');
    await nav('Workspaces').click();
    await heading('Workspaces');
    const row = page.getByRole('row', { name: new RegExp(`Workspace of ${TITLE}`) });
    await row.getByRole('cell', { name: 'Ready', exact: true }).waitFor();
    await row.getByRole('cell', { name: /steps done/ }).waitFor();
    await expectAccessible(page, 'the workspaces');
    await screenshot(page, 'web-admin-workspaces');

    await row.getByRole('link', { name: `Workspace of ${TITLE}` }).click();
    await heading('Workspace');
    await page.getByRole('list', { name: 'Workspace steps' }).waitFor();
    await page.getByRole('button', { name: 'Suspend the workspace' }).waitFor();
    await page.getByRole('button', { name: 'Delete the workspace' }).click();
    await page.getByRole('heading', { name: 'Delete this workspace?' }).waitFor();
    await expectAccessible(page, 'a workspace, asked to confirm its deletion');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Delete this workspace?' }).waitFor({ state: 'detached' });
  });

  it('sees a live session and terminates it; the list then says no one has one open', async () => {
    const session = await openSession(t, gw.url, workspaceId, aliceToken);
    await nav('Live sessions').click();
    await heading('Live sessions');
    const terminate = page.getByRole('button', {
      name: `Terminate the session of ${DEMO_PEOPLE.researcher.subject}`,
    });
    await terminate.waitFor();
    await expectAccessible(page, 'a live session');
    await screenshot(page, 'web-admin-sessions');
    await terminate.click();
    await page
      .getByRole('button', { name: `Yes, terminate the session of ${DEMO_PEOPLE.researcher.subject}` })
      .click();
    await page.getByRole('status').filter({ hasText: 'No one has a session open.' }).waitFor();
    await expectAccessible(page, 'no live session');
    const [ended] = await t.app
      .get(DataSource)
      .query<{ end_reason: string }[]>(`SELECT end_reason FROM workspace_sessions WHERE id = $1`, [
        session.sessionId,
      ]);
    expect(ended.end_reason).toBe('terminated');
  });

  it('sets an accreditation on the register and lapses it, each refusal said where it happens', async () => {
    await nav('People').click();
    await heading('People and accreditation');
    const row = page.getByRole('row', { name: new RegExp(`^${ALICE}`) });
    await row.getByRole('cell', { name: /^Not on the register/ }).waitFor();
    await row.getByRole('cell', { name: 'Address from sign-in' }).waitFor();
    // Sam's message of the committee's decision waits in his inbox: no address is known until he signs in.
    await page
      .getByText(/^1 person named on a project has not signed in yet: 1 message waits in their inboxes/)
      .waitFor();
    await row.getByRole('button', { name: `Accreditation of ${ALICE}` }).click();
    await heading(`Accreditation of ${ALICE}`, 2);
    await expectAccessible(page, 'the people, one chosen');

    const expiry = page.getByRole('group', { name: 'Expiry date' });
    await expiry.getByLabel('Day').fill('30');
    await expiry.getByLabel('Month').fill('2');
    await expiry.getByLabel('Year').fill(String(inDays(400).getUTCFullYear()));
    await page.getByLabel('Accrediting body and reference').fill('ONS Accredited Researcher AR-77');
    await page.getByRole('button', { name: `Set the accreditation of ${ALICE}` }).click();
    await page.getByRole('alert').waitFor();
    await page
      .getByRole('link', { name: 'expiresOn must be a date written YYYY-MM-DD that exists' })
      .waitFor();
    await expectAccessible(page, 'an impossible expiry refused in place');

    const due = inDays(400);
    await expiry.getByLabel('Day').fill(String(due.getUTCDate()));
    await expiry.getByLabel('Month').fill(String(due.getUTCMonth() + 1));
    await expiry.getByLabel('Year').fill(String(due.getUTCFullYear()));
    await page.getByRole('button', { name: `Set the accreditation of ${ALICE}` }).click();
    await row.getByRole('cell', { name: /^Current until / }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Lapse the accreditation' }).waitFor();

    await page.getByRole('button', { name: `Lapse the accreditation of ${ALICE}` }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'a lapse refused for want of a reason');
    await page.getByLabel('Reason for the lapse').fill('Safe researcher training not renewed.');
    await page.getByRole('button', { name: `Lapse the accreditation of ${ALICE}` }).click();
    await row.getByRole('cell', { name: 'Lapsed: Safe researcher training not renewed.' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Set an accreditation' }).waitFor();
    await expectAccessible(page, 'an accreditation lapsed');
    await screenshot(page, 'web-admin-people');
    // The register decides now: Alice's declared expiry is a year away, yet her workspace refuses her.
    expect((await alice.post(`/workspaces/${workspaceId}/sessions`, {})).status).toBe(403);
  });

  it('revokes a project with a reason, sees its workspace follow, and finds it in the audit trail', async () => {
    await nav('Projects').click();
    await heading('Projects');
    const row = page.getByRole('row', { name: new RegExp(`^${TITLE}`) });
    await row.getByRole('cell', { name: 'approved' }).waitFor();
    await expectAccessible(page, 'the projects');
    await screenshot(page, 'web-admin-projects');

    await page.getByLabel(`Action on ${TITLE}`).selectOption({ label: 'Revoke' });
    await page.getByRole('button', { name: `Apply to ${TITLE}` }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'a revoke refused for want of a reason');
    await page.getByLabel(`Reason for ${TITLE}`).fill('Data sharing agreement ended early.');
    await page.getByRole('button', { name: `Apply to ${TITLE}` }).click();
    await row.getByRole('cell', { name: 'revoked' }).waitFor();

    // The workspace follows its project: the worker suspends it at once (access ends) and it is removed after
    // the grace period; the list refreshes by itself.
    await nav('Workspaces').click();
    await heading('Workspaces');
    await page
      .getByRole('row', { name: new RegExp(`Workspace of ${TITLE}`) })
      .getByRole('cell', { name: /^Suspended: access ended with the project, removed at / })
      .waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'the workspaces, one following its revoked project');
    await screenshot(page, 'web-admin-workspaces-followed');

    await nav('Audit trail').click();
    await heading('Audit trail');
    await page.getByLabel(/^Action/).fill('project.revoked');
    await page.getByRole('button', { name: 'Show events' }).click();
    await heading('1 event', 2);
    await page.getByRole('cell', { name: `project ${projectId}` }).waitFor();
    await expectAccessible(page, 'the audit trail, filtered');
    await screenshot(page, 'web-admin-audit');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download every matching event as CSV (1)' }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: 'Downloaded 1 event.' }).waitFor();
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

  it("emails the revocation to the project's people it has an address for, with the link only", async () => {
    const path = `/app/researcher/projects/${projectId}`;
    const subject = 'A project has been suspended, resumed or ended';
    const [sent] = await mail.received(subject, path, 1);
    expectLinkOnly(sent, {
      to: DEMO_PEOPLE.researcher.email,
      path,
      content: [TITLE, 'Data sharing agreement ended early.', 'Safe researcher training not renewed.'],
    });
    // Sam, who never signed in, has it in his inbox, not by email: the reason is kept for the admins.
    const rows = await eventually(async () => {
      const found = await t.app
        .get(DataSource)
        .query<{ recipient_subject: string; email_status: string; email_not_sent_reason: string | null }[]>(
          `SELECT recipient_subject, email_status, email_not_sent_reason FROM notifications
            WHERE kind = 'project_status_changed' AND link = $1 ORDER BY recipient_subject`,
          [path],
        );
      return found.length === 2 && found.every((r) => r.email_status !== 'pending') ? found : undefined;
    });
    expect(rows).toEqual([
      { recipient_subject: 'demo-alice', email_status: 'sent', email_not_sent_reason: null },
      { recipient_subject: 'demo-sam', email_status: 'not_sent', email_not_sent_reason: 'no_address' },
    ]);
    expect(mail.recipients(subject, path)).toEqual([DEMO_PEOPLE.researcher.email]);
  });
});

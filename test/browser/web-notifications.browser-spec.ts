import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE, type Role } from '@tre/auth';
import { listen } from '../support/gateway-fixtures';
import { expectLinkOnly, startJourneyMail, type JourneyMail } from '../support/journey-mail';
import { application, caller, GP_DATASET, HES_DATASET } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { startTestWorker } from '../support/test-worker';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  screenshot,
  watchForeignRequests,
} from '../support/web-browser';

jest.setTimeout(180_000);

const TITLE = 'Asthma admissions and air quality';

/**
 * A committee member's messages in a real browser: an application submitted reaches Dev's inbox (the header
 * counts it) and Dev's mailbox at a local SMTP server, with the link to the application and nothing else;
 * opening it from the inbox leads to the application and marks it read; email can be turned off. axe-core on
 * each page and state.
 */
describe('web app: notifications', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mail: JourneyMail;
  let apiUrl: string;
  let browser: Browser;
  let projectId: string;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];

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
    mail = await startJourneyMail();
    t = await startTestApp({ WORKER_PORT: '0', ...mail.env });
    worker = await startTestWorker();
    apiUrl = await listen(t);
    const cara = await person(DEMO_PEOPLE.custodian.subject, ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mail?.close();
  });

  it('an application submitted reaches the member in the app and by email, with its link only', async () => {
    // Dev signs in first: the service learns Dev's role and address from the sign-in's token.
    const dev = await signedIn('Dev', '/account/notifications');
    await dev.getByRole('heading', { level: 1, name: 'Your messages' }).waitFor();
    await dev.getByText('You have no messages.').waitFor();
    await expectAccessible(dev, 'an empty inbox');

    const alice = await person(DEMO_PEOPLE.researcher.subject, ['researcher']);
    projectId = (await alice.post('/projects', application())).body.id as string;
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBe(204);
    const path = `/app/committee/applications/${projectId}`;

    const subject = 'An application is waiting for review';
    const [devs] = await mail.received(subject, path, 1);
    expectLinkOnly(devs, { to: DEMO_PEOPLE.reviewer.email, path, content: [TITLE] });
    // Dora has not signed in: the service does not know her as a committee member yet.
    expect(mail.recipients(subject, path)).toEqual([DEMO_PEOPLE.reviewer.email]);

    // Signed in afresh (a sign-in lives in the page's memory only): the header counts the message.
    const later = await signedIn('Dev', '/account/notifications');
    await later.getByRole('link', { name: 'Messages (1 unread)' }).waitFor();
    await later.getByText('You have 1 unread message.').waitFor();
    await later.getByText('Unread', { exact: true }).waitFor();
    await expectAccessible(later, 'the inbox with an unread message');
    await screenshot(later, 'web-notifications-inbox');

    await later.getByRole('link', { name: 'An application is waiting for review' }).click();
    await later.waitForURL(`${apiUrl}${path}`);
    await later.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await later.getByRole('link', { name: 'Messages', exact: true }).waitFor();
  });

  it('email can be turned off on the account page', async () => {
    const dev = await signedIn('Dev', '/account');
    await dev.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await dev.getByText(DEMO_PEOPLE.reviewer.email).waitFor();
    await dev.getByRole('radio', { name: 'No, only show them here' }).check();
    await dev.getByRole('button', { name: 'Save email setting' }).click();
    await dev.getByText('Your email setting is saved.').waitFor();
    await expectAccessible(dev, 'the account page with email turned off');
    const saved = await (
      await person(DEMO_PEOPLE.reviewer.subject, ['dac_member'])
    ).get('/me/notification-settings');
    expect(saved.body).toMatchObject({ emailNotifications: false, emailAddress: DEMO_PEOPLE.reviewer.email });
    expect(foreign).toEqual([]);
  });
});

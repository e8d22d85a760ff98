import type { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '@tre/auth';
import { benchTable } from '../airlock/tables';
import { inParallel, startAirlockStack } from '../support/airlock-stack';

/**
 * The output checker's pages with a busy airlock: REQUESTS requests wait for review, each holding one
 * 2,500-cell table with its record, built through the real path (written in the workspace's outputs folder,
 * added by path, submitted, checked by the worker). Tokens live in the page's memory only, so a checker's
 * "navigation" is either signing in (the queue is where a checker lands) or a link inside the app:
 *
 * - web_checker_queue: from pressing "Sign in as Olu" to the queue's count and first page on screen.
 * - web_checker_file_review: from choosing a file on a request's page to its whole grid (the last row) and the
 *   column summary on screen; each run a different request, so nothing is served from the app's cache.
 */
const REQUESTS = Number(process.env.BENCH_WEB_CHECKER_REQUESTS ?? 500);
const PARALLEL = 8;
const CHECKER = DEMO_PEOPLE.checker;

export interface CheckerFigures {
  readonly queue: number[];
  readonly fileReview: number[];
  readonly seedSeconds: number;
}

/** Adds one 2,500-cell table with its record to a new request and submits it. */
async function waitingRequest(stack: Awaited<ReturnType<typeof startAirlockStack>>, r: number) {
  const { id } = await stack.call<{ id: string }>('POST', '/outputs', {
    projectId: stack.projectId,
    title: `Admissions by region and age band ${r}`,
  });
  const { csv, record } = benchTable(r, 0);
  const path = `r${r}/admissions.csv`;
  await stack.write(path, csv);
  await stack.write(`${path}.record.json`, JSON.stringify(record));
  await stack.call('POST', `/outputs/${id}/paths`, { path, recordPath: `${path}.record.json` });
  await stack.call('POST', `/outputs/${id}/submit`);
  return id;
}

async function untilAllInReview(stack: Awaited<ReturnType<typeof startAirlockStack>>): Promise<void> {
  const started = Date.now();
  for (;;) {
    const { rows } = await stack.db.query<{ done: number; blocked: number }>(
      `SELECT count(*) FILTER (WHERE status = 'in_review')::int AS done,
              count(*) FILTER (WHERE status = 'blocked')::int AS blocked FROM output_requests`,
    );
    if (rows[0].blocked > 0) throw new Error(`${rows[0].blocked} benchmark requests were blocked`);
    if (rows[0].done >= REQUESTS) return;
    if (Date.now() - started > 600_000) throw new Error(`only ${rows[0].done} of ${REQUESTS} checked`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function signInToQueue(browser: Browser, base: string): Promise<{ page: Page; ms: number }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/app/sign-in?returnTo=${encodeURIComponent('/checker')}`);
  const button = page.getByRole('button', { name: `Sign in as ${CHECKER.name}` });
  await button.waitFor();
  const started = performance.now();
  await button.click();
  await page.getByRole('heading', { name: `${REQUESTS} requests wait for your review` }).waitFor();
  await page
    .getByRole('table', { name: /Requests waiting for your review/ })
    .getByRole('link')
    .first()
    .waitFor();
  return { page, ms: performance.now() - started };
}

/** From a request's page, the file link pressed to the grid's last row and the column summary shown. */
async function openFileReview(page: Page, requestId: string): Promise<number> {
  // An in-app move to the request's page (the router follows history), as a link inside the app makes.
  await page.evaluate(
    `history.pushState({}, '', '/app/checker/requests/${requestId}'); dispatchEvent(new PopStateEvent('popstate'))`,
  );
  const link = page.getByRole('link', { name: /admissions\.csv$/ });
  await link.waitFor();
  const started = performance.now();
  await link.click();
  const grid = page.getByRole('table', { name: /as published/ });
  await grid.getByRole('rowheader', { name: 'region_49' }).waitFor();
  await page.getByRole('table', { name: 'Summary of each column' }).waitFor();
  return performance.now() - started;
}

export async function measureCheckerPages(browser: Browser, runs: number): Promise<CheckerFigures> {
  const seedStarted = performance.now();
  const stack = await startAirlockStack('tre_bench_web_checker');
  try {
    const ids: string[] = [];
    await inParallel(
      Array.from({ length: REQUESTS }, (_, r) => r),
      PARALLEL,
      async (r) => {
        ids.push(await waitingRequest(stack, r));
      },
    );
    await untilAllInReview(stack);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const queue: number[] = [];
    const fileReview: number[] = [];
    for (let run = 0; run < runs; run++) {
      const { page, ms } = await signInToQueue(browser, stack.base);
      queue.push(ms);
      fileReview.push(await openFileReview(page, ids[run]));
      await page.context().close();
    }
    return { queue, fileReview, seedSeconds };
  } finally {
    await stack.stop();
  }
}

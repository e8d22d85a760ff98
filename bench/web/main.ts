import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { GENESIS_HASH, hashEvent } from '@tre/audit';
import { loadConfig, migrate } from '@tre/core';
import { freePort, waitUntilReady } from '../../apps/cli/src/demo/services';
import { measureCheckerPages } from './checker-pages';
import { readLoadSplit, splitSummary, type LoadSplit } from './load-split';
import { seedRegister } from './register-seed';

/**
 * `npm run bench -- web`: the web app's first download and how fast each page's data is on screen.
 *
 * - web_initial_js_gzip: the JavaScript the first page load fetches (the entry script and the chunks it
 *   preloads, from dist/web/index.html), gzipped, in KB. Budget: 250 KB.
 * - web_time_to_data_<warm|cold>_<page>: from navigation to the page's data on screen (see timeToData for warm
 *   and cold), median and slowest of RUNS, in ms, in Debian's headless Chromium
 *   against the built API, with PROJECTS projects on the register and AUDIT_EVENTS audit events in the database
 *   (`tre_bench_web`, recreated each run). Budget: under 1,000 ms.
 * - web_split_<warm|cold>_<page>: where those loads' time went, on the page's clock (see load-split.ts),
 *   medians in ms: what waits on what, which a busy machine stretches but does not reorder.
 * - web_checker_queue, web_checker_file_review: the output checker's queue with 500 requests waiting and a
 *   2,500-cell table's review, median and slowest of RUNS, in ms (see checker-pages.ts). Budget: under 1,000 ms.
 *   BENCH_WEB_CHECKER=0 leaves them out.
 */
const PROJECTS = Number(process.env.BENCH_WEB_PROJECTS ?? 1000);
const AUDIT_EVENTS = Number(process.env.BENCH_WEB_AUDIT_EVENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5);
// Its own database, recreated each run: BENCH_WEB_DATABASE names another, so two checkouts can run it at once.
const DATABASE = process.env.BENCH_WEB_DATABASE ?? 'tre_bench_web';
const DIST = join(__dirname, '..', '..');
const CHROMIUM = process.env.TRE_CHROMIUM ?? '/usr/bin/chromium';
const CHECKER_PAGES = process.env.BENCH_WEB_CHECKER !== '0';
/**
 * Each run opens a new tab, and headless Chromium opens it as a new window, whose browser UI it builds right then
 * (it preloads the address bar's WebUI popup in a renderer of its own: 0.35 to 0.7 s of CPU in a trace, more than
 * the page's own renderer used). Navigating at once made every page load share the machine's two cores with that
 * work, which no visitor's browser does on each visit. The clock starts once the new tab has had this long.
 */
const NEW_TAB_SETTLE_MS = Number(process.env.BENCH_WEB_SETTLE_MS ?? 1500);

const print = (name: string, value: string, unit: string) =>
  process.stdout.write(`${name}: ${value} ${unit}\n`);

/** Median and slowest of a run's times, as each figure prints them. */
function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)].toFixed(0)} (slowest ${sorted[sorted.length - 1].toFixed(0)} of ${sorted.length})`;
}

/** The entry script and every chunk index.html preloads: what a first visit downloads before showing anything. */
function initialJavaScriptGzipKb(): number {
  const web = join(DIST, 'web');
  const html = readFileSync(join(web, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  return (
    scripts.reduce((total, file) => total + gzipSync(readFileSync(join(web, file)), { level: 9 }).length, 0) /
    1024
  );
}

/** A fresh database with the register and an audit trail of the sizes asked for. */
async function seed(serverUrl: URL): Promise<string> {
  const admin = new Client({ connectionString: new URL('/postgres', serverUrl).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.end();
  const url = new URL(`/${DATABASE}`, serverUrl).toString();
  await migrate(url);
  const dataSource = await new DataSource({ type: 'postgres', url }).initialize();
  await seedRegister(dataSource, PROJECTS);
  // A valid hash chain, as AuditService writes it.
  let prevHash = GENESIS_HASH;
  const rows: unknown[][] = [];
  for (let seq = 1; seq <= AUDIT_EVENTS; seq++) {
    const event = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + seq * 60_000),
      actorId: `user:${seq % 97}`,
      action: seq % 2 ? 'project.submitted' : 'user.signed-in',
      subjectType: 'project',
      subjectId: `p-${seq % PROJECTS}`,
      details: { n: seq },
      requestId: `req-${seq}`,
      prevHash,
    };
    const hash = hashEvent(event);
    rows.push([
      seq,
      event.occurredAt.toISOString(),
      event.actorId,
      event.action,
      event.subjectType,
      event.subjectId,
      JSON.stringify(event.details),
      event.requestId,
      prevHash,
      hash,
    ]);
    prevHash = hash;
  }
  for (let start = 0; start < rows.length; start += 1000) {
    await dataSource.query(
      `INSERT INTO audit_events (seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id, prev_hash, hash)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(seq bigint, occurred_at timestamptz, actor_id text, action text,
         subject_type text, subject_id text, details jsonb, request_id text, prev_hash text, hash text)`,
      [
        JSON.stringify(
          rows
            .slice(start, start + 1000)
            .map(
              ([
                seq,
                occurred_at,
                actor_id,
                action,
                subject_type,
                subject_id,
                details,
                request_id,
                prev_hash,
                hash,
              ]) => ({
                seq,
                occurred_at,
                actor_id,
                action,
                subject_type,
                subject_id,
                details: JSON.parse(details as string) as unknown,
                request_id,
                prev_hash,
                hash,
              }),
            ),
        ),
      ],
    );
  }
  await dataSource.query('ANALYZE');
  await dataSource.destroy();
  return url;
}

interface PageCase {
  readonly name: string;
  readonly path: string;
  /** Text that shows the page's data (not its frame) is on screen. */
  readonly data: RegExp;
}

/**
 * Navigation to data on screen, median and slowest of RUNS, ms. `cold`: a fresh browser context each time (a first
 * visit: nothing cached, every file of the app fetched and parsed). `warm`: one context that has loaded the app
 * once (a returning visitor: the app's files come from the browser's cache, as their names are their content's
 * hash); each run is still a full navigation that asks the API for the page's data afresh.
 */
async function timeToData(
  browser: Browser,
  apiUrl: string,
  page: PageCase,
  mode: 'cold' | 'warm',
): Promise<{ times: number[]; splits: LoadSplit[] }> {
  const times: number[] = [];
  const splits: LoadSplit[] = [];
  const warm = mode === 'warm' ? await browser.newContext() : undefined;
  if (warm) {
    const tab = await warm.newPage();
    await tab.goto(`${apiUrl}/app/`);
    await tab.getByText(/Safe outputs/).waitFor();
    await tab.close();
  }
  for (let run = 0; run < RUNS; run++) {
    const context = warm ?? (await browser.newContext());
    const tab = await context.newPage();
    await new Promise((resolve) => setTimeout(resolve, NEW_TAB_SETTLE_MS));
    const started = performance.now();
    await tab.goto(`${apiUrl}${page.path}`, { waitUntil: 'commit' });
    await tab.getByText(page.data).first().waitFor({ timeout: 30_000 });
    times.push(performance.now() - started);
    splits.push(await readLoadSplit(tab));
    await (warm ? tab.close() : context.close());
  }
  await warm?.close();
  return { times, splits };
}

async function main(): Promise<void> {
  print('web_initial_js_gzip', initialJavaScriptGzipKb().toFixed(1), 'KB');

  const config = loadConfig();
  const databaseUrl = await seed(new URL(config.databaseUrl));
  print('web_seeded', `${PROJECTS} projects, ${AUDIT_EVENTS}`, 'audit events');
  const [port, metricsPort] = [await freePort(), await freePort()];
  const api: ChildProcess = spawn(process.execPath, [join(DIST, 'apps', 'api', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      API_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  let browser: Browser | undefined;
  try {
    await waitUntilReady(`${apiUrl}/ready`, api, 'the API');
    const [first] = (
      (await (await fetch(`${apiUrl}/register?pageSize=1`)).json()) as {
        items: { id: string; title: string }[];
      }
    ).items;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const pages: PageCase[] = [
      { name: 'home', path: '/app/', data: /Safe outputs/ },
      {
        name: 'register',
        path: '/app/register',
        data: new RegExp(`${PROJECTS.toLocaleString('en-GB')} projects`),
      },
      { name: 'register_search', path: '/app/register?q=dementia&status=approved', data: /\d+ projects?$/ },
      {
        name: 'register_last_page',
        path: `/app/register?page=${Math.ceil(PROJECTS / 20)}`,
        data: /Page \d+ of \d+/,
      },
      { name: 'register_project', path: `/app/register/${first.id}`, data: /Outputs released/ },
    ];
    for (const mode of ['warm', 'cold'] as const) {
      for (const page of pages) {
        const { times, splits } = await timeToData(browser, apiUrl, page, mode);
        print(`web_time_to_data_${mode}_${page.name}`, summary(times), 'ms');
        print(`web_split_${mode}_${page.name}`, splitSummary(splits), 'ms');
      }
    }
    if (CHECKER_PAGES) {
      const checker = await measureCheckerPages(browser, RUNS);
      print('web_checker_seeded', checker.seedSeconds.toFixed(0), 's (requests added by path, checked)');
      print('web_checker_queue', summary(checker.queue), 'ms');
      print('web_checker_file_review', summary(checker.fileReview), 'ms');
    }
  } finally {
    await browser?.close();
    api.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

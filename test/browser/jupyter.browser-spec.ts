import request from 'supertest';
import { chromium, type Browser, type WebSocket as PageSocket } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { Gateway } from '../../apps/gateway/src/gateway';
import { GATEWAY_SECRET, listen, readyWorkspace, startGateway } from '../support/gateway-fixtures';
import { startJupyter, type JupyterServer } from '../support/jupyter-server';
import { startTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = process.env.TRE_CHROMIUM ?? '/usr/bin/chromium';
const ROWS = 137;

/** What the page's globals hold; this file is type-checked without the DOM library. */
interface PageDocument {
  document: { body: { innerText: string } };
}

interface JupyterWindow {
  Jupyter?: { notebook?: { kernel?: { is_connected(): boolean }; execute_all_cells(): void } };
}

/**
 * A real tool in a real browser: Debian's Jupyter Notebook behind the gateway, driven by headless Chromium.
 * The notebook opens through the gateway, its kernel talks over a WebSocket through it, a cell counts the rows
 * of the extract file; /files/ is refused and audited; suspending the project closes the kernel's WebSocket
 * within 2 s and the next request is refused.
 */
describe('Jupyter through the gateway, in Chromium', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let jupyter: JupyterServer;
  let gw: { gateway: Gateway; url: string };
  let browser: Browser;
  let ids: { projectId: string; workspaceId: string };

  beforeAll(async () => {
    t = await startTestApp({ GATEWAY_API_SECRET: GATEWAY_SECRET });
    dataSource = t.app.get(DataSource);
    const apiUrl = await listen(t);
    ids = await readyWorkspace(dataSource, { ada: '2099-01-01' });
    jupyter = await startJupyter(ids.workspaceId, ROWS);
    gw = await startGateway(t, apiUrl, jupyter.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      timeout: 30_000,
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.gateway.close();
    await jupyter?.stop();
    await t?.close();
  });

  it('runs a cell over the kernel WebSocket, refuses /files/, and is cut on suspension', async () => {
    const { workspaceId, projectId } = ids;
    const opened = await request(t.app.getHttpServer())
      .post(`/workspaces/${workspaceId}/sessions`)
      .set('Authorization', `Bearer ${await t.env.token('ada', ['researcher'])}`);
    expect(opened.status).toBe(201);
    const openUrl = new URL(opened.body.openUrl as string);

    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    const kernelSockets: PageSocket[] = [];
    page.on('websocket', (socket) => {
      if (socket.url().includes('/channels')) kernelSockets.push(socket);
    });

    // The ticket opens the workspace and is dead afterwards.
    const landing = await page.goto(`${gw.url}${openUrl.pathname}${openUrl.search}`);
    expect(landing?.status()).toBe(200);
    expect(page.url()).toContain(`/w/${workspaceId}/tree`);

    await page.goto(`${gw.url}/w/${workspaceId}/notebooks/analysis.ipynb`);
    await page.waitForFunction(
      () => (globalThis as unknown as JupyterWindow).Jupyter?.notebook?.kernel?.is_connected() === true,
    );
    expect(kernelSockets[0].url()).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/w/${workspaceId}/api/kernels/`),
    );
    await page.evaluate(() =>
      (globalThis as unknown as JupyterWindow).Jupyter?.notebook?.execute_all_cells(),
    );
    await page.waitForFunction(
      (rows) => (globalThis as unknown as PageDocument).document.body.innerText.includes(`rows=${rows}`),
      ROWS,
    );

    const download = await page.request.get(`${gw.url}/w/${workspaceId}/files/data/extract.csv`);
    expect(download.status()).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const blocked = await dataSource.query<{ details: { path: string } }[]>(
      `SELECT details FROM audit_events WHERE subject_id = $1 AND action = 'workspace.download_blocked'`,
      [workspaceId],
    );
    expect(blocked.map((event) => event.details.path)).toEqual([`/w/${workspaceId}/files/data/extract.csv`]);

    const kernel = kernelSockets[0];
    const closedAt = new Promise<number>((resolve) => kernel.on('close', () => resolve(Date.now())));
    const started = Date.now();
    const suspended = await request(t.app.getHttpServer())
      .post(`/projects/${projectId}/suspend`)
      .set('Authorization', `Bearer ${await t.env.token('dan', ['dac_member'])}`)
      .send({ reason: 'Suspended for the test' });
    expect(suspended.status).toBeLessThan(300);
    const elapsed =
      (await Promise.race([closedAt, new Promise<number>((r) => setTimeout(() => r(Infinity), 5000))])) -
      started;
    expect(elapsed).toBeLessThan(2000);

    const next = await page.request.get(`${gw.url}/w/${workspaceId}/api/contents`);
    // Refused either way: the session already ended, or the project is no longer approved (whichever the API
    // sees first, as its record of the end races the next request).
    expect(next.status()).toBe(403);
    expect(await next.text()).toMatch(/^Refused: (session_ended|project_not_approved)$/);
    await page.close();
  }, 90_000);
});

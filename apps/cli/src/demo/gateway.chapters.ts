import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoFailure, expectStatus, type DemoChapter } from './demo-context';
import { story } from './project.chapters';

/**
 * With no cluster attached, this stands in for the workspace's tool (JupyterLab) behind the gateway: it
 * answers every path, and would serve files as downloads, so the demo shows the gateway refusing them first.
 */
export async function startToolStandIn(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url?.includes('/files/')) {
      res.writeHead(200, { 'content-disposition': 'attachment; filename="extract.csv"' });
      return void res.end('pseudonym,age_band\n');
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`JupyterLab (stand-in): ${req.url ?? '/'}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface WorkspaceBody {
  id: string;
  projectId: string;
}

/** Redeems a ticket the way a browser does (following nothing) and returns the session cookie. */
async function redeem(openUrl: string, gatewayUrl: string): Promise<string> {
  const url = new URL(openUrl);
  const response = await fetch(`${gatewayUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
  expectStatus(response.status, 303, 'redeeming the ticket');
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/**
 * The researcher opens the workspace through the access gateway with a one-time ticket; a download is refused;
 * suspending the project cuts the session at once. Last, because it suspends the project.
 */
export const gatewayChapters: DemoChapter[] = [
  {
    title: 'The researcher opens the workspace through the access gateway; a download is refused',
    async run({ call, people, say, show, gatewayUrl }) {
      const list = await call(people.researcher, 'GET', '/workspaces');
      const workspace = (list.body as { items: WorkspaceBody[] }).items.find(
        (w) => w.projectId === story.projectId,
      );
      if (!workspace) throw new DemoFailure('the project has no workspace');
      const opened = await call(people.researcher, 'POST', `/workspaces/${workspace.id}/sessions`);
      expectStatus(opened.status, 201, 'opening a session');
      const ticket = opened.body as { openUrl: string; expiresAt: string; sessionId: string };
      say(`one-time ticket until ${ticket.expiresAt}; the browser opens ${new URL(ticket.openUrl).pathname}`);
      const cookie = await redeem(ticket.openUrl, gatewayUrl);
      say('the gateway set an HttpOnly, SameSite=Strict cookie for this workspace only; the ticket is spent');
      const again = await fetch(
        `${gatewayUrl}${new URL(ticket.openUrl).pathname}${new URL(ticket.openUrl).search}`,
      );
      show('the same ticket again', `${again.status} ${await again.text()}`);
      const page = await fetch(`${gatewayUrl}/w/${workspace.id}/lab`, { headers: { cookie } });
      show('the tool through the gateway', `${page.status} ${await page.text()}`);
      const download = await fetch(`${gatewayUrl}/w/${workspace.id}/files/data/extract.csv`, {
        headers: { cookie },
      });
      show(
        'a download of the extract',
        `${download.status} ${await download.text()} (audited with its path)`,
      );
      if (download.status !== 403) throw new DemoFailure('the download was not refused');
      Object.assign(story, { workspaceId: workspace.id, cookie, sessionId: ticket.sessionId });
    },
  },
  {
    title: 'Suspending the project cuts the session at once',
    async run({ call, people, say, show, gatewayUrl }) {
      const { workspaceId, cookie, sessionId } = story as {
        workspaceId: string;
        cookie: string;
        sessionId: string;
      };
      const started = Date.now();
      const suspended = await call(people.reviewer, 'POST', `/projects/${story.projectId}/suspend`, {
        reason: 'Demo: a suspected breach of the data sharing agreement',
      });
      expectStatus(suspended.status, 204, 'suspending the project');
      const next = await fetch(`${gatewayUrl}/w/${workspaceId}/lab`, { headers: { cookie } });
      show(`the next request, ${Date.now() - started} ms later`, `${next.status} ${await next.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sessions = await call(people.admin, 'GET', '/sessions');
      const session = (sessions.body as { id: string; state: string; endReason: string | null }[]).find(
        (s) => s.id === sessionId,
      );
      show('the session, as an admin sees it', session);
      if (next.status !== 403) throw new DemoFailure('the session was not cut');
      say('ended (suspended) and audited; the workspace follows the project and is scaled to zero');
    },
  },
];

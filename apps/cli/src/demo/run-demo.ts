import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PEOPLE, mintDevToken } from '@tre/auth';
import { loadConfig, migrate } from '@tre/core';
import type { DemoChapter, DemoContext } from './demo-context';
import { airlockChapters } from './airlock.chapters';
import { auditHeadBefore, changesChapters } from './changes.chapters';
import { gatewayChapters, startToolStandIn } from './gateway.chapters';
import { foundationChapters } from './foundation.chapters';
import { extractChapters } from './extract.chapters';
import { loadChapters } from './load.chapters';
import { notificationChapters } from './notification.chapters';
import { workspaceChapters } from './workspace.chapters';
import { projectChapters, publicRecordChapters } from './project.chapters';
import { freePorts, startApp, stopApp, waitUntilReady } from './services';

/** The whole story, in order. Each feature adds its chapters here. */
const CHAPTERS: DemoChapter[] = [
  ...foundationChapters,
  ...projectChapters,
  ...extractChapters,
  ...workspaceChapters,
  ...loadChapters,
  ...publicRecordChapters,
  ...airlockChapters,
  ...notificationChapters,
  ...gatewayChapters,
  // Last: what this run changed, its own audit events and manifests.
  ...changesChapters,
];

// The demo's people (Sam, with two roles, is only for the web app's sign-in page: the story does not need him).
const { researcher, reviewer, secondReviewer, checker, secondChecker, custodian, admin } = DEMO_PEOPLE;
const PEOPLE = { researcher, reviewer, secondReviewer, checker, secondChecker, custodian, admin };

const print = (text: string) => process.stdout.write(`${text}\n`);

/**
 * `tre demo`: migrates the database, starts the API and the worker on free ports, mints a token for each
 * role and walks through the chapters, narrating; stops both apps at the end, whatever happened.
 */
export interface DemoOptions {
  /** Keep the services running after the story, with the web app, until SIGINT or SIGTERM. */
  readonly serve: boolean;
  /** The API's (and web app's) port; a free one when absent. */
  readonly port?: number;
}

export async function runDemo(options: DemoOptions = { serve: false }): Promise<void> {
  const config = loadConfig();
  print('TRE orchestration service: demo\n');
  const report = await migrate(config.databaseUrl);
  print(
    `Database ${new URL(config.databaseUrl).pathname.slice(1)}: ${report.applied.length ? `applied ${report.applied.join(', ')}` : 'up to date'}`,
  );

  const auditBaseline = await auditHeadBefore(config.databaseUrl);
  if (auditBaseline > 0) {
    print(
      `The audit trail already holds ${auditBaseline} event(s) from earlier runs; this run narrates only its own`,
    );
  }
  print(
    config.workspaceDriver === 'kubernetes'
      ? 'Workspaces go to the cluster of KUBECONFIG_PATH'
      : `No cluster attached: workspaces are only written as manifests, to ${config.workspaceManifestsDir}; nothing runs`,
  );

  const [freeApiPort, workerPort, metricsPort, gatewayPort] = await freePorts(4);
  const apiPort = options.port ?? freeApiPort;
  const logs = mkdtempSync(join(tmpdir(), 'tre-demo-'));
  // No cluster attached: a local stand-in plays the workspace's tool behind the gateway.
  const tool = await startToolStandIn();
  const env = {
    ...process.env,
    PORT: String(apiPort),
    WORKER_PORT: String(workerPort),
    API_METRICS_PORT: String(metricsPort),
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_API_URL: `http://127.0.0.1:${apiPort}`,
    GATEWAY_PUBLIC_URL: `http://localhost:${gatewayPort}`,
    GATEWAY_API_SECRET: process.env.GATEWAY_API_SECRET || randomBytes(24).toString('hex'),
    GATEWAY_LOCAL_UPSTREAMS: `*=${tool.url}`,
  };
  const apps: ChildProcess[] = [];
  try {
    apps.push(
      startApp('api', env, join(logs, 'api.log')),
      startApp('worker', env, join(logs, 'worker.log')),
      startApp('gateway', env, join(logs, 'gateway.log')),
    );
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const workerUrl = `http://127.0.0.1:${workerPort}`;
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await waitUntilReady(`${apiUrl}/ready`, apps[0], 'the API');
    await waitUntilReady(`${workerUrl}/ready`, apps[1], 'the worker');
    await waitUntilReady(`${gatewayUrl}/ready`, apps[2], 'the gateway');
    print(
      `API on ${apiUrl} (OpenAPI at ${apiUrl}/docs), worker health on ${workerUrl}, access gateway on ${gatewayUrl} (tool stand-in ${tool.url}); logs in ${logs}`,
    );

    const people = {} as DemoContext['people'];
    for (const [key, person] of Object.entries(PEOPLE) as [
      keyof typeof PEOPLE,
      (typeof PEOPLE)[keyof typeof PEOPLE],
    ][]) {
      const token = await mintDevToken(config.devKeyFile, { ...person, roles: [...person.roles] });
      people[key] = { ...person, roles: [...person.roles], token };
    }
    print(
      `Minted development tokens for ${Object.values(people)
        .map((p) => `${p.name} (${p.roles.join(',')})`)
        .join(', ')}`,
    );

    const context: DemoContext = {
      apiUrl,
      auditBaseline,
      localOutputsDir: config.workspaceLocalOutputsDir,
      workerUrl,
      gatewayUrl,
      people,
      say: (text) => print(`   ${text}`),
      show: (label, value) => print(`   ${label}: ${JSON.stringify(value)}`),
      call: async (persona, method, path, body, contentType) => {
        const response = await fetch(`${apiUrl}${path}`, {
          method,
          headers: {
            ...(persona ? { Authorization: `Bearer ${persona.token}` } : {}),
            ...(body === undefined ? {} : { 'Content-Type': contentType ?? 'application/json' }),
          },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        const text = await response.text();
        const json = response.headers.get('content-type')?.includes('application/json');
        return { status: response.status, body: json && text ? (JSON.parse(text) as unknown) : text };
      },
    };
    for (const [index, chapter] of CHAPTERS.entries()) {
      print(`\n${index + 1}. ${chapter.title}`);
      await chapter.run(context);
    }
    print('\nDemo complete.');
    printWebApp(`http://localhost:${apiPort}/app/`, options.serve);
    if (options.serve) await untilStopped();
  } finally {
    await Promise.all(apps.map(stopApp));
    tool.server.close();
  }
}

/** The web app's address and who to sign in as; with --serve, how to stop. */
function printWebApp(url: string, serving: boolean): void {
  const people = Object.values(DEMO_PEOPLE)
    .map((person) => `${person.name} (${person.roles.join(', ')})`)
    .join(', ');
  print(`\nWeb app: ${url}`);
  print(`   sign in there as each of the demo's people: ${people}`);
  print(
    serving
      ? "   the API, worker and gateway keep running with the demo's data; Ctrl-C stops them"
      : '   the services stop now; `npm run demo -- --serve` keeps them running to look around',
  );
}

/** Resolves on Ctrl-C or SIGTERM, so the demo's finally block stops the services it started. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      print('\nStopping the services ...');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

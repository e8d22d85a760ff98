import { randomUUID } from 'node:crypto';
import { DiscoveryService } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CACHED_READ } from '../../apps/api/src/read-cache/cached-read.decorator';
import { approvedProject } from './output-fixtures';
import { application, callerAs, type Caller } from './project-fixtures';
import type { TestApp } from './test-app';

/** One request to a @CachedRead route (`Controller.method`), as the caller its page polls as. */
export interface CachedRouteExample {
  readonly route: string;
  readonly url: string;
  /** Undefined: anonymous (the public register). */
  readonly as: Caller | undefined;
}

export const getAs = (t: TestApp, example: CachedRouteExample): request.Test =>
  example.as ? example.as.get(example.url) : request(t.app.getHttpServer()).get(example.url);

/**
 * Rows for every cached route to show (an approved project with a workspace, an application awaiting the
 * committee, an output request in review), and a request to each route that takes each branch the web app's
 * pages take (each scope, each role).
 */
export async function cachedRouteExamples(t: TestApp): Promise<CachedRouteExample[]> {
  const dataSource = t.app.get(DataSource);
  const lead = await callerAs(t, 'rita', ['researcher']);
  const dac = await callerAs(t, 'dev', ['dac_member']);
  const checker = await callerAs(t, 'carl', ['output_checker']);
  const admin = await callerAs(t, 'ada', ['admin']);
  const custodian = await callerAs(t, 'cara', ['data_custodian']);
  const projectId = await approvedProject(lead, custodian, [dac, await callerAs(t, 'dora', ['dac_member'])]);
  const awaiting = (await lead.post('/projects', application({ title: 'Awaiting the committee' }))).body;
  expect((await lead.post(`/projects/${awaiting.id as string}/submit`)).status).toBe(204);
  const outputId = (await lead.post('/outputs', { projectId, title: 'Tables' })).body.id as string;
  await dataSource.query(
    `UPDATE output_requests SET status = 'in_review', round = 1, submitted_at = now() WHERE id = $1`,
    [outputId],
  );
  const [approval] = await dataSource.query<{ id: string }[]>(
    `SELECT id FROM project_approvals WHERE project_id = $1`,
    [projectId],
  );
  const workspaceId = randomUUID();
  await dataSource.query(
    `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state)
     VALUES ($1, $2, $3, 'small', 'jupyterlab', 'ws-cached-routes', 'ready')`,
    [workspaceId, projectId, approval.id],
  );
  return [
    { route: 'RegisterController.list', as: undefined, url: '/register?pageSize=20' },
    { route: 'RegisterController.entry', as: undefined, url: `/register/${projectId}` },
    { route: 'ProjectsController.list', as: lead, url: '/projects?scope=mine&pageSize=20' },
    { route: 'ProjectsController.list', as: dac, url: '/projects?scope=awaiting_review' },
    { route: 'ProjectsController.list', as: admin, url: '/projects?status=approved' },
    { route: 'ProjectsController.get', as: lead, url: `/projects/${projectId}` },
    { route: 'ProjectsController.get', as: dac, url: `/projects/${projectId}` },
    { route: 'ProjectsController.timeline', as: lead, url: `/projects/${projectId}/timeline` },
    { route: 'ProjectsController.timeline', as: dac, url: `/projects/${projectId}/timeline` },
    { route: 'OutputsController.list', as: lead, url: '/outputs?scope=mine&pageSize=20' },
    { route: 'OutputsController.list', as: checker, url: '/outputs?scope=awaiting_review' },
    { route: 'OutputsController.list', as: admin, url: `/outputs?projectId=${projectId}` },
    { route: 'OutputsController.detail', as: lead, url: `/outputs/${outputId}` },
    { route: 'OutputsController.detail', as: checker, url: `/outputs/${outputId}` },
    { route: 'WorkspacesController.list', as: lead, url: '/workspaces?pageSize=20' },
    { route: 'WorkspacesController.list', as: admin, url: '/workspaces' },
    { route: 'WorkspacesController.detail', as: lead, url: `/workspaces/${workspaceId}` },
    { route: 'AuditController.list', as: admin, url: '/audit?action=project.approved&pageSize=50' },
    { route: 'AuditController.list', as: admin, url: `/audit?subjectType=project&subjectId=${projectId}` },
    { route: 'NotificationsController.list', as: lead, url: '/me/notifications?page=1&pageSize=1' },
  ];
}

/** Every handler marked @CachedRead, as `Controller.method`, with the tables it names. */
export function declaredRoutes(t: TestApp): { route: string; tables: string[] }[] {
  const routes: { route: string; tables: string[] }[] = [];
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const prototype = (wrapper.metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
    if (!prototype) continue;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function') continue;
      const tables = Reflect.getMetadata(CACHED_READ, handler) as string[] | undefined;
      if (tables) routes.push({ route: `${wrapper.name}.${name}`, tables });
    }
  }
  return routes;
}

export const tablesDeclaredBy = (t: TestApp, route: string): string[] =>
  declaredRoutes(t).find((r) => r.route === route)?.tables ?? [];

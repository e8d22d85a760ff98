import type { IdentityProvider } from './identity-provider';
import { uuidOf } from './ids';
import { PROJECT_STATUSES, STAFF, subjectOf, type SeedVolume } from './seed';

export type Target = { path: string; headers: Record<string, string> };

/** How many distinct callers (and rows) each route's load cycles through. */
const CALLERS = 100;

/**
 * The routes the web app calls most, each as the role whose page calls it, over many callers and rows, so no
 * one row or token is all the load (the caches are tried as they would be, not flattered).
 */
export async function routeTargets(
  idp: IdentityProvider,
  volume: SeedVolume,
): Promise<Record<string, Target[]>> {
  const tokens = new Map<string, string>();
  const bearer = async (role: string, n: number): Promise<Record<string, string>> => {
    const subject = subjectOf(role, n);
    if (!tokens.has(subject)) tokens.set(subject, await idp.token(subject, [role]));
    return { authorization: `Bearer ${tokens.get(subject)}` };
  };
  // Project n's lead is researcher n % researchers; approved projects have a ready workspace.
  const approved = range(volume.projects).filter(
    (n) => PROJECT_STATUSES[n % PROJECT_STATUSES.length] === 'approved',
  );
  const each = async (count: number, make: (k: number) => Promise<Target>) =>
    Promise.all(range(Math.min(CALLERS, count)).map(make));
  const asLead = (n: number) => bearer('researcher', n % volume.researchers);
  return {
    // No database and no token: what the HTTP stack alone (Nest, Express, helmet, logging, the limiter's Redis
    // call) costs a request, the floor under every other route.
    stack_floor: [{ path: '/web-config', headers: {} }],
    register: await each(5, async (k) => ({ path: `/register?page=${k + 1}&pageSize=20`, headers: {} })),
    project_detail: await each(approved.length, async (k) => ({
      path: `/projects/${uuidOf('project', approved[k])}`,
      headers: await asLead(approved[k]),
    })),
    project_timeline: await each(approved.length, async (k) => ({
      path: `/projects/${uuidOf('project', approved[k])}/timeline?pageSize=50`,
      headers: await asLead(approved[k]),
    })),
    my_projects: await each(volume.researchers, async (k) => ({
      path: '/projects?scope=mine&pageSize=20',
      headers: await bearer('researcher', k),
    })),
    my_outputs: await each(volume.researchers, async (k) => ({
      path: '/outputs?scope=mine&pageSize=20',
      headers: await bearer('researcher', k),
    })),
    my_workspaces: await each(volume.researchers, async (k) => ({
      path: '/workspaces?pageSize=20',
      headers: await bearer('researcher', k),
    })),
    checker_queue: await each(STAFF.output_checker, async (k) => ({
      path: '/outputs?scope=awaiting_review&pageSize=20',
      headers: await bearer('output_checker', k),
    })),
    dac_queue: await each(STAFF.dac_member, async (k) => ({
      path: '/projects?scope=awaiting_review&pageSize=20',
      headers: await bearer('dac_member', k),
    })),
    workspace_status: await each(approved.length, async (k) => ({
      path: `/workspaces/${uuidOf('workspace', approved[k])}`,
      headers: await asLead(approved[k]),
    })),
    audit_filtered: await each(30, async (k) => {
      const filters = [
        `action=project.approved`,
        `subjectType=project&subjectId=${uuidOf('project', k)}`,
        `actorId=${uuidOf('user-researcher', k % volume.researchers)}`,
      ];
      return {
        path: `/audit?${filters[k % 3]}&pageSize=50`,
        headers: await bearer('admin', k % STAFF.admin),
      };
    }),
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, k) => k);

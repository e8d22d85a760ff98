import { Client } from 'pg';
import { DemoFailure, expectStatus, type DemoChapter } from './demo-context';
import { story } from './project.chapters';

export interface AuditItem {
  seq: number;
  action: string;
  actorId: string;
  subjectType: string;
  subjectId: string | null;
}

/**
 * The newest audit sequence number before the demo starts anything: on a database that is not new, what came
 * before belongs to earlier runs, and the demo narrates only what is after it.
 */
export async function auditHeadBefore(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string }>(
      'SELECT coalesce(max(seq), 0)::text AS seq FROM audit_events',
    );
    return Number(rows[0]?.seq ?? 0);
  } finally {
    await client.end();
  }
}

/** One audit line, naming its subject (a namespace, a project, a user) so a reader can tell whose it is. */
export const describeAuditItem = (event: AuditItem): string =>
  `#${event.seq} ${event.action} ${event.subjectType}${event.subjectId ? ` ${event.subjectId}` : ''} by ${event.actorId}`;

/** Every event after `after`, oldest first, paging back through the listing (newest first) until it is reached. */
export async function auditSince(
  call: Parameters<DemoChapter['run']>[0]['call'],
  admin: Parameters<DemoChapter['run']>[0]['people']['admin'],
  after: number,
): Promise<AuditItem[]> {
  const events: AuditItem[] = [];
  // By cursor, not page number: events written meanwhile would shift numbered pages and repeat a line.
  let cursor: number | null = null;
  do {
    const response = await call(
      admin,
      'GET',
      `/audit?pageSize=200${cursor === null ? '' : `&beforeSeq=${cursor}`}`,
    );
    expectStatus(response.status, 200, 'audit listing');
    const page = response.body as { items: AuditItem[]; nextBeforeSeq: number | null };
    events.push(...page.items.filter((event) => event.seq > after));
    cursor = page.items.some((event) => event.seq <= after) ? null : page.nextBeforeSeq;
  } while (cursor !== null);
  return events.sort((a, b) => a.seq - b.seq);
}

interface WorkspaceBody {
  projectId: string;
  namespace: string;
  state: string;
  cluster: 'attached' | 'none';
  clusterTarget: string;
  clusterNotice: string | null;
}

/** The end of the story: what this run changed, and nothing it did not. */
export const changesChapters: DemoChapter[] = [
  {
    title: 'What this run changed',
    async run({ auditBaseline, call, people, say }) {
      const events = await auditSince(call, people.admin, auditBaseline);
      if (events.length === 0) throw new DemoFailure('the audit trail holds nothing from this run');
      const byAction = new Map<string, number>();
      for (const event of events) byAction.set(event.action, (byAction.get(event.action) ?? 0) + 1);
      say(
        `${events.length} audit event(s), #${events[0].seq} to #${events[events.length - 1].seq}` +
          (auditBaseline ? ` (the ${auditBaseline} before them are earlier runs', untouched)` : ''),
      );
      for (const [action, count] of [...byAction].sort((a, b) => a[0].localeCompare(b[0])))
        say(`  ${String(count).padStart(3)} ${action}`);
      const strangers = events.filter((event) => event.action === 'workspace.orphan_namespace_found');
      for (const orphan of strangers)
        say(`  a namespace no workspace owns was found (reported, not deleted): ${orphan.subjectId}`);
      say(`project ${story.projectId}`);
      const workspaces = (
        (await call(people.researcher, 'GET', '/workspaces?pageSize=200')).body as { items: WorkspaceBody[] }
      ).items;
      const workspace = workspaces.find((w) => w.projectId === story.projectId);
      if (workspace) {
        say(`workspace namespace ${workspace.namespace}: ${workspace.state}, ${workspace.clusterTarget}`);
        if (workspace.clusterNotice) say(workspace.clusterNotice);
      }
    },
  },
];

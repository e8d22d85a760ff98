import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue, type JobName, type JobPayloads } from '@tre/core';
import { NOTIFYING_EVENTS } from '@tre/notifications';

/** How long a notification's job may take to run before the sweep takes it for lost (and queues it again). */
const LOST_JOB_GRACE = '2 minutes';
/**
 * How far back the sweep looks for events never delivered. A worker relays events, and the same worker sweeps
 * every CONVERGENCE_SWEEP_SECONDS and at start-up, so a lost delivery is found within minutes; the bound keeps
 * each pass to a range of `domain_events_dispatched_at_idx` rather than the whole outbox, which only grows.
 */
const LOST_DELIVERY_HORIZON = '7 days';

export interface ConvergenceReport {
  /** `job name: subject id` of every job enqueued again. */
  readonly requeued: string[];
}

interface ApprovalInForce {
  approval_id: string;
  project_id: string;
  project_status: string;
  extract_status: string | null;
  workspace_id: string | null;
  workspace_state: string | null;
  workspace_operation: string | null;
  operation_unfinished: boolean | null;
}

/**
 * Postgres is the truth; Redis only carries work to the worker, and can lose it (a restart without an
 * append-only file, an eviction). The outbox relay marks an event dispatched once its jobs are in Redis, so a
 * job lost afterwards would never run: an approved project would wait for ever for its extract or workspace.
 *
 * This sweep reads what Postgres says should be happening and enqueues again what no live job is doing: the
 * extract of each approval in force that is not ready (none yet, pending, or left running), its workspace
 * when none was requested, a workspace operation whose steps are unfinished, and a workspace that does not
 * follow its project's status (suspended, resumed, ended: the follow-up job carrying the change was lost), an
 * output collection or listing still queued (or left running before its grant was issued), an event's
 * notifications never delivered, and a notification email still undecided. Every job has a fixed id per subject
 * and re-reads the state it acts on, so enqueueing one that is already there, or that has just finished, changes
 * nothing.
 * A failed extract is not retried: failure is a recorded outcome that a person acts on.
 */
@Injectable()
export class ConvergenceSweep {
  private readonly logger = new Logger(ConvergenceSweep.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async sweep(): Promise<ConvergenceReport> {
    const requeued: string[] = [];
    const ensure = async <N extends JobName>(name: N, payload: JobPayloads[N], subject: string) => {
      if (await this.jobs.isLive(name, payload)) return;
      await this.jobs.requeue(name, payload);
      requeued.push(`${name}: ${subject}`);
    };
    for (const row of await this.approvalsInForce()) {
      const approvalId = row.approval_id;
      if (row.extract_status === null || ['pending', 'running'].includes(row.extract_status)) {
        await ensure('extracts.build', { approvalId }, approvalId);
      }
      if (row.workspace_id === null) {
        await ensure('workspaces.request', { approvalId }, approvalId);
        continue;
      }
      await this.workspace(row, row.workspace_id, ensure);
    }
    // A collection or listing queued in the cluster whose job Redis lost would block the next for ever; one
    // left running before its grant was issued (the worker died, its job lost) has nothing in the cluster
    // yet, so it is resumed: the runner skips the steps recorded done and issues the grant afresh.
    for (const collectionId of await this.unstartedRuns('output_collections')) {
      await ensure('outputs.collect', { collectionId }, collectionId);
    }
    for (const listingId of await this.unstartedRuns('output_listings')) {
      await ensure('outputs.list', { listingId }, listingId);
    }
    for (const projectId of await this.endedButNotFollowed()) {
      await this.jobs.enqueue('workspaces.follow-project', { projectId });
      requeued.push(`workspaces.follow-project: ${projectId}`);
    }
    for (const eventId of await this.deliveriesLost()) {
      await ensure('notifications.deliver', { eventId }, eventId);
    }
    for (const notificationId of await this.emailsWaiting()) {
      await ensure('notifications.email', { notificationId }, notificationId);
    }
    if (requeued.length) {
      this.logger.warn({ requeued }, 'Work Postgres asks for had no job in Redis: enqueued again');
    }
    return { requeued };
  }

  private async workspace(
    row: ApprovalInForce,
    workspaceId: string,
    ensure: <N extends JobName>(name: N, payload: JobPayloads[N], subject: string) => Promise<void>,
  ): Promise<void> {
    const state = row.workspace_state;
    if (state === 'requested' || state === 'provisioning') {
      await ensure('workspaces.provision', { workspaceId }, workspaceId);
      return;
    }
    if (
      row.operation_unfinished &&
      (row.workspace_operation === 'suspend' || row.workspace_operation === 'resume')
    ) {
      await ensure(`workspaces.${row.workspace_operation}`, { workspaceId }, workspaceId);
      return;
    }
    const projectSuspended = row.project_status === 'suspended' && state === 'ready';
    const projectResumed = row.project_status === 'approved' && state === 'suspended';
    if (projectSuspended || projectResumed) {
      // follow-project ids are new each time; the handler reads the project's status and acts once.
      await this.jobs.enqueue('workspaces.follow-project', { projectId: row.project_id });
      return;
    }
  }

  /**
   * Collector runs (collections or listings, a cluster attached) queued for the worker, or left running for a
   * minute without a grant: no worker is on them unless their job is live (which `ensure` asks). One with a
   * grant is the reconciler's once the grant is dead: its objects may be in the cluster.
   */
  private async unstartedRuns(table: 'output_collections' | 'output_listings'): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT "id" FROM "${table}"
        WHERE "runner" = 'kubernetes'
          AND ("state" = 'queued'
               OR ("state" = 'running' AND "grant_id" IS NULL AND "updated_at" < now() - interval '1 minute'))`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Events that notify, dispatched a while ago, whose notifications were never worked out: the relay handed
   * Redis their `notifications.deliver` job and Redis lost it. The job's fixed id (per event) and the inbox
   * rows' key (per event and person) keep a delivery that is merely slow from happening twice.
   */
  private async deliveriesLost(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT e.id::text AS id FROM domain_events e
        WHERE e.type = ANY ($1::text[])
          AND e.dispatched_at < now() - $2::interval
          AND e.dispatched_at > now() - $3::interval
          AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.event_id = e.id)
        ORDER BY e.id LIMIT 500`,
      [NOTIFYING_EVENTS, LOST_JOB_GRACE, LOST_DELIVERY_HORIZON],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Notification emails still undecided a while after their row was written: their job was lost, or the worker
   * stopped between writing the rows and queueing the emails. The job id is the notification's, and the email
   * job sends only while the row is pending, so one already queued or sent is not sent again.
   */
  private async emailsWaiting(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notifications
        WHERE email_status = 'pending' AND created_at < now() - $1::interval
        ORDER BY created_at LIMIT 500`,
      [LOST_JOB_GRACE],
    );
    return rows.map((row) => row.id);
  }

  /** Projects that ended while a workspace of theirs is neither being torn down nor due to be. */
  private async endedButNotFollowed(): Promise<string[]> {
    const rows = await this.dataSource.query<{ project_id: string }[]>(
      `SELECT DISTINCT w.project_id
         FROM workspaces w JOIN projects p ON p.id = w.project_id
        WHERE p.status IN ('revoked', 'expired', 'closed')
          AND w.state NOT IN ('deprovisioning', 'deleted', 'failed')
          AND w.teardown_due_at IS NULL`,
    );
    return rows.map((row) => row.project_id);
  }

  /**
   * The latest approval of each project that is approved or suspended, with its extract and workspace (one
   * per approval) and whether the steps of the workspace's current operation are all done.
   */
  private approvalsInForce(): Promise<ApprovalInForce[]> {
    return this.dataSource.query<ApprovalInForce[]>(
      `SELECT DISTINCT ON (a.project_id)
              a.id AS approval_id, a.project_id, p.status AS project_status,
              e.status AS extract_status,
              w.id AS workspace_id, w.state AS workspace_state, w.operation AS workspace_operation,
              EXISTS (SELECT 1 FROM jsonb_array_elements(w.steps) s WHERE s->>'state' <> 'done') AS operation_unfinished
         FROM project_approvals a
         JOIN projects p ON p.id = a.project_id
         LEFT JOIN extracts e ON e.approval_id = a.id
         LEFT JOIN workspaces w ON w.approval_id = a.id
        WHERE p.status IN ('approved', 'suspended')
        ORDER BY a.project_id, a.approval_version DESC`,
    );
  }
}

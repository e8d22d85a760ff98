import type { JobsOptions } from 'bullmq';

/** Queues group jobs that share a worker pool; each queue gets its own BullMQ Worker. */
export const QUEUES = ['audit', 'projects', 'events', 'extracts', 'outputs', 'workspaces'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * Payloads carry ids only: a handler re-reads the current state and does nothing when nothing is left to do.
 * Add a job here, then one handler for it in apps/worker; the worker refuses to start until both agree.
 */
export interface JobPayloads {
  /** Re-verify the whole audit chain and publish the result as a metric. */
  'audit.verify-chain': Record<string, never>;
  /** Extend the transparency log from the audit trail and sign its head (on a schedule, after approvals and releases). */
  'transparency.checkpoint': Record<string, never>;
  /** Delete the extracts and outputs of ended projects whose retention is over (a sweep; safe to run twice). */
  'retention.sweep': Record<string, never>;
  /** Expire every approved project whose end date has passed (a sweep; safe to run twice). */
  'projects.expire-due': Record<string, never>;
  /** Hand new domain events from the outbox to the jobs that subscribe to them. */
  'events.dispatch': Record<string, never>;
  /** Write the in-app notifications one domain event calls for and queue their emails (once per event and person). */
  'notifications.deliver': { eventId: string };
  /** Send the email of one notification, if its recipient has an address and wants email (retried with backoff). */
  'notifications.email': { notificationId: string };
  /** Warn the people concerned of projects and accreditations about to lapse (a daily sweep; once per window). */
  'notifications.lapse-warnings': Record<string, never>;
  /** Compare Postgres with the queues and enqueue again the work Redis lost (a sweep; safe to run twice). */
  'events.converge': Record<string, never>;
  /** Build the extract of one approval (one extract per approval version). */
  'extracts.build': { approvalId: string };
  /** Run the automated disclosure checks on one submission (round) of an output request. */
  'outputs.check': { requestId: string; round: number };
  /** Run one collection: a collector Job in the workspace's namespace, its grant and path out, then clean-up. */
  'outputs.collect': { collectionId: string };
  /** Run one listing: a collector Job in list mode in the workspace's namespace, then clean-up. */
  'outputs.list': { listingId: string };
  /** Create the workspace an approval asks for (requested) and start provisioning it. */
  'workspaces.request': { approvalId: string };
  /** Bring a project's workspace in line with the project's status (suspended, resumed, ended). */
  'workspaces.follow-project': { projectId: string };
  /** Create or complete a workspace in the cluster, step by step, resuming from the recorded steps. */
  'workspaces.provision': { workspaceId: string };
  /** Scale the analysis tool to zero, keeping the volumes. */
  'workspaces.suspend': { workspaceId: string };
  /** Scale the analysis tool back up. */
  'workspaces.resume': { workspaceId: string };
  /** Delete the workspace namespace and everything in it. */
  'workspaces.teardown': { workspaceId: string };
  /** Compare every live workspace with its desired state, repair drift, report unowned namespaces. */
  'workspaces.reconcile': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export interface JobSpec<N extends JobName> {
  readonly queue: QueueName;
  /** A fixed id per logical job stops duplicates: enqueueing the same work twice keeps one job. BullMQ refuses ':' in ids. */
  readonly jobId: (payload: JobPayloads[N]) => string;
  /** Retries with backoff, declared per job. */
  readonly options: Pick<JobsOptions, 'attempts' | 'backoff'>;
}

export const JOBS: { readonly [N in JobName]: JobSpec<N> } = {
  'audit.verify-chain': {
    queue: 'audit',
    // Each request is new work (the chain may have grown since), and a duplicate run is harmless.
    jobId: () => `audit.verify-chain-${Date.now()}`,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  },
  'transparency.checkpoint': {
    queue: 'audit',
    // A checkpoint asked for later must run later: the log may have grown. Two in a row sign at most once.
    jobId: () => `transparency.checkpoint-${Date.now()}`,
    options: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  'projects.expire-due': {
    queue: 'projects',
    jobId: () => `projects.expire-due-${Date.now()}`,
    options: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 } },
  },
  'retention.sweep': {
    queue: 'projects',
    jobId: () => `retention.sweep-${Date.now()}`,
    options: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } },
  },
  'events.dispatch': {
    queue: 'events',
    jobId: () => `events.dispatch-${Date.now()}`,
    options: { attempts: 3, backoff: { type: 'fixed', delay: 1_000 } },
  },
  'events.converge': {
    queue: 'events',
    jobId: () => `events.converge-${Date.now()}`,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  },
  'notifications.deliver': {
    queue: 'events',
    // One delivery per event: a re-dispatched event adds nothing (and the rows are unique per event and person).
    jobId: ({ eventId }) => `notifications.deliver-${eventId}`,
    options: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
  },
  'notifications.email': {
    queue: 'events',
    jobId: ({ notificationId }) => `notifications.email-${notificationId}`,
    // An SMTP server that is away for a while is waited for: the `mail` backoff (MAIL_RETRY_DELAY_SECONDS,
    // doubling, at most an hour) over a day or so. The inbox row is written before and stays whatever happens.
    options: { attempts: 12, backoff: { type: 'mail' } },
  },
  'notifications.lapse-warnings': {
    queue: 'events',
    jobId: () => `notifications.lapse-warnings-${Date.now()}`,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  },
  'extracts.build': {
    queue: 'extracts',
    jobId: ({ approvalId }) => `extracts.build-${approvalId}`,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } },
  },
  'outputs.check': {
    queue: 'outputs',
    // One check per submission: a resubmission is a new round, so a new job.
    jobId: ({ requestId, round }) => `outputs.check-${requestId}-${round}`,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } },
  },
  'outputs.collect': {
    queue: 'outputs',
    jobId: ({ collectionId }) => `outputs.collect-${collectionId}`,
    // One attempt: the collection's last step removes its grant, Job, Secret and path out whatever happened,
    // and a member starts a new one. A worker that dies mid-way is replaced (a stalled job runs again and
    // resumes from the recorded steps); the reconciler removes what is left if none does.
    options: { attempts: 1 },
  },
  'outputs.list': {
    queue: 'outputs',
    jobId: ({ listingId }) => `outputs.list-${listingId}`,
    // As a collection: one attempt, clean-up always; a member lists again.
    options: { attempts: 1 },
  },
  'workspaces.request': {
    queue: 'workspaces',
    jobId: ({ approvalId }) => `workspaces.request-${approvalId}`,
    options: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
  },
  'workspaces.follow-project': {
    queue: 'workspaces',
    // Each event is new work; following twice is harmless (the handler reads the project's current status).
    jobId: ({ projectId }) => `workspaces.follow-project-${projectId}-${Date.now()}`,
    options: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
  },
  // The cluster jobs back off by the `workspace` strategy (WORKSPACE_RETRY_DELAY_SECONDS, doubling, at most
  // 5 minutes), which the worker supplies and the recorded steps quote as their next retry.
  'workspaces.provision': {
    queue: 'workspaces',
    jobId: ({ workspaceId }) => `workspaces.provision-${workspaceId}`,
    options: { attempts: 10, backoff: { type: 'workspace' } },
  },
  'workspaces.suspend': {
    queue: 'workspaces',
    jobId: ({ workspaceId }) => `workspaces.suspend-${workspaceId}`,
    options: { attempts: 8, backoff: { type: 'workspace' } },
  },
  'workspaces.resume': {
    queue: 'workspaces',
    jobId: ({ workspaceId }) => `workspaces.resume-${workspaceId}`,
    options: { attempts: 8, backoff: { type: 'workspace' } },
  },
  'workspaces.teardown': {
    queue: 'workspaces',
    jobId: ({ workspaceId }) => `workspaces.teardown-${workspaceId}`,
    options: { attempts: 10, backoff: { type: 'workspace' } },
  },
  'workspaces.reconcile': {
    queue: 'workspaces',
    jobId: () => `workspaces.reconcile-${Date.now()}`,
    options: { attempts: 2, backoff: { type: 'fixed', delay: 30_000 } },
  },
};

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Finished jobs are kept for a while for inspection, then dropped, so Redis does not grow without bound. */
export const RETENTION: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
};

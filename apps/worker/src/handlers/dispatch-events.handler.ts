import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEventEntity, JobQueue, type DomainEventType, type JobName, type JobPayloads } from '@tre/core';
import { NOTIFYING_EVENTS } from '@tre/notifications';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

type Subscription = (
  payload: Record<string, string | number>,
  eventId: string,
) => { [N in JobName]: [N, JobPayloads[N]] }[JobName];

/** Which jobs each domain event starts. Job ids are fixed per subject, so a re-dispatched event adds nothing. */
const WORK: Partial<Record<DomainEventType, Subscription[]>> = {
  'project.approved': [
    (p) => ['extracts.build', { approvalId: String(p.approvalId) }],
    (p) => ['workspaces.request', { approvalId: String(p.approvalId) }],
    () => ['transparency.checkpoint', {}],
  ],
  'project.suspended': [(p) => ['workspaces.follow-project', { projectId: String(p.projectId) }]],
  'project.resumed': [(p) => ['workspaces.follow-project', { projectId: String(p.projectId) }]],
  'project.revoked': [(p) => ['workspaces.follow-project', { projectId: String(p.projectId) }]],
  'project.expired': [(p) => ['workspaces.follow-project', { projectId: String(p.projectId) }]],
  'project.closed': [(p) => ['workspaces.follow-project', { projectId: String(p.projectId) }]],
  'output.submitted': [(p) => ['outputs.check', { requestId: String(p.requestId), round: Number(p.round) }]],
  'output.released': [() => ['transparency.checkpoint', {}]],
};

/** Every event someone hears of also delivers its notifications (recipients are computed from live state). */
const notify: Subscription = (_, eventId) => ['notifications.deliver', { eventId }];

const SUBSCRIPTIONS: Partial<Record<DomainEventType, Subscription[]>> = { ...WORK };
for (const type of NOTIFYING_EVENTS) SUBSCRIPTIONS[type] = [...(WORK[type] ?? []), notify];

const BATCH = 100;

/**
 * Relays the transactional outbox: takes undispatched events in order (skipping rows another worker holds),
 * enqueues their subscribers' jobs and marks them dispatched, in one transaction. At least once, and
 * idempotent through the jobs' fixed ids.
 */
@Injectable()
@HandlesJob('events.dispatch')
export class DispatchEventsHandler implements JobHandler<'events.dispatch'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    const dispatched = await this.dataSource.transaction(async (manager) => {
      const events = await manager
        .getRepository(DomainEventEntity)
        .createQueryBuilder('e')
        .where('e.dispatched_at IS NULL')
        .orderBy('e.id')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const event of events) {
        for (const subscription of SUBSCRIPTIONS[event.type as DomainEventType] ?? []) {
          const [name, payload] = subscription(event.payload, event.id);
          await this.jobs.enqueue(name, payload);
        }
      }
      if (events.length) {
        await manager.update(
          DomainEventEntity,
          events.map((e) => e.id),
          { dispatchedAt: new Date() },
        );
      }
      return events.length;
    });
    await attempt.progress(100, `dispatched ${dispatched} event(s)`);
  }
}

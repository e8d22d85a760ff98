import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainEventEntity } from './domain-event.entity';
import { EventAnnouncer } from './event-announcer';
import type { DomainEventPayloads, DomainEventType } from './domain-events';

@Injectable()
export class Outbox {
  constructor(private readonly announcer: EventAnnouncer) {}

  /** Records an event inside the caller's transaction; it becomes visible to the dispatcher at commit. */
  async record<T extends DomainEventType>(
    manager: EntityManager,
    type: T,
    aggregate: { type: string; id: string },
    payload: DomainEventPayloads[T],
  ): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.record must run inside the transaction of the change it announces');
    }
    await manager.insert(DomainEventEntity, {
      type,
      aggregateType: aggregate.type,
      aggregateId: aggregate.id,
      payload,
    });
    this.announcer.hold(manager.queryRunner, { type, aggregate, payload: { ...payload } });
  }
}

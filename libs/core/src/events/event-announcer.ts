import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/settings';
import { redisOptionsFromUrl } from '../queue/redis-options';

/** A committed domain event as announced on Redis: the outbox row's type, aggregate and payload of ids. */
export interface AnnouncedEvent {
  type: string;
  aggregate: { type: string; id: string };
  payload: Record<string, string | number>;
}

/** The pub/sub channel of committed domain events under a queue prefix. */
export const eventsChannel = (queuePrefix: string): string => `${queuePrefix}:events`;

/**
 * Announces each outbox event on Redis pub/sub the moment its transaction commits, for listeners that must act
 * within seconds (the access gateway cuts sessions on a suspension). The outbox relay stays the reliable,
 * at-least-once path; this is best effort and fast: nothing is published for a transaction that rolls back,
 * and a failed publish is logged, not retried (the gateway's periodic re-check catches what is missed).
 */
@Injectable()
export class EventAnnouncer implements EntitySubscriberInterface, OnModuleDestroy {
  private readonly logger = new Logger(EventAnnouncer.name);
  private readonly pending = new WeakMap<QueryRunner, AnnouncedEvent[]>();
  private redis?: Redis;
  private closed = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    dataSource.subscribers.push(this);
  }

  /** Holds an event until the transaction of `queryRunner` commits. */
  hold(queryRunner: QueryRunner, event: AnnouncedEvent): void {
    const list = this.pending.get(queryRunner) ?? [];
    list.push(event);
    this.pending.set(queryRunner, list);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint also broadcasts a commit: only the outermost commit makes the events true.
    if (event.queryRunner.isTransactionActive) return;
    const list = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    for (const announced of list ?? []) void this.publish(announced);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.redis?.quit().catch(() => undefined);
  }

  private async publish(event: AnnouncedEvent): Promise<void> {
    // A commit that lands during shutdown would open a connection nothing closes; the gateway's periodic
    // re-check still catches what this announcement would have said.
    if (this.closed) return;
    try {
      this.redis ??= new Redis({ ...redisOptionsFromUrl(this.config.redisUrl), maxRetriesPerRequest: 1 });
      await this.redis.publish(eventsChannel(this.config.queuePrefix), JSON.stringify(event));
    } catch (error: unknown) {
      this.logger.warn(`could not announce ${event.type}: ${(error as Error).message}`);
    }
  }
}

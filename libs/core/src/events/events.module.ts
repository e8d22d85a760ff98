import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventEntity } from './domain-event.entity';
import { EventAnnouncer } from './event-announcer';
import { Outbox } from './outbox.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([DomainEventEntity])],
  providers: [EventAnnouncer, Outbox],
  exports: [Outbox, EventAnnouncer],
})
export class EventsModule {}

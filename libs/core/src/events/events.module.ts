import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventEntity } from './domain-event.entity';
import { Outbox } from './outbox.service';

@Global()
@Module({ imports: [TypeOrmModule.forFeature([DomainEventEntity])], providers: [Outbox], exports: [Outbox] })
export class EventsModule {}

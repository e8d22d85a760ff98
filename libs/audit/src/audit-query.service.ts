import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, LessThanOrEqual, MoreThanOrEqual, Repository, type FindOptionsWhere } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { toAuditEventView } from './audit-event.view';
import type { AuditEventView, AuditPage, AuditQuery } from './audit.types';

/** Read side of the audit trail: paged, filtered listings and a subject's timeline. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async list(query: AuditQuery): Promise<AuditPage> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (query.action) where.action = query.action;
    if (query.actorId) where.actorId = query.actorId;
    if (query.subjectType) where.subjectType = query.subjectType;
    if (query.subjectId) where.subjectId = query.subjectId;
    if (query.from && query.to) where.occurredAt = Between(query.from, query.to);
    else if (query.from) where.occurredAt = MoreThanOrEqual(query.from);
    else if (query.to) where.occurredAt = LessThanOrEqual(query.to);
    const [rows, total] = await this.events.findAndCount({
      where,
      order: { seq: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { items: rows.map(toAuditEventView), page: query.page, pageSize: query.pageSize, total };
  }

  /** Everything that happened to one subject, oldest first. */
  async timeline(subjectType: string, subjectId: string): Promise<AuditEventView[]> {
    const rows = await this.events.find({ where: { subjectType, subjectId }, order: { seq: 'ASC' } });
    return rows.map(toAuditEventView);
  }
}

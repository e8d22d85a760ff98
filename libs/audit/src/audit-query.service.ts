import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { toAuditEventView } from './audit-event.view';
import type { AuditSeal, AuditViewer } from './audit-seal';
import type { AuditEventView, AuditPage, AuditQuery, TimelinePage } from './audit.types';

/**
 * Past this many matches a listing's total says "more than this" instead of counting on: counting the 86,000
 * events of one action in a year's trail took 0.8 s a request (each match is read from the table to apply the
 * seals), where the page itself takes a fraction of a millisecond.
 */
export const AUDIT_TOTAL_LIMIT = 1_000;

/**
 * Read side of the audit trail: paged, filtered listings and a subject's timeline. Every read names its
 * viewer and applies every registered seal in the query itself, so pages and totals count only what the
 * viewer may see. Verification (`AuditVerifierService`) reads the whole chain and shows no event.
 */
@Injectable()
export class AuditQueryService {
  private readonly seals: AuditSeal[] = [];

  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  /** Called once by each module that owns a rule hiding events (see `AuditSeal`). */
  addSeal(seal: AuditSeal): void {
    if (!this.seals.includes(seal)) this.seals.push(seal);
  }

  async list(query: AuditQuery, viewer: AuditViewer): Promise<AuditPage> {
    const qb = this.matching(query, viewer);
    // The total counts every match up to a bound; the cursor only narrows the page, so a walk by cursor keeps
    // one total. It is read in the page's own query (one round trip, not two); a page past the end has no row
    // to carry it, so only then is it counted on its own.
    const matches = this.matchesUpTo(qb, AUDIT_TOTAL_LIMIT);
    qb.addSelect(`(SELECT COUNT(*)::int FROM (${matches.getQuery()}) matches)`, 'audit_total');
    if (query.beforeSeq !== undefined) qb.andWhere('e.seq < :beforeSeq', { beforeSeq: query.beforeSeq });
    // seq is unique, so the order is total; with a cursor the page is read by the primary key, never OFFSET.
    // (limit/offset, not take/skip: the query joins nothing, so TypeORM's take would only add a query.)
    qb.orderBy('e.seq', 'DESC').limit(query.pageSize);
    if (query.beforeSeq === undefined) qb.offset((query.page - 1) * query.pageSize);
    const { entities: rows, raw } = await qb.getRawAndEntities<{ audit_total: number }>();
    const total = raw.length > 0 ? raw[0].audit_total : await this.countUpTo(matches);
    const items = rows.map(toAuditEventView);
    const nextBeforeSeq = items.length === query.pageSize ? items[items.length - 1].seq : null;
    return {
      items,
      page: query.page,
      pageSize: query.pageSize,
      total: Math.min(total, AUDIT_TOTAL_LIMIT),
      totalIsLowerBound: total > AUDIT_TOTAL_LIMIT,
      nextBeforeSeq,
    };
  }

  /**
   * Every event matching the filters that the viewer may see, newest first, handed to `write` in batches read
   * by the primary key (never OFFSET), at most `limit` of them. Returns how many were written and whether
   * more matched than the bound let through. `write` may wait (a slow reader): the next batch waits with it.
   */
  async each(
    query: Omit<AuditQuery, 'page' | 'pageSize' | 'beforeSeq'>,
    viewer: AuditViewer,
    limit: number,
    write: (events: AuditEventView[]) => Promise<void>,
    batchSize = 1000,
  ): Promise<{ written: number; truncated: boolean }> {
    let written = 0;
    let before: number | undefined;
    for (;;) {
      const qb = this.matching(query, viewer);
      if (before !== undefined) qb.andWhere('e.seq < :before', { before });
      const take = Math.min(batchSize, limit - written + 1);
      const rows = (await qb.orderBy('e.seq', 'DESC').take(take).getMany()).map(toAuditEventView);
      const room = limit - written;
      if (rows.length > room) {
        if (room > 0) await write(rows.slice(0, room));
        return { written: limit, truncated: true };
      }
      if (rows.length) await write(rows);
      written += rows.length;
      if (rows.length < take) return { written, truncated: false };
      before = rows[rows.length - 1].seq;
    }
  }

  /** How many events match, counted no further than `limit` + 1 (more than `limit` is then known, not counted). */
  countMatching(
    query: Omit<AuditQuery, 'page' | 'pageSize' | 'beforeSeq'>,
    viewer: AuditViewer,
    limit: number,
  ): Promise<number> {
    return this.countUpTo(this.matchesUpTo(this.matching(query, viewer), limit));
  }

  private matching(
    query: Omit<AuditQuery, 'page' | 'pageSize' | 'beforeSeq'>,
    viewer: AuditViewer,
  ): SelectQueryBuilder<AuditEventEntity> {
    const qb = this.visibleTo(viewer);
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
    if (query.subjectType) qb.andWhere('e.subject_type = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) qb.andWhere('e.subject_id = :subjectId', { subjectId: query.subjectId });
    if (query.from) qb.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.occurred_at <= :to', { to: query.to });
    return qb;
  }

  /** The matches' sequence numbers, no further than `limit` + 1 (so more than `limit` is known, not counted). */
  private matchesUpTo(
    qb: SelectQueryBuilder<AuditEventEntity>,
    limit: number,
  ): SelectQueryBuilder<AuditEventEntity> {
    return qb
      .clone()
      .select('e.seq')
      .limit(limit + 1);
  }

  /** How many of `matches` there are (see `matchesUpTo`). */
  private async countUpTo(matches: SelectQueryBuilder<AuditEventEntity>): Promise<number> {
    const counted = await this.events.manager
      .createQueryBuilder()
      .select('COUNT(*)::int', 'n')
      .from(`(${matches.getQuery()})`, 'matches')
      .setParameters(matches.getParameters())
      .getRawOne<{ n: number }>();
    return counted?.n ?? 0;
  }

  /** What happened to one subject that the viewer may see, oldest first, one page at a time. */
  async timeline(
    subjectType: string,
    subjectId: string,
    viewer: AuditViewer,
    paging: { page: number; pageSize: number },
  ): Promise<TimelinePage> {
    const events = () =>
      this.visibleTo(viewer).andWhere('e.subject_type = :subjectType AND e.subject_id = :subjectId', {
        subjectType,
        subjectId,
      });
    // The total (counted up to AUDIT_TOTAL_LIMIT, as `/audit` counts) rides along with the page: one round trip,
    // not two. A page past the end has no row to carry it, so only then is it counted on its own.
    const matches = this.matchesUpTo(events(), AUDIT_TOTAL_LIMIT);
    const { entities: rows, raw } = await events()
      .addSelect(`(SELECT COUNT(*)::int FROM (${matches.getQuery()}) matches)`, 'timeline_total')
      .orderBy('e.seq', 'ASC')
      .offset((paging.page - 1) * paging.pageSize)
      .limit(paging.pageSize)
      .getRawAndEntities<{ timeline_total: number }>();
    const total = raw.length > 0 ? raw[0].timeline_total : await this.countUpTo(matches);
    return {
      items: rows.map(toAuditEventView),
      page: paging.page,
      pageSize: paging.pageSize,
      total: Math.min(total, AUDIT_TOTAL_LIMIT),
      totalIsLowerBound: total > AUDIT_TOTAL_LIMIT,
    };
  }

  /** Whether the event exists and this viewer may see it now (routes that name one event ask first). */
  async isVisible(seq: number, viewer: AuditViewer): Promise<boolean> {
    return this.visibleTo(viewer).andWhere('e.seq = :seq', { seq }).getExists();
  }

  private visibleTo(viewer: AuditViewer): SelectQueryBuilder<AuditEventEntity> {
    const qb = this.events.createQueryBuilder('e').where('TRUE');
    for (const seal of this.seals) {
      const sealed = seal.sealedFor(viewer);
      qb.andWhere(`NOT COALESCE((${sealed.sql}), FALSE)`, sealed.params);
    }
    return qb;
  }
}

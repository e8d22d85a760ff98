import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { countUpToSql, preparedCountUpTo, preparedRows, totalOfPage } from '@tre/core';
import { AuditEventEntity } from './audit-event.entity';
import {
  OCCURRED_AT_ISO_SQL,
  textRowToAuditEventView,
  toAuditEventView,
  type AuditEventTextRow,
} from './audit-event.view';
import type { AuditSeal, AuditViewer, SqlCondition } from './audit-seal';
import type { AuditEventView, AuditPage, AuditQuery, TimelinePage } from './audit.types';

/**
 * Past this many matches a listing's total says "more than this" instead of counting on: counting the 86,000
 * events of one action in a year's trail took 0.8 s a request (each match is read from the table to apply the
 * seals), where the page itself takes a fraction of a millisecond.
 */
export const AUDIT_TOTAL_LIMIT = 1_000;

/** An event as the prepared reads return it (`EVENT_COLUMNS`). */
type AuditEventRow = AuditEventTextRow;

/** A timeline's row: the gate's answer, and an event with the page's total (all null when there is none). */
type GatedEventRow = { gate_open: boolean } & (
  (AuditEventRow & { timeline_total: number }) | { [K in keyof AuditEventRow | 'timeline_total']: null }
);

/** A gate that always holds: a timeline nothing but the seals stands in front of. */
const OPEN: SqlCondition = { sql: 'TRUE', params: {} };

/** The gate's parameters beside the seals': a name both use must mean the same value in both. */
function withoutClashes(
  gate: Record<string, unknown>,
  seals: Record<string, unknown>,
): Record<string, unknown> {
  for (const [name, value] of Object.entries(gate))
    if (name in seals && seals[name] !== value) throw new Error(`The gate and a seal both bind :${name}`);
  return { ...seals, ...gate };
}

/** `AuditEventRow`'s columns of `audit_events e`, named as the entity names them. */
const EVENT_COLUMNS = `e.seq, ${OCCURRED_AT_ISO_SQL} AS "occurredAt", e.actor_id AS "actorId", e.action,
  e.subject_type AS "subjectType", e.subject_id AS "subjectId", e.details, e.request_id AS "requestId",
  e.prev_hash AS "prevHash", e.hash`;

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
    const matching = this.conditions(query, viewer);
    const fromWhere = `FROM audit_events e WHERE ${matching.sql}`;
    // The total counts every match up to a bound; the cursor only narrows the page, so a walk by cursor keeps
    // one total. It is read in the page's own query (one round trip, not two); a page past the end has no row
    // to carry it, so only then is it counted on its own. seq is unique, so the order is total; with a cursor
    // the page is read by the primary key, never OFFSET.
    const cursor = query.beforeSeq !== undefined ? ' AND e.seq < :beforeSeq' : '';
    const params = {
      ...matching.params,
      beforeSeq: query.beforeSeq,
      limit: query.pageSize,
      offset: query.beforeSeq === undefined ? (query.page - 1) * query.pageSize : 0,
    };
    const rows = await preparedRows<AuditEventRow & { audit_total: number }>(
      this.events.manager.connection,
      `SELECT ${EVENT_COLUMNS}, ${this.countSql(fromWhere)} AS audit_total
         ${fromWhere}${cursor} ORDER BY e.seq DESC LIMIT :limit OFFSET :offset`,
      params,
    );
    const total = await totalOfPage(
      rows,
      'audit_total',
      query.beforeSeq === undefined && query.page === 1,
      () => this.countApart(fromWhere, params),
    );
    const items = rows.map(textRowToAuditEventView);
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
    const matching = this.conditions(query, viewer);
    return preparedCountUpTo(
      this.events.manager.connection,
      'e.seq',
      `FROM audit_events e WHERE ${matching.sql}`,
      matching.params,
      limit,
    );
  }

  private matching(
    query: Omit<AuditQuery, 'page' | 'pageSize' | 'beforeSeq'>,
    viewer: AuditViewer,
  ): SelectQueryBuilder<AuditEventEntity> {
    const matching = this.conditions(query, viewer);
    return this.events.createQueryBuilder('e').where(matching.sql, matching.params);
  }

  /**
   * The filters and every seal as one SQL condition over `audit_events e`: the query builder's reads and the
   * prepared ones (`list`, `timeline`) apply the same text.
   */
  private conditions(
    query: Omit<AuditQuery, 'page' | 'pageSize' | 'beforeSeq'>,
    viewer: AuditViewer,
  ): SqlCondition {
    const visible = this.visibleConditions(viewer);
    const sql = [visible.sql];
    if (query.action) sql.push('e.action = :action');
    if (query.actorId) sql.push('e.actor_id = :actorId');
    if (query.subjectType) sql.push('e.subject_type = :subjectType');
    if (query.subjectId) sql.push('e.subject_id = :subjectId');
    if (query.from) sql.push('e.occurred_at >= :from');
    if (query.to) sql.push('e.occurred_at <= :to');
    return {
      sql: sql.join(' AND '),
      params: {
        ...visible.params,
        action: query.action,
        actorId: query.actorId,
        subjectType: query.subjectType,
        subjectId: query.subjectId,
        from: query.from,
        to: query.to,
      },
    };
  }

  /** What happened to one subject that the viewer may see, oldest first, one page at a time. */
  async timeline(
    subjectType: string,
    subjectId: string,
    viewer: AuditViewer,
    paging: { page: number; pageSize: number },
  ): Promise<TimelinePage> {
    const page = await this.timelineIf(OPEN, subjectType, subjectId, viewer, paging);
    if (!page) throw new Error('An open gate answered no page');
    return page;
  }

  /**
   * `timeline` behind `gate`, a condition the caller would otherwise check first in a round trip of its own
   * (that the viewer may see the subject at all): null when it does not hold. One prepared statement: the gate
   * is read once, and the events only when it holds (a one-time filter of the plan).
   */
  async timelineIf(
    gate: SqlCondition,
    subjectType: string,
    subjectId: string,
    viewer: AuditViewer,
    paging: { page: number; pageSize: number },
  ): Promise<TimelinePage | null> {
    const visible = this.visibleConditions(viewer);
    const fromWhere = `FROM audit_events e WHERE ${visible.sql}
      AND e.subject_type = :subjectType AND e.subject_id = :subjectId`;
    const params = {
      ...withoutClashes(gate.params, visible.params),
      subjectType,
      subjectId,
      limit: paging.pageSize,
      offset: (paging.page - 1) * paging.pageSize,
    };
    // The total (counted up to AUDIT_TOTAL_LIMIT, as `/audit` counts) rides along with the page: one round trip,
    // not two. A page past the end has no row to carry it, so only then is it counted on its own. The gate's
    // row is there whatever the page holds (a LEFT JOIN), so a closed gate and an empty page are told apart.
    const rows = await preparedRows<GatedEventRow>(
      this.events.manager.connection,
      `SELECT gate.open AS gate_open, page.* FROM (SELECT ${gate.sql} AS open) gate
         LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS}, ${this.countSql(fromWhere)} AS timeline_total
           ${fromWhere} AND gate.open ORDER BY e.seq ASC LIMIT :limit OFFSET :offset) page ON TRUE
         ORDER BY page.seq ASC`,
      params,
    );
    if (!rows[0]?.gate_open) return null;
    const events = rows.filter((row): row is GatedEventRow & AuditEventRow => row.seq !== null);
    const total = await totalOfPage(events, 'timeline_total', paging.page === 1, () =>
      this.countApart(fromWhere, params),
    );
    return {
      items: events.map(textRowToAuditEventView),
      page: paging.page,
      pageSize: paging.pageSize,
      total: Math.min(total, AUDIT_TOTAL_LIMIT),
      totalIsLowerBound: total > AUDIT_TOTAL_LIMIT,
    };
  }

  /** The matches of `fromWhere` counted up to AUDIT_TOTAL_LIMIT + 1, as a sub-query. */
  private countSql(fromWhere: string): string {
    return countUpToSql('e.seq', fromWhere, AUDIT_TOTAL_LIMIT);
  }

  /** The same count on its own: for a page past the end, which has no row to carry it. */
  private countApart(fromWhere: string, params: Record<string, unknown>): Promise<number> {
    return preparedCountUpTo(this.events.manager.connection, 'e.seq', fromWhere, params, AUDIT_TOTAL_LIMIT);
  }

  /** Whether the event exists and this viewer may see it now (routes that name one event ask first). */
  async isVisible(seq: number, viewer: AuditViewer): Promise<boolean> {
    return this.visibleTo(viewer).andWhere('e.seq = :seq', { seq }).getExists();
  }

  private visibleTo(viewer: AuditViewer): SelectQueryBuilder<AuditEventEntity> {
    const visible = this.visibleConditions(viewer);
    return this.events.createQueryBuilder('e').where(visible.sql, visible.params);
  }

  /** Every registered seal, as one condition: what the viewer may see of the trail. */
  private visibleConditions(viewer: AuditViewer): SqlCondition {
    const sql = ['TRUE'];
    let params: Record<string, unknown> = {};
    for (const seal of this.seals) {
      const sealed = seal.sealedFor(viewer);
      sql.push(`NOT COALESCE((${sealed.sql}), FALSE)`);
      params = { ...params, ...sealed.params };
    }
    return { sql: sql.join(' AND '), params };
  }
}

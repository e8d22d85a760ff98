import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '@tre/auth';
import { cappedTotal, countUpToSql, preparedCountUpTo, preparedRows, totalOfPage } from '@tre/core';
import { describeRuleSet, labelText, type RuleSet, type SdcRecord, type TableRecord } from '@tre/sdc';
import type { OutputStatus } from '../domain/output-status';
import { OutputFileEntity } from '../entities/output-file.entity';
import { OutputReleaseEntity } from '../entities/output-release.entity';
import { OutputRequestEntity } from '../entities/output-request.entity';
import { OutputReviewEntity } from '../entities/output-review.entity';
import { isProjectMember } from './output-access';
import { OUTPUTS_SETTINGS, type OutputsSettings } from './outputs-config';
import { OutputLifecycle } from './output-lifecycle';
import { outputMemberSql, outputVisibleSql, reviewOpenSql, roundBlindTo } from './output-visibility';
import type { RulesIdentity } from './output-rules';
import type { OutputFileView, OutputPage, OutputRequestView, OutputScope } from './output-views';

/** A listed request as `list` reads it (times as pg parses them). */
type OutputSummaryRow = Pick<
  OutputRequestEntity,
  'id' | 'projectId' | 'title' | 'status' | 'round' | 'updatedAt'
> & {
  submittedAt: Date | null;
  files: number;
  list_total: number;
};

/** A table record's labels and published values, as the checker's grid shows them. */
function publishedTable(record: SdcRecord | null): OutputFileView['table'] {
  if (record?.type !== 'table') return null;
  const t = (record as TableRecord).table;
  return {
    rows: t.rows.map(labelText),
    cols: t.cols.map(labelText),
    values: t.values,
    rounding: t.rounding ?? null,
  };
}

/** Read side of the airlock: listings by scope, and one request with its files, results and reviews. */
@Injectable()
export class OutputReaderService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
    private readonly lifecycle: OutputLifecycle,
  ) {}

  /** The rule set in force, for researchers and checkers: every setting, and its name, version and SHA-256. */
  rules(): RulesIdentity & { readonly rules: RuleSet } {
    return { ...this.settings.rulesIdentity, rules: describeRuleSet(this.settings.rules) };
  }

  async list(
    user: AuthenticatedUser,
    query: { scope: OutputScope; status?: OutputStatus; projectId?: string; page: number; pageSize: number },
  ): Promise<OutputPage> {
    // Every scope narrows the detail route's own visibility condition, so a listing shows nothing it would refuse.
    const visible = outputVisibleSql('r', user);
    const member = outputMemberSql('r', user);
    const conditions = [visible.sql];
    if (query.scope === 'mine') {
      conditions.push(member.sql);
    } else if (query.scope === 'awaiting_review') {
      conditions.push(
        `r.status = 'in_review'`,
        `NOT ${member.sql}`,
        // A conflicted request (its checkers disagree) awaits them all again: revise, or add a review.
        `(NOT EXISTS (SELECT 1 FROM output_reviews v WHERE v.request_id = r.id AND v.round = r.round AND v.checker_id = :userId)
          OR EXISTS (SELECT 1 FROM output_files f WHERE f.request_id = r.id AND f.conflicted))`,
      );
    }
    if (query.status) conditions.push('r.status = :status');
    if (query.projectId) conditions.push('r.project_id = :projectId');
    const fromWhere = `FROM output_requests r WHERE ${conditions.join(' AND ')}`;
    const params = {
      ...visible.params,
      ...member.params,
      userId: user.id,
      status: query.status,
      projectId: query.projectId,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    };
    // One round trip, a prepared statement read raw (`preparedRows`; the checkers' queue and the dashboards poll
    // it): the total (counted up to LIST_TOTAL_LIMIT, by its own cheapest plan) and each request's files ride
    // along with the page, which walks the (status, updated_at, id) index and stops at its last row. A page past
    // the end has no row to carry the total, so only then is it counted on its own. A unique tiebreaker in the
    // order: rows updated in the same instant keep one order, so no page repeats or skips one.
    const rows = await preparedRows<OutputSummaryRow>(
      this.dataSource,
      `SELECT r.id, r.project_id AS "projectId", r.title, r.status, r.round, r.updated_at AS "updatedAt",
              r.submitted_at AS "submittedAt",
              (SELECT COUNT(*)::int FROM output_files f WHERE f.request_id = r.id) AS files,
              ${countUpToSql('r.id', fromWhere)} AS list_total
         ${fromWhere} ORDER BY r.updated_at DESC, r.id ASC LIMIT :limit OFFSET :offset`,
      params,
    );
    const counted = await totalOfPage(rows, 'list_total', query.page === 1, () =>
      preparedCountUpTo(this.dataSource, 'r.id', fromWhere, params),
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        projectId: r.projectId,
        title: r.title,
        status: r.status,
        round: r.round,
        files: r.files,
        updatedAt: r.updatedAt.toISOString(),
        submittedAt: r.submittedAt?.toISOString() ?? null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      ...cappedTotal(counted),
    };
  }

  async detail(user: AuthenticatedUser, requestId: string): Promise<OutputRequestView> {
    const manager = this.dataSource.manager;
    const { request, project } = await this.lifecycle.load(manager, requestId, user);
    const files = await manager.find(OutputFileEntity, { where: { requestId }, order: { fileName: 'ASC' } });
    const release = await manager.findOneBy(OutputReleaseEntity, { requestId });
    const counted = await manager
      .createQueryBuilder(OutputReviewEntity, 'w')
      .select('COUNT(DISTINCT w.checker_id)::int', 'n')
      .where('w.request_id = :requestId AND w.round = :round', { requestId, round: request.round })
      .getRawOne<{ n: number }>();
    const reviewsIn = counted?.n ?? 0;
    // The reviews the viewer may see, by the rule that also seals the review events (`reviewOpenSql`).
    const open = reviewOpenSql('r', 'v.checker_id', 'v.round', user, this.settings.reviewsRequired);
    const visible = await manager
      .createQueryBuilder(OutputReviewEntity, 'v')
      .innerJoin(OutputRequestEntity, 'r', 'r.id = v.request_id')
      .where('v.request_id = :requestId', { requestId })
      .andWhere(open.sql, open.params)
      .orderBy('v.round', 'ASC')
      .addOrderBy('v.createdAt', 'ASC')
      .getMany();
    const member = isProjectMember(project, user);
    const blind = roundBlindTo(request, user, member, reviewsIn, this.settings.reviewsRequired);
    return {
      id: request.id,
      projectId: request.projectId,
      title: request.title,
      status: request.status,
      round: request.round,
      files: files.length,
      updatedAt: request.updatedAt.toISOString(),
      authorId: request.authorId,
      checkError: request.checkError,
      submittedAt: request.submittedAt?.toISOString() ?? null,
      checkedAt: request.checkedAt?.toISOString() ?? null,
      decidedAt: request.decidedAt?.toISOString() ?? null,
      createdAt: request.createdAt.toISOString(),
      checkProgress: { done: files.filter((f) => f.checkState === 'done').length, total: files.length },
      blind,
      reviewsRequired: this.settings.reviewsRequired,
      reviewsIn,
      member,
      conflicted: !blind && files.some((f) => f.conflicted),
      fileList: files.map((f) => ({
        id: f.id,
        fileName: f.fileName,
        mediaType: f.mediaType,
        sizeBytes: f.sizeBytes,
        sha256: f.sha256,
        hasRecord: f.record !== null,
        recordType: f.record?.type ?? null,
        checkState: f.checkState,
        check: f.checkResult,
        decision: f.decision,
        conflicted: !blind && f.conflicted,
        reviews: visible
          .filter((r) => r.fileId === f.id)
          .map((r) => ({
            checkerId: r.checkerId,
            round: r.round,
            vote: r.vote,
            comment: r.comment,
            castAt: r.createdAt.toISOString(),
          })),
        provenance: f.provenance && {
          workspaceId: f.provenance.workspaceId,
          path: f.provenance.path,
          sha256: f.provenance.sha256,
          collectedAt: f.provenance.collectedAt,
        },
        context: f.context,
        controls: f.controls,
        table: publishedTable(f.record),
      })),
      release: release && { id: release.id, bundleSha256: release.bundleSha256, manifest: release.manifest },
    };
  }
}

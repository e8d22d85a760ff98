import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  cappedTotal,
  countUpToSql,
  NotFoundError,
  preparedCountUpTo,
  preparedRows,
  totalOfPage,
  ValidationError,
} from '@tre/core';
import { optOutListsFor, type DatasetOrigin, type OptOutList } from '@tre/datasets';
import {
  ProjectEntity,
  REGISTER_STATUSES,
  type LegalBasis,
  type Page,
  type ProjectStatus,
} from '@tre/projects';
import { dayOf } from '../domain/csv';
import { ALL_OPT_OUT_LISTS, OPT_OUT_TITLES } from '../domain/opt-out-lists';
import { publicCount } from '../domain/public-count';
import type { RegisterEntry, RegisterRelease } from './register-views';

/** What a visitor narrows the register by. */
export interface RegisterFilter {
  /** Words, each of which must appear in the title, lay summary or organisation. */
  readonly q?: string;
  readonly status?: ProjectStatus;
  /** A dataset code: projects whose approved terms include it. */
  readonly dataset?: string;
}

/** What a register entry shows of the project itself. */
type RegisterProject = Pick<
  ProjectEntity,
  | 'id'
  | 'title'
  | 'laySummary'
  | 'organisation'
  | 'status'
  | 'approvedAt'
  | 'endDate'
  | 'endedAt'
  | 'outputsReleased'
  | 'legalHoldReason'
>;

/** `RegisterProject`'s columns, named as the entity names them (a date column as its YYYY-MM-DD text). */
const REGISTER_COLUMNS = `project.id, project.title, project.lay_summary AS "laySummary", project.organisation,
  project.status, project.approved_at AS "approvedAt", project.end_date::text AS "endDate",
  project.ended_at AS "endedAt", project.outputs_released AS "outputsReleased",
  project.legal_hold_reason AS "legalHoldReason"`;

/** Newest approval first; the id breaks ties, so no page repeats or skips a project. */
const REGISTER_ORDER = 'project.approved_at DESC NULLS LAST, project.id ASC';

/** A dataset of a project's latest approval, with the catalogue's title and origin (null if not in it). */
interface ApprovedDataset {
  readonly code: string;
  readonly legalBasis: LegalBasis;
  readonly title: string | null;
  readonly origin: DatasetOrigin | null;
}

interface ProjectFacts {
  readonly approvedDatasets: ApprovedDataset[];
  readonly optedOutPeople: Record<string, number> | null;
  readonly releases: RegisterRelease[];
  readonly extractsDeletedAt: Date | null;
  readonly unreleasedDeletedAt: Date | null;
  readonly releasesDeletedAt: Date | null;
}

/**
 * The public data uses register: every project ever approved, what it is for (lay summary), who runs it
 * (organisation), which datasets it uses and on what legal basis, its dates and state, the people each
 * opt-out list removed from its data (rounded: never an exact count below 10), what it released, and when
 * retention deleted its data. Nobody's personal data appears: no names, no user ids, no member subjects.
 */
@Injectable()
export class PublicRegisterService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(page: number, pageSize: number, filter: RegisterFilter = {}): Promise<Page<RegisterEntry>> {
    // The total (counted up to LIST_TOTAL_LIMIT) rides along with the page: one round trip, not two. A page past
    // the end has no row to carry it, so only then is it counted on its own. A prepared statement read raw: the
    // register is public and polled, and building the query and hydrating entities cost the API more than the
    // rows did.
    const matching = this.condition(filter);
    const fromWhere = `FROM projects project WHERE ${matching.sql}`;
    const params = { ...matching.params, limit: pageSize, offset: (page - 1) * pageSize };
    const projects = await preparedRows<RegisterProject & { register_total: number }>(
      this.dataSource,
      `SELECT ${REGISTER_COLUMNS}, ${countUpToSql('project.id', fromWhere)} AS register_total
         ${fromWhere} ORDER BY ${REGISTER_ORDER} LIMIT :limit OFFSET :offset`,
      params,
    );
    const counted = await totalOfPage(projects, 'register_total', page === 1, () =>
      preparedCountUpTo(this.dataSource, 'project.id', fromWhere, params),
    );
    return { items: await this.entries(projects), page, pageSize, ...cappedTotal(counted) };
  }

  /** One project's public entry; 404 for a project that is not (or not yet) on the register. */
  async entry(id: string): Promise<RegisterEntry> {
    const project = await this.dataSource
      .getRepository(ProjectEntity)
      .findOne({ where: { id, status: In([...REGISTER_STATUSES]) } });
    // Same answer for "no such project" and "not approved": the register does not reveal applications.
    if (!project) throw new NotFoundError('Register entry', id);
    const [entry] = await this.entries([project]);
    return entry;
  }

  /** The whole register (or the part a filter selects), for the CSV and JSON downloads. */
  async all(filter: RegisterFilter = {}): Promise<RegisterEntry[]> {
    // The page's condition and order (REGISTER_ORDER), through the query builder: a download is rare and whole.
    const matching = this.condition(filter);
    const projects = await this.dataSource
      .getRepository(ProjectEntity)
      .createQueryBuilder('project')
      .where(matching.sql, matching.params)
      .orderBy('project.approvedAt', 'DESC', 'NULLS LAST')
      .addOrderBy('project.id', 'ASC')
      .getMany();
    return this.entries(projects);
  }

  /**
   * The register's projects a filter selects, newest approval first. The search matches words in the title,
   * lay summary or organisation (case-insensitive, as typed: % and _ match themselves); the dataset filter keeps
   * projects whose latest approved terms name the dataset.
   */
  private condition(filter: RegisterFilter): { sql: string; params: Record<string, unknown> } {
    // Only what was ever approved is public: a status filter narrows the register, it cannot widen it.
    if (filter.status && !REGISTER_STATUSES.includes(filter.status)) {
      throw new ValidationError(`The register holds only projects that are ${REGISTER_STATUSES.join(', ')}`, {
        fields: { status: [`status must be one of ${REGISTER_STATUSES.join(', ')}`] },
      });
    }
    // The register's statuses are the code's own constants, written into the text (one statement, whose plan
    // knows them); a visitor's status filter is bound.
    const conditions = [
      filter.status
        ? 'project.status = :status'
        : `project.status IN (${REGISTER_STATUSES.map((status) => `'${status}'`).join(', ')})`,
    ];
    const params: Record<string, unknown> = filter.status ? { status: filter.status } : {};
    for (const [index, word] of (filter.q ?? '').trim().split(/\s+/).filter(Boolean).entries()) {
      conditions.push(
        `(project.title ILIKE :word${index} OR project.lay_summary ILIKE :word${index} OR project.organisation ILIKE :word${index})`,
      );
      params[`word${index}`] = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    }
    if (filter.dataset) {
      conditions.push(
        `EXISTS (SELECT 1 FROM project_approvals approval WHERE approval.project_id = project.id
           AND approval.approval_version = (SELECT max(latest.approval_version) FROM project_approvals latest
                                            WHERE latest.project_id = project.id)
           AND approval.datasets @> :dataset::jsonb)`,
      );
      params.dataset = JSON.stringify([{ code: filter.dataset }]);
    }
    return { sql: conditions.join(' AND '), params };
  }

  private async entries(projects: RegisterProject[]): Promise<RegisterEntry[]> {
    if (projects.length === 0) return [];
    const facts = await this.facts(projects.map((p) => p.id));
    return projects.map((project) => {
      const fact = facts.get(project.id);
      const approved = fact?.approvedDatasets ?? [];
      const applied = new Set<OptOutList>(
        approved.flatMap((d) => (d.origin ? optOutListsFor(d.legalBasis, d.origin) : [])),
      );
      return {
        id: project.id,
        title: project.title,
        laySummary: project.laySummary,
        organisation: project.organisation,
        status: project.status,
        datasets: approved.map((d) => ({
          code: d.code,
          title: d.title ?? d.code,
          legalBasis: d.legalBasis,
        })),
        approvedOn: dayOf(project.approvedAt),
        endDate: project.endDate,
        endedOn: dayOf(project.endedAt),
        optOuts: ALL_OPT_OUT_LISTS.map((list) => {
          const exact = fact?.optedOutPeople?.[list];
          return {
            list,
            title: OPT_OUT_TITLES[list],
            applied: applied.has(list),
            peopleRemoved: applied.has(list) && typeof exact === 'number' ? publicCount(exact) : null,
          };
        }),
        outputsReleased: project.outputsReleased,
        releases: fact?.releases ?? [],
        dataDeletion: {
          extractsDeletedOn: dayOf(fact?.extractsDeletedAt),
          unreleasedOutputsDeletedOn: dayOf(fact?.unreleasedDeletedAt),
          releasedOutputsDeletedOn: dayOf(fact?.releasesDeletedAt),
          paused: project.legalHoldReason !== null,
        },
      };
    });
  }

  /**
   * Per project, in one query: the datasets of its latest approval, the opt-out counts of its latest ready
   * extract, its releases, and when each kind of its data was deleted (the latest deletion, once every item of
   * that kind is deleted). Three queries before (approvals, facts, releases). The unreleased outputs' date
   * first asks whether any such file is still kept (the partial index of kept files answers at the first one):
   * aggregating every file of every request read 2,400 buffers for a page of 20 projects, most of them live.
   */
  private async facts(ids: string[]): Promise<Map<string, ProjectFacts>> {
    const rows: {
      id: string;
      approved_datasets: ApprovedDataset[];
      opted_out_people: Record<string, number> | null;
      extracts_deleted_at: Date | null;
      unreleased_deleted_at: Date | null;
      releases_deleted_at: Date | null;
      releases: { title: string; released_at: string; files: number }[];
    }[] = await preparedRows(
      this.dataSource,
      `SELECT p.id,
              (SELECT coalesce(json_agg(json_build_object('code', term ->> 'code', 'legalBasis',
                        term ->> 'legalBasis', 'title', d.title, 'origin', d.origin) ORDER BY n), '[]')
                 FROM (SELECT a.datasets FROM project_approvals a WHERE a.project_id = p.id
                        ORDER BY a.approval_version DESC LIMIT 1) latest
                 CROSS JOIN LATERAL jsonb_array_elements(latest.datasets) WITH ORDINALITY AS terms(term, n)
                 LEFT JOIN datasets d ON d.code = term ->> 'code') AS approved_datasets,
              (SELECT e.manifest -> 'optedOutPeople' FROM extracts e
                WHERE e.project_id = p.id AND e.status = 'ready'
                ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS opted_out_people,
              (SELECT CASE WHEN bool_and(e.deleted_at IS NOT NULL) THEN max(e.deleted_at) END
                 FROM extracts e WHERE e.project_id = p.id AND e.status IN ('ready', 'failed'))
                AS extracts_deleted_at,
              CASE WHEN NOT EXISTS (SELECT 1 FROM output_files f JOIN output_requests r ON r.id = f.request_id
                                     WHERE r.project_id = p.id AND f.deleted_at IS NULL
                                       AND NOT (r.status = 'released' AND f.decision = 'approved'))
                   THEN (SELECT max(f.deleted_at) FROM output_files f JOIN output_requests r ON r.id = f.request_id
                          WHERE r.project_id = p.id AND NOT (r.status = 'released' AND f.decision = 'approved'))
              END AS unreleased_deleted_at,
              (SELECT CASE WHEN bool_and(rl.files_deleted_at IS NOT NULL) THEN max(rl.files_deleted_at) END
                 FROM output_releases rl WHERE rl.project_id = p.id) AS releases_deleted_at,
              (SELECT coalesce(json_agg(json_build_object('title', r.title, 'released_at', rl.released_at,
                        'files', jsonb_array_length(rl.manifest -> 'files')) ORDER BY rl.released_at, rl.id), '[]')
                 FROM output_releases rl JOIN output_requests r ON r.id = rl.request_id
                WHERE rl.project_id = p.id) AS releases
         FROM projects p WHERE p.id = ANY(:ids::uuid[])`,
      { ids },
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          approvedDatasets: row.approved_datasets,
          optedOutPeople: row.opted_out_people,
          releases: row.releases.map((release) => ({
            title: release.title,
            releasedOn: dayOf(release.released_at)!,
            files: Number(release.files),
          })),
          extractsDeletedAt: row.extracts_deleted_at,
          unreleasedDeletedAt: row.unreleased_deleted_at,
          releasesDeletedAt: row.releases_deleted_at,
        },
      ]),
    );
  }
}

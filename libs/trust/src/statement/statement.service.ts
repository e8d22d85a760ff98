import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransparencyHeadsService } from '@tre/audit';
import { DatasetCatalogueService } from '@tre/datasets';
import { REGISTER_STATUSES, type ProjectStatus } from '@tre/projects';
import { ALL_OPT_OUT_LISTS, OPT_OUT_TITLES } from '../domain/opt-out-lists';
import { publicCount } from '../domain/public-count';
import { RETENTION_ACTIONS } from '../retention/retention-actions';
import type { StatementPeriod } from './statement-period';
import type { DeletionTotals, TransparencyStatement } from './statement-views';

/** Projects that held an approval at some time in [$1, $2). */
const ACTIVE = `SELECT p.id, p.status FROM projects p
  WHERE p.status = ANY($3::text[]) AND p.approved_at < $2 AND (p.ended_at IS NULL OR p.ended_at >= $1)`;

/**
 * The transparency statement: totals over a period, from the database as it is (every figure can be
 * traced to audited events; the latest signed tree head beside it lets anyone check that trail was only
 * appended to). Counts of people are rounded like the register's.
 */
@Injectable()
export class StatementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: DatasetCatalogueService,
    private readonly heads: TransparencyHeadsService,
  ) {}

  async statement(period: StatementPeriod): Promise<TransparencyStatement> {
    const range = [period.start, period.end, [...REGISTER_STATUSES]];
    const [projects, datasets, optOuts, released, blocked, deleted, latestHead, keys] = await Promise.all([
      this.projects(range),
      this.datasets(range),
      this.optOuts(range),
      this.released(range),
      this.blocked(range),
      this.deleted(range),
      this.heads.latest(),
      this.heads.keys(),
    ]);
    return {
      period: { from: period.from, to: period.to },
      generatedAt: new Date().toISOString(),
      projects,
      datasetsUsed: datasets,
      optOutsHonoured: optOuts,
      outputsReleased: released,
      requestsBlocked: blocked,
      dataDeleted: deleted,
      transparency: { latestHead, keys },
    };
  }

  /** The opt-out totals over the service's whole life (for the patients' page). */
  allTimeOptOuts(): Promise<TransparencyStatement['optOutsHonoured']> {
    return this.optOuts([new Date(0), new Date(8.64e15)]);
  }

  private async projects(range: unknown[]): Promise<TransparencyStatement['projects']> {
    const [counts]: { approved: string; ended: string }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE approved_at >= $1 AND approved_at < $2) AS approved,
              count(*) FILTER (WHERE ended_at >= $1 AND ended_at < $2) AS ended
         FROM projects WHERE status = ANY($3::text[])`,
      range,
    );
    const states: { status: ProjectStatus; n: string }[] = await this.dataSource.query(
      `SELECT status, count(*) AS n FROM (${ACTIVE}) active GROUP BY status`,
      range,
    );
    const byState = REGISTER_STATUSES.map((state) => ({
      state,
      projects: Number(states.find((s) => s.status === state)?.n ?? 0),
    }));
    return {
      approved: Number(counts.approved),
      ended: Number(counts.ended),
      active: byState.reduce((sum, s) => sum + s.projects, 0),
      byState,
    };
  }

  private async datasets(range: unknown[]): Promise<TransparencyStatement['datasetsUsed']> {
    const rows: { code: string; projects: string }[] = await this.dataSource.query(
      `WITH latest AS (
         SELECT DISTINCT ON (a.project_id) a.project_id, a.datasets
           FROM project_approvals a JOIN (${ACTIVE}) active ON active.id = a.project_id
          ORDER BY a.project_id, a.approval_version DESC)
       SELECT d ->> 'code' AS code, count(DISTINCT latest.project_id) AS projects
         FROM latest, jsonb_array_elements(latest.datasets) d
        GROUP BY 1 ORDER BY 1`,
      range,
    );
    const titles = new Map(
      (await this.catalogue.findByCodes(rows.map((r) => r.code))).map((d) => [d.code, d.title]),
    );
    return rows.map((r) => ({
      code: r.code,
      title: titles.get(r.code) ?? r.code,
      projects: Number(r.projects),
    }));
  }

  private async optOuts(range: unknown[]): Promise<TransparencyStatement['optOutsHonoured']> {
    const rows: { people: Record<string, number> | null }[] = await this.dataSource.query(
      `SELECT manifest -> 'optedOutPeople' AS people FROM extracts
        WHERE status = 'ready' AND (manifest ->> 'createdAt')::timestamptz >= $1
          AND (manifest ->> 'createdAt')::timestamptz < $2`,
      range.slice(0, 2),
    );
    return {
      extracts: rows.length,
      lists: ALL_OPT_OUT_LISTS.map((list) => ({
        list,
        title: OPT_OUT_TITLES[list],
        // Summed exactly, rounded once: rounding each project first would let small counts add up unseen.
        peopleRemoved: publicCount(rows.reduce((sum, r) => sum + (Number(r.people?.[list]) || 0), 0)),
      })),
    };
  }

  private async released(range: unknown[]): Promise<TransparencyStatement['outputsReleased']> {
    const [row]: { releases: string; files: string | null }[] = await this.dataSource.query(
      `SELECT count(*) AS releases, sum(jsonb_array_length(manifest -> 'files')) AS files
         FROM output_releases WHERE released_at >= $1 AND released_at < $2`,
      range.slice(0, 2),
    );
    return { releases: Number(row.releases), files: Number(row.files ?? 0) };
  }

  /** From the audit trail: each `output.blocked` event names the rules that broke (since this statement). */
  private async blocked(range: unknown[]): Promise<TransparencyStatement['requestsBlocked']> {
    const rows: { rules: unknown }[] = await this.dataSource.query(
      `SELECT details -> 'blockedBy' AS rules FROM audit_events
        WHERE action = 'output.blocked' AND occurred_at >= $1 AND occurred_at < $2`,
      range.slice(0, 2),
    );
    const byRule = new Map<string, number>();
    for (const row of rows) {
      const rules = Array.isArray(row.rules) ? row.rules.map(String) : ['not recorded'];
      for (const rule of new Set(rules)) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    }
    return {
      total: rows.length,
      byRule: [...byRule.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([rule, requests]) => ({ rule, requests })),
    };
  }

  private async deleted(range: unknown[]): Promise<TransparencyStatement['dataDeleted']> {
    const rows: { action: string; deletions: string; files: string | null; bytes: string | null }[] =
      await this.dataSource.query(
        `SELECT action, count(*) AS deletions, sum((details ->> 'files')::bigint) AS files,
                sum((details ->> 'bytes')::bigint) AS bytes
           FROM audit_events
          WHERE action = ANY($3::text[]) AND occurred_at >= $1 AND occurred_at < $2
          GROUP BY action`,
        [...range.slice(0, 2), Object.values(RETENTION_ACTIONS)],
      );
    const totals = (action: string): DeletionTotals => {
      const row = rows.find((r) => r.action === action);
      return {
        deletions: Number(row?.deletions ?? 0),
        files: Number(row?.files ?? 0),
        bytes: Number(row?.bytes ?? 0),
      };
    };
    return {
      extracts: totals(RETENTION_ACTIONS.extracts),
      unreleasedOutputs: totals(RETENTION_ACTIONS.unreleasedOutputs),
      releasedOutputs: totals(RETENTION_ACTIONS.releasedOutputs),
    };
  }
}

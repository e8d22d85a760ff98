import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import { ForbiddenError, ValidationError } from '@tre/core';
import { NhsNumberSet } from '../safe-data';
import { describeProblems, parseOptOutFile } from './optout-file';
import { OptOutEntryEntity, OptOutListVersionEntity } from './optout.entities';
import {
  OPT_OUT_LISTS,
  isOptOutList,
  type OptOutActor,
  type OptOutList,
  type OptOutListSummary,
  type OptOutSet,
} from './optout.types';

/** Numbers a single INSERT carries: one array parameter, so the statement stays small and fast. */
const INSERT_BATCH = 50_000;
/** A per-list lock so two loads of the same list queue instead of racing for the next version number. */
const LOAD_LOCK = 0x7472_6500_0010;

const toSummary = (list: OptOutList, row: OptOutListVersionEntity | null): OptOutListSummary => ({
  list,
  version: row?.version ?? 0,
  count: row?.count ?? 0,
  loadedAt: row?.loadedAt.toISOString() ?? null,
  loadedBy: row?.loadedBy ?? null,
});

/**
 * The national data opt-out and GP type 1 lists. A load replaces a list whole in one transaction: the new
 * version's numbers go in, then the old version's numbers go, so an extract always sees one complete version
 * and a refused or failed load leaves the previous one in force. The numbers never leave this service except
 * as an in-memory membership test; summaries and audit events carry counts only.
 */
@Injectable()
export class OptOutService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Loads a CSV file (see parseOptOutFile) as the next version of the list. */
  async load(actor: OptOutActor, list: string, csv: string): Promise<OptOutListSummary> {
    if (!actor.roles.includes('data_custodian') && !actor.roles.includes('admin')) {
      throw new ForbiddenError('Only data custodians and admins may load opt-out lists');
    }
    if (!isOptOutList(list)) {
      throw new ValidationError(`list must be one of ${OPT_OUT_LISTS.join(', ')}`, { list });
    }
    const parsed = parseOptOutFile(csv);
    if (!parsed.ok) {
      const previous = await this.current(this.dataSource.manager, list);
      await this.audit.appendAlone({
        action: 'optout.list_refused',
        subjectType: 'optout_list',
        subjectId: list,
        actorId: actor.id,
        details: { list, problemLines: parsed.problemCount, versionInForce: previous?.version ?? 0 },
      });
      throw new ValidationError(
        `Opt-out file refused whole, ${list} list left at version ${previous?.version ?? 0}: ` +
          describeProblems(parsed.problems, parsed.problemCount),
        { problems: parsed.problems, problemCount: parsed.problemCount },
      );
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [LOAD_LOCK + OPT_OUT_LISTS.indexOf(list)]);
      const previous = await this.current(manager, list);
      const version = (previous?.version ?? 0) + 1;
      const loadedAt = new Date();
      await manager.insert(OptOutListVersionEntity, {
        list,
        version,
        count: parsed.nhsNumbers.length,
        loadedAt,
        loadedBy: actor.id,
        supersededAt: null,
      });
      for (let start = 0; start < parsed.nhsNumbers.length; start += INSERT_BATCH) {
        await manager.query(
          'INSERT INTO optouts.entries (list, version, nhs_number) SELECT $1, $2, unnest($3::text[])',
          [list, version, parsed.nhsNumbers.slice(start, start + INSERT_BATCH)],
        );
      }
      if (previous) {
        await manager.update(
          OptOutListVersionEntity,
          { list, version: previous.version },
          { supersededAt: loadedAt },
        );
        await manager.delete(OptOutEntryEntity, { list, version: previous.version });
      }
      await this.audit.append(manager, {
        action: 'optout.list_loaded',
        subjectType: 'optout_list',
        subjectId: list,
        actorId: actor.id,
        details: {
          list,
          version,
          count: parsed.nhsNumbers.length,
          duplicateLines: parsed.duplicates,
          previousVersion: previous?.version ?? 0,
          previousCount: previous?.count ?? 0,
        },
      });
      return toSummary(list, await this.current(manager, list));
    });
  }

  /** Each list's version in force, with its count and who loaded it; never the numbers. */
  async summaries(): Promise<OptOutListSummary[]> {
    return Promise.all(
      OPT_OUT_LISTS.map(async (list) => toSummary(list, await this.current(this.dataSource.manager, list))),
    );
  }

  /**
   * The version in force, read into memory for one extract. Read in one REPEATABLE READ transaction so the
   * version and its numbers agree even if a load commits meanwhile. Never loaded: version 0, empty; the caller
   * decides whether that is acceptable.
   */
  async membership(list: OptOutList): Promise<OptOutSet> {
    if (!isOptOutList(list)) throw new ValidationError(`list must be one of ${OPT_OUT_LISTS.join(', ')}`);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const row = await this.current(manager, list);
      let packed = '';
      if (row) {
        // One concatenated string instead of a row object per number: a tenth of the memory while reading.
        const [result] = await manager.query<{ packed: string | null }[]>(
          `SELECT string_agg(nhs_number, '') AS packed FROM optouts.entries WHERE list = $1 AND version = $2`,
          [list, row.version],
        );
        packed = result.packed ?? '';
      }
      // Numbers in a hash table of doubles rather than a Set of strings: a quarter of the memory for a
      // national list of millions, and the extract tests membership from digit bytes.
      const numbers = new NhsNumberSet(packed.length / 10);
      for (let at = 0; at < packed.length; at += 10) numbers.add(packed, at);
      return {
        list,
        version: row?.version ?? 0,
        size: numbers.size,
        has: (normalisedNhsNumber: string) => numbers.has(normalisedNhsNumber),
        hasDigits: (digits: Uint8Array, start: number) => numbers.hasDigits(digits, start),
      };
    });
  }

  private current(manager: EntityManager, list: OptOutList): Promise<OptOutListVersionEntity | null> {
    return manager.findOne(OptOutListVersionEntity, { where: { list }, order: { version: 'DESC' } });
  }
}

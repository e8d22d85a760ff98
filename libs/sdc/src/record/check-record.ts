import { checkGrid, countFlags } from '../checks/cell-rules';
import { checksByRule, type Flag, flag, type Status, summarise } from '../checks/flags';
import { auditPattern, type Protection } from '../protect/protect-grid';
import { type PublishedTable, type SdcResult } from '../report/analyse-table';
import { describeRuleSet, type RuleSet } from '../rules/rule-set';
import { type CellStats, emptyStats } from '../table/cell-stats';
import { type Grid, isFrequency } from '../table/table-model';
import { differencingFlags } from './differencing';
import {
  type HistogramRecord,
  type Ledger,
  type RegressionRecord,
  type SdcRecord,
  type SummaryRecord,
  type SurvivalRecord,
  type TableRecord,
} from './record-types';

function statsOf(cell: TableRecord['table']['cells'][number][number], frequency: boolean): CellStats {
  const sum = cell.total ?? (frequency ? cell.records : 0);
  return {
    ...emptyStats(),
    records: cell.records + (cell.missing ?? 0),
    count: cell.records,
    missing: cell.missing ?? 0,
    negatives: cell.negatives ?? 0,
    sum,
    mean: cell.records > 0 ? sum / cell.records : 0,
    top: [...(cell.top ?? [])].sort((a, b) => b - a).slice(0, 2),
  };
}

function checkTable(
  record: TableRecord,
  rules: RuleSet,
  ledger: Ledger | undefined,
): Omit<SdcResult, 'rules' | 'message' | 'notes'> {
  const t = record.table;
  const spec = { rowVars: t.rowVars, colVars: t.colVars, valueVar: t.valueVar ?? undefined, agg: t.agg };
  const frequency = isFrequency(spec);
  const grid: Grid = {
    spec,
    rows: t.rows,
    cols: t.cols,
    margins: t.margins,
    stats: t.cells.map((row) => row.map((c) => statsOf(c, frequency))),
  };
  const flags = checkGrid(grid, rules);
  if (!frequency) {
    t.cells.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (cell.records > 0 && (cell.total === undefined || cell.top === undefined)) {
          flags.push(
            flag(
              'incomplete',
              r,
              c,
              'the record lacks the cell total or largest contributions, so dominance cannot be checked',
            ),
          );
        }
      }),
    );
  }
  if (ledger) flags.push(...differencingFlags(record, ledger, rules));
  const nulls: [number, number][] = [];
  t.values.forEach((row, r) => row.forEach((v, c) => v === null && nulls.push([r, c])));
  const protection: Protection = auditPattern(grid, flags, rules, nulls);
  const published = (f: Flag): boolean => t.values[f.row][f.col] !== null;
  let status: Status = 'pass';
  if (flags.some((f) => f.outcome === 'fail' && published(f)) || protection.audit.some((a) => !a.protected))
    status = 'fail';
  else if (flags.length > 0 || nulls.length > 0) status = 'review';
  const table: PublishedTable = {
    rowVars: t.rowVars,
    colVars: t.colVars,
    valueVar: t.valueVar ?? null,
    agg: t.agg,
    rows: t.rows,
    cols: t.cols,
    values: t.values,
    margins: t.margins,
    rounding: t.rounding ?? null,
  };
  return { status, summary: summarise(flags), checks: checksByRule(flags), flags, table, ...protection };
}

function regressionFlags(record: RegressionRecord, rules: RuleSet): Flag[] {
  const g = record.regression;
  const dof =
    g.residualDof ??
    (g.observations !== undefined && g.parameters !== undefined ? g.observations - g.parameters : undefined);
  if (dof === undefined)
    return [
      flag(
        'incomplete',
        0,
        0,
        'the record gives neither residual degrees of freedom nor observations and parameters',
      ),
    ];
  if (dof >= rules.minDof) return [];
  return [
    flag(
      'dof',
      0,
      0,
      `the model has ${dof} residual degrees of freedom; at least ${rules.minDof} are needed`,
    ),
  ];
}

function histogramFlags(record: HistogramRecord, rules: RuleSet): Flag[] {
  return record.histogram.bins.flatMap((bin, i) => countFlags(bin.count, i, 0, rules));
}

function survivalFlags(record: SurvivalRecord, rules: RuleSet): Flag[] {
  const steps = record.survival.steps;
  return steps.flatMap((step, i) => {
    const next = steps[i + 1];
    const leaving =
      step.censored !== undefined || !next ? step.events + (step.censored ?? 0) : step.atRisk - next.atRisk;
    if (leaving <= 0 || leaving >= rules.threshold) return [];
    return [
      flag(
        'threshold',
        i,
        0,
        `${leaving} record(s) leave the risk set at time ${step.time}; at least ${rules.threshold} must leave together`,
      ),
    ];
  });
}

function summaryFlags(record: SummaryRecord, rules: RuleSet): Flag[] {
  return record.statistics.flatMap((s, i) => {
    const flags = countFlags(s.records, i, 0, rules);
    const what = `the ${s.statistic} of ${s.variable}`;
    if (rules.singleValue && (s.statistic === 'min' || s.statistic === 'max')) {
      flags.push(flag('single_value', i, 0, `${what} is one record's own value`));
    } else if (rules.singleValue && (s.statistic === 'median' || s.statistic === 'percentile')) {
      if (s.singleRecord === true)
        flags.push(flag('single_value', i, 0, `${what} is one record's own value`));
      if (s.singleRecord === undefined)
        flags.push(
          flag('incomplete', i, 0, `the record does not say whether ${what} is one record's own value`),
        );
    }
    return flags;
  });
}

/** Checks a disclosure-control record against a rule set (and the project's release ledger, if given). */
export function checkRecord(record: SdcRecord, rules: RuleSet, ledger?: Ledger): SdcResult {
  let core: Omit<SdcResult, 'rules' | 'message' | 'notes'>;
  if (record.type === 'table') {
    core = checkTable(record as TableRecord, rules, ledger);
  } else {
    let flags: Flag[];
    switch (record.type) {
      case 'regression':
        flags = regressionFlags(record as RegressionRecord, rules);
        break;
      case 'histogram':
        flags = histogramFlags(record as HistogramRecord, rules);
        break;
      case 'survival':
        flags = survivalFlags(record as SurvivalRecord, rules);
        break;
      case 'summary':
        flags = summaryFlags(record as SummaryRecord, rules);
        break;
      default:
        flags = [
          flag(
            'unknown_type',
            0,
            0,
            `outputs of type ${JSON.stringify(record.type)} cannot be checked automatically: a person must review it`,
          ),
        ];
    }
    const status: Status = flags.some((f) => f.outcome === 'fail')
      ? 'fail'
      : flags.length > 0
        ? 'review'
        : 'pass';
    core = {
      status,
      summary: summarise(flags),
      checks: checksByRule(flags),
      flags,
      table: null,
      suppressed: [],
      audit: [],
    };
  }
  return {
    ...core,
    rules: describeRuleSet(rules),
    message: messageFor(core.status, core.flags.length),
    notes: [],
  };
}

function messageFor(status: Status, flagCount: number): string {
  if (status === 'pass') return 'no rule is broken: the output can go on to the output checkers';
  if (status === 'review') return `${flagCount} finding(s) need a person to review them (see flags)`;
  return 'the output would disclose: it is blocked (see flags for which rule, which cell and why)';
}

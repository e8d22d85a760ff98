import { type Flag, flag } from '../checks/flags';
import { type RuleSet } from '../rules/rule-set';
import { labelText } from '../table/labels';
import { type Ledger, type TableRecord } from './record-types';

function sameVars(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Flags published cells that differ from the same cell of an already released table on the same variables
 * (either way round) by fewer than the threshold records, but not by none: subtracting the two tables would
 * reveal that small group. Cells suppressed in either table reveal nothing and are skipped.
 */
export function differencingFlags(record: TableRecord, ledger: Ledger, rules: RuleSet): Flag[] {
  const flags: Flag[] = [];
  const flagged = new Set<string>();
  const t = record.table;
  for (const released of ledger.released) {
    if (record.id !== undefined && released.id === record.id) continue;
    const l = released.table;
    const direct = sameVars(t.rowVars, l.rowVars) && sameVars(t.colVars, l.colVars);
    const transposed = !direct && sameVars(t.rowVars, l.colVars) && sameVars(t.colVars, l.rowVars);
    if (!direct && !transposed) continue;
    const rowIndex = new Map((direct ? l.rows : l.cols).map((label, i) => [labelText(label), i]));
    const colIndex = new Map((direct ? l.cols : l.rows).map((label, i) => [labelText(label), i]));
    t.rows.forEach((rowLabel, r) =>
      t.cols.forEach((colLabel, c) => {
        const a = rowIndex.get(labelText(rowLabel));
        const b = colIndex.get(labelText(colLabel));
        if (a === undefined || b === undefined || t.values[r][c] === null || flagged.has(`${r},${c}`)) return;
        const [lr, lc] = direct ? [a, b] : [b, a];
        if (l.values[lr][lc] === null) return;
        const difference = Math.abs(t.cells[r][c].records - l.cells[lr][lc].records);
        if (difference === 0 || difference >= rules.threshold) return;
        flagged.add(`${r},${c}`);
        const name =
          released.id === undefined ? 'a released table' : `released table ${JSON.stringify(released.id)}`;
        flags.push(
          flag(
            'differencing',
            r,
            c,
            `this cell differs from the same cell of ${name} by ${difference} record(s); ` +
              `subtracting one from the other would reveal a group smaller than ${rules.threshold}`,
          ),
        );
      }),
    );
  }
  return flags;
}

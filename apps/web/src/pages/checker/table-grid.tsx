import type { ColumnStats } from './column-stats';
import './table-grid.css';
import { ColumnHeads } from '../../components/column-heads';

export interface GridTable {
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  /** As published: null marks a suppressed cell. */
  readonly values: readonly (number | null)[][];
}

export interface GridFlag {
  readonly rule: string;
  readonly outcome: string;
  readonly row: number | null;
  readonly col: number | null;
  readonly published: boolean;
  readonly reason: string;
}

const key = (row: number, col: number): string => `${row},${col}`;

/**
 * The table under review as a grid, as SACRO-Viewer shows it: each flagged cell outlined (red where a rule
 * fails, dashed orange where a person must look) with its failing rules listed in the cell, and suppressed
 * cells marked. Every mark is in words as well as colour, so it reads the same without sight of the colour.
 */
export function TableGrid({
  table,
  flags,
  caption,
}: {
  readonly table: GridTable;
  readonly flags: readonly GridFlag[];
  readonly caption: string;
}) {
  const byCell = new Map<string, GridFlag[]>();
  for (const flag of flags) {
    if (flag.row === null || flag.col === null) continue;
    const list = byCell.get(key(flag.row, flag.col)) ?? [];
    list.push(flag);
    byCell.set(key(flag.row, flag.col), list);
  }
  return (
    // A wide table scrolls sideways: the region takes focus so the keyboard can scroll it too.
    <div className="app-grid-wrapper" tabIndex={0} role="region" aria-label={`${caption} (scrolls sideways)`}>
      <table className="nhsuk-table app-grid">
        <caption className="nhsuk-table__caption">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <td className="nhsuk-table__header" />
            {table.cols.map((col, c) => (
              <th key={c} scope="col" className="nhsuk-table__header">
                {col}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {table.rows.map((row, r) => (
            <tr key={r} className="nhsuk-table__row">
              <th scope="row" className="nhsuk-table__header">
                {row}
              </th>
              {table.cols.map((_, c) => (
                <GridCell key={c} value={table.values[r]?.[c] ?? null} flags={byCell.get(key(r, c)) ?? []} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GridCell({ value, flags }: { readonly value: number | null; readonly flags: readonly GridFlag[] }) {
  // A cell the record suppresses meets its rules by suppression: its flags are shown, but do not outline it.
  const live = flags.filter((f) => f.published);
  const outline = live.some((f) => f.outcome === 'fail') ? 'fail' : live.length ? 'review' : null;
  const classes = ['nhsuk-table__cell'];
  if (outline) classes.push(`app-grid__cell--${outline}`);
  if (value === null) classes.push('app-grid__cell--suppressed');
  return (
    <td className={classes.join(' ')} data-flag={outline ?? undefined}>
      <span className="app-grid__value">{value === null ? 'Suppressed' : value}</span>
      {flags.length > 0 && (
        <ul className="app-grid__flags">
          {flags.map((flag, i) => (
            <li key={i} title={flag.reason}>
              {flag.published ? (flag.outcome === 'fail' ? 'Fails' : 'Review') : 'Met by suppression'}:{' '}
              {flag.rule}
            </li>
          ))}
        </ul>
      )}
    </td>
  );
}

export function ColumnStatsTable({ stats }: { readonly stats: readonly ColumnStats[] }) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption">Summary of each column</caption>
      <ColumnHeads names={['Column', 'Rows', 'Missing', 'Minimum', 'Maximum', 'Sum', 'Divisible by 5']} />
      <tbody className="nhsuk-table__body">
        {stats.map((s) => (
          <tr key={s.column} className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__header">
              {s.column}
            </th>
            <td className="nhsuk-table__cell">{s.rows}</td>
            <td className="nhsuk-table__cell">{s.missing}</td>
            <td className="nhsuk-table__cell">{s.min ?? '–'}</td>
            <td className="nhsuk-table__cell">{s.max ?? '–'}</td>
            <td className="nhsuk-table__cell">{s.sum}</td>
            <td className="nhsuk-table__cell">
              {s.divisibleBy5} of {s.rows - s.missing}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

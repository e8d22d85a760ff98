import type { RegisterEntry } from '../services/project-views';

const COLUMNS = [
  'title',
  'lay_summary',
  'organisation',
  'datasets',
  'legal_bases',
  'status',
  'approved_on',
  'end_date',
  'outputs_released',
];

/**
 * One CSV cell: quoted when it holds a separator, quote or line break, and defused when a spreadsheet would
 * read it as a formula (a leading =, +, - or @), since anyone can download the register.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerCsv(entries: readonly RegisterEntry[]): string {
  const rows = entries.map((entry) =>
    [
      entry.title,
      entry.laySummary,
      entry.organisation,
      entry.datasets.map((d) => `${d.code} (${d.title})`).join('; '),
      [...new Set(entry.datasets.map((d) => d.legalBasis))].join('; '),
      entry.status,
      entry.approvedOn,
      entry.endDate,
      entry.outputsReleased,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

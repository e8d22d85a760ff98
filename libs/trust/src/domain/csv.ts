/**
 * One CSV cell: quoted when it holds a separator, quote or line break, and defused when a spreadsheet would
 * read it as a formula (a leading =, +, - or @), since anyone can download the register and the statement.
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
): string {
  return `${[header.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n')}\r\n`;
}

/** A timestamp as the public sees a date: YYYY-MM-DD (UTC), or null. */
export const dayOf = (at: Date | string | null | undefined): string | null =>
  at ? new Date(at).toISOString().slice(0, 10) : null;

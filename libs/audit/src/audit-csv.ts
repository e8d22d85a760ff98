import type { AuditEventView } from './audit.types';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorId',
  'action',
  'subjectType',
  'subjectId',
  'details',
  'hash',
] as const;

/** A cell as RFC 4180 wants it, and never a formula a spreadsheet would run (a leading = + - @ is quoted out). */
export function auditCsvCell(value: unknown): string {
  // Numbers and objects as JSON (7, {"reason":...}); strings as they are.
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const auditCsvHeader = (): string => `${AUDIT_CSV_COLUMNS.join(',')}\n`;

/** One event as a CSV line, with its newline (the same columns and quoting as the web page's export). */
export const auditCsvLine = (event: AuditEventView): string =>
  `${AUDIT_CSV_COLUMNS.map((column) => auditCsvCell(event[column])).join(',')}\n`;

import type { Schemas } from '../../api/client';

type AuditEvent = Schemas['AuditEventDto'];

const COLUMNS = [
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
function cell(value: unknown): string {
  // Numbers and objects as JSON (7, {"reason":...}); strings as they are.
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit events shown, as CSV with a header line. */
export function auditCsv(events: readonly AuditEvent[]): string {
  const lines = [COLUMNS.join(',')];
  for (const event of events) lines.push(COLUMNS.map((column) => cell(event[column])).join(','));
  return `${lines.join('\n')}\n`;
}

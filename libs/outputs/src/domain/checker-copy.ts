import { createHash } from 'node:crypto';
import { neutraliseFormulas } from './formula-cells';
import { decodeText, kindOfName } from './sniff';

/** What a checker's download serves: never the stored bytes of a table a spreadsheet could run. */
export interface CheckerCopy {
  readonly content: Buffer;
  readonly mediaType: string;
  /** SHA-256 of the bytes served (differs from the stored file's only when cells were neutralised). */
  readonly sha256: string;
  readonly neutralisedCells: number;
}

/**
 * A checker reads CSV and JSON files as `text/plain` (no spreadsheet is associated with it, and the API sends
 * `nosniff` and `attachment`), with every cell a spreadsheet would run as a formula prefixed by `'`, so even
 * a copy saved as `.csv` and opened in Excel shows the text instead of running it. Other files are served as
 * stored. The stored bytes (what the checks judged and a release serves) are never changed.
 */
export function checkerCopy(fileName: string, mediaType: string, stored: Buffer): CheckerCopy {
  const kind = kindOfName(fileName);
  const same = (type: string): CheckerCopy => ({
    content: stored,
    mediaType: type,
    sha256: createHash('sha256').update(stored).digest('hex'),
    neutralisedCells: 0,
  });
  if (kind !== 'csv' && kind !== 'json') return same(mediaType);
  const decoded = decodeText(stored);
  if (!('text' in decoded)) return same('application/octet-stream');
  let safe: ReturnType<typeof neutraliseFormulas>;
  try {
    safe = neutraliseFormulas(kind, decoded.text);
  } catch {
    // JSON too deep to scan or rewrite: served as plain text (a spreadsheet does not evaluate JSON strings),
    // and the check flagged it for the checker.
    return same('text/plain; charset=utf-8');
  }
  if (!safe) return same('text/plain; charset=utf-8');
  const content = Buffer.from(safe.text, 'utf8');
  return {
    content,
    mediaType: 'text/plain; charset=utf-8',
    sha256: createHash('sha256').update(content).digest('hex'),
    neutralisedCells: safe.cells,
  };
}

import { CsvError, parseCsv } from '@tre/sdc';
import { decodeText, kindOfName, type OUTPUT_TYPES } from './sniff';

/** Most rows (the header included) and columns of a table shown in the page; the rest is downloaded. */
export const PREVIEW_MAX_ROWS = 500;
export const PREVIEW_MAX_COLS = 60;
/** Most characters of a text file shown in the page. */
export const PREVIEW_MAX_CHARS = 65_536;

/**
 * What a checker's page shows of a file that has no table record: a CSV as its rows of cells, a text or JSON
 * file as text, anything else not at all (with the reason). Bounded, so a large file never fills the page;
 * `truncated` says when more is in the file. The cells are the stored bytes as text: the page shows them as
 * text and never evaluates them, so no formula neutralising is needed here (the download still gets it).
 */
export type FilePreview =
  | {
      readonly kind: 'table';
      readonly rows: string[][];
      readonly totalRows: number;
      readonly totalCols: number;
      readonly truncated: boolean;
    }
  | { readonly kind: 'text'; readonly text: string; readonly truncated: boolean }
  | { readonly kind: 'none'; readonly reason: string };

const NOT_SHOWN: Partial<Record<keyof typeof OUTPUT_TYPES, string>> = {
  png: 'An image is not shown in the page: download the file to look at it.',
  pdf: 'A PDF is not shown in the page: download the file to read it.',
};

export function previewOf(fileName: string, stored: Buffer): FilePreview {
  const kind = kindOfName(fileName);
  if (kind === undefined || NOT_SHOWN[kind])
    return {
      kind: 'none',
      reason: NOT_SHOWN[kind ?? 'pdf'] ?? 'This type of file is not shown in the page.',
    };
  const decoded = decodeText(stored);
  if ('reason' in decoded) return { kind: 'none', reason: `The file is not shown: ${decoded.reason}.` };
  if (kind === 'csv') {
    try {
      return tableOf(parseCsv(decoded.text));
    } catch (error: unknown) {
      if (!(error instanceof CsvError)) throw error;
      // Shown as text, so the checker sees the malformed line the checks named.
    }
  }
  const truncated = decoded.text.length > PREVIEW_MAX_CHARS;
  return {
    kind: 'text',
    text: truncated ? decoded.text.slice(0, PREVIEW_MAX_CHARS) : decoded.text,
    truncated,
  };
}

function tableOf(records: string[][]): FilePreview {
  const totalCols = records.reduce((widest, record) => Math.max(widest, record.length), 0);
  const rows = records.slice(0, PREVIEW_MAX_ROWS).map((record) => record.slice(0, PREVIEW_MAX_COLS));
  return {
    kind: 'table',
    rows,
    totalRows: records.length,
    totalCols,
    truncated: records.length > PREVIEW_MAX_ROWS || totalCols > PREVIEW_MAX_COLS,
  };
}

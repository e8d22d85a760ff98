import { normaliseNhsNumber } from '../safe-data';

/**
 * Reads an opt-out file: CSV with one column whose header is `nhs_number`, one NHS number a line (spaces or
 * hyphens inside a number are accepted, `943 476 5919`). The file is taken whole or not at all: any bad line
 * refuses it, and the problems name line numbers only, never the values, which may be real identifiers.
 */

export const OPT_OUT_FILE_HEADER = 'nhs_number';
/** Problems reported in full; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 20;

export interface OptOutFileProblem {
  /** 1-based, the header being line 1. */
  readonly line: number;
  readonly reason: string;
}

export type OptOutFileResult =
  | {
      readonly ok: true;
      /** Normalised, distinct, in file order. */
      readonly nhsNumbers: string[];
      /** Lines repeating a number already read (kept once). */
      readonly duplicates: number;
    }
  | {
      readonly ok: false;
      /** The first MAX_REPORTED_PROBLEMS problems. */
      readonly problems: OptOutFileProblem[];
      readonly problemCount: number;
    };

const unquote = (value: string): string =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).trim() : value;

export function parseOptOutFile(text: string): OptOutFileResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: OptOutFileProblem[] = [];
  let problemCount = 0;
  const problem = (line: number, reason: string): void => {
    problemCount += 1;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ line, reason });
  };
  const header = unquote((lines[0] ?? '').trim()).toLowerCase();
  if (header !== OPT_OUT_FILE_HEADER) {
    problem(1, `the header must be the single column ${OPT_OUT_FILE_HEADER}`);
  }
  const seen = new Set<string>();
  const nhsNumbers: string[] = [];
  let duplicates = 0;
  for (let index = 1; index < lines.length; index++) {
    const raw = lines[index].trim();
    if (raw === '') continue;
    const lineNumber = index + 1;
    if (raw.includes(',') || raw.includes(';') || raw.includes('\t')) {
      problem(lineNumber, 'more than one column');
      continue;
    }
    const normalised = normaliseNhsNumber(unquote(raw));
    if (normalised === null) {
      problem(lineNumber, 'not an NHS number (ten digits passing the modulus 11 check)');
      continue;
    }
    if (seen.has(normalised)) duplicates += 1;
    else {
      seen.add(normalised);
      nhsNumbers.push(normalised);
    }
  }
  if (problemCount === 0 && nhsNumbers.length === 0) {
    // An empty list would silently lift every opt-out; a truncated upload must not do that.
    problem(1, 'the file holds no NHS numbers');
  }
  return problemCount > 0 ? { ok: false, problems, problemCount } : { ok: true, nhsNumbers, duplicates };
}

/** `line 3: ...; line 7: ...` and how many more, for error messages. */
export function describeProblems(problems: readonly OptOutFileProblem[], problemCount: number): string {
  const listed = problems.map((p) => `line ${p.line}: ${p.reason}`).join('; ');
  return problemCount > problems.length ? `${listed}; and ${problemCount - problems.length} more` : listed;
}

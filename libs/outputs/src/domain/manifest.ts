import type { FileCheckResult } from './check-file';
import type { ExtractEvidence } from './extract-verification';
import type { OutputProvenance } from '../entities/output-file.entity';
import type { FileDecision, OutputVote } from './review-decision';

export const MANIFEST_SCHEMA = 'tre-output-release';
export const MANIFEST_VERSION = '1.2.0';
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly decision: FileDecision;
  readonly conflicted: boolean;
  readonly check: Pick<
    FileCheckResult,
    'status' | 'message' | 'recordType' | 'publishedTable' | 'suppressedCells'
  > & {
    /** "verified against the extract" or "derived data: the record is the researcher's" (since 1.2). */
    readonly evidence: ExtractEvidence | null;
    readonly flags: number;
    /** Cells a spreadsheet would run as formulas, flagged to the checkers (`formula_cell`); since 1.1. */
    readonly formulaCells: number;
  };
  /**
   * Where the bytes left the workspace (since 1.2): workspace, namespace, volume claim uid, Job uid, image,
   * runner, path, size, SHA-256, modified and collected times, the record's path and SHA-256.
   */
  readonly provenance: OutputProvenance | null;
  /** The researcher's "what this is" and "how disclosure was controlled" (since 1.2). */
  readonly context: string | null;
  readonly controls: string | null;
  readonly reviews: {
    readonly checkerId: string;
    readonly vote: OutputVote;
    readonly comment: string;
    readonly at: string;
  }[];
}

/** What a released bundle holds and why it was allowed out; its SHA-256 identifies the bundle. */
export interface ReleaseManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly version: typeof MANIFEST_VERSION;
  readonly requestId: string;
  readonly projectId: string;
  readonly round: number;
  readonly releasedAt: string;
  /** Name, version and SHA-256 of the rule set in force (`OUTPUT_RULES_FILE`); the SHA-256 since 1.1. */
  readonly rules: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly reviewsRequired: number;
  readonly files: ManifestFile[];
}

/** The manifest as stored and served: fixed key order, so the same release always hashes the same. */
export function manifestBytes(manifest: ReleaseManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

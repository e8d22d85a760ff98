import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { CollectPathError, readOutputFile } from './output-paths';

/** One file a request asks for: its path in the outputs folder and, optionally, its record's path. */
export interface CollectItem {
  readonly path: string;
  readonly recordPath?: string | null;
}

/** The size and type rules (the airlock's sniffer), handed in so this library does not depend on the airlock. */
export type Sniffer = (
  fileName: string,
  content: Buffer,
) => { ok: true; mediaType: string } | { ok: false; reason: string };

export interface CollectedFile {
  readonly path: string;
  readonly content: Buffer;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly modifiedAt: string;
  readonly mediaType: string;
  readonly record: { readonly path: string; readonly content: Buffer; readonly sha256: string } | null;
}

export type CollectResult =
  | { readonly ok: true; readonly file: CollectedFile }
  | { readonly ok: false; readonly path: string; readonly reason: string };

export interface CollectRules {
  readonly maxFileBytes: number;
  /** Records are small JSON documents; a larger one is refused. */
  readonly maxRecordBytes?: number;
  readonly sniff: Sniffer;
}

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/**
 * Collects one file (and its record) by the path rules and the size and type rules, or says why not. Never
 * throws for a bad path or file: the reason is the result, so one bad file does not stop the others.
 */
export async function collectOne(
  root: string,
  item: CollectItem,
  rules: CollectRules,
): Promise<CollectResult> {
  const refuse = (reason: string): CollectResult => ({ ok: false, path: item.path, reason });
  try {
    const read = await readOutputFile(root, item.path, rules.maxFileBytes);
    const sniffed = rules.sniff(basename(item.path), read.content);
    if (!sniffed.ok) return refuse(sniffed.reason);
    let record: CollectedFile['record'] = null;
    if (item.recordPath) {
      if (!item.recordPath.endsWith('.json'))
        return refuse(`the record ${item.recordPath} must be a .json file`);
      const r = await readOutputFile(root, item.recordPath, rules.maxRecordBytes ?? 1_048_576);
      record = { path: item.recordPath, content: r.content, sha256: sha256(r.content) };
    }
    return {
      ok: true,
      file: {
        path: item.path,
        content: read.content,
        sha256: sha256(read.content),
        sizeBytes: read.sizeBytes,
        modifiedAt: read.modifiedAt.toISOString(),
        mediaType: sniffed.mediaType,
        record,
      },
    };
  } catch (error: unknown) {
    if (error instanceof CollectPathError)
      return refuse(error.path === item.path ? error.reason : `its record ${error.path}: ${error.reason}`);
    return refuse(`could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

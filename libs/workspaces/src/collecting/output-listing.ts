import { lstat, opendir, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/** A file in the outputs volume as a member sees it before adding it to a request. */
export interface ListedOutputFile {
  /** Relative to the outputs folder, `/`-separated. */
  readonly path: string;
  readonly sizeBytes: number;
  readonly modifiedAt: string;
  /** The disclosure-control record beside it (`<path>.record.json`), if there is one. */
  readonly recordPath: string | null;
}

export interface OutputListing {
  readonly files: ListedOutputFile[];
  /** Entries left out because they are not regular files (links, FIFOs, devices, sockets), by path. */
  readonly skipped: { readonly path: string; readonly reason: string }[];
  /** True when the listing stopped at `maxEntries` or `maxDepth`. */
  readonly truncated: boolean;
}

/** A file's record travels beside it under this suffix: `table.csv` and `table.csv.record.json`. */
export const RECORD_SUFFIX = '.record.json';

/**
 * Lists the regular files of the outputs folder without following any symbolic link (a link is reported as
 * skipped, never entered), at most `maxEntries` entries and `maxDepth` folders deep, sorted by path.
 */
export async function listOutputFiles(
  root: string,
  limits: { maxEntries?: number; maxDepth?: number } = {},
): Promise<OutputListing> {
  const maxEntries = limits.maxEntries ?? 1000;
  const maxDepth = limits.maxDepth ?? 16;
  const files: { path: string; sizeBytes: number; modifiedAt: string }[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let truncated = false;
  let seen = 0;
  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    const entries = [];
    for await (const entry of await opendir(dir)) entries.push(entry.name);
    for (const name of entries.sort()) {
      if (++seen > maxEntries) {
        truncated = true;
        return;
      }
      const path = prefix ? `${prefix}/${name}` : name;
      const info = await lstat(join(dir, name)).catch(() => undefined);
      if (!info) continue; // gone since the folder was read
      if (info.isDirectory()) {
        if (depth >= maxDepth) truncated = true;
        else await walk(join(dir, name), path, depth + 1);
      } else if (info.isFile()) {
        files.push({ path, sizeBytes: info.size, modifiedAt: info.mtime.toISOString() });
      } else {
        skipped.push({ path, reason: info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file' });
      }
    }
  };
  await walk(await realpath(root), '', 1);
  const paths = new Set(files.map((f) => f.path));
  return {
    files: files.map((f) => ({
      ...f,
      recordPath: paths.has(`${f.path}${RECORD_SUFFIX}`) ? `${f.path}${RECORD_SUFFIX}` : null,
    })),
    skipped,
    truncated,
  };
}

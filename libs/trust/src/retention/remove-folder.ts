import { lstat, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What a deletion freed. */
export interface Freed {
  files: number;
  bytes: number;
}

/** Counts the regular files under a folder and their bytes (links are not followed). */
async function measure(path: string, into: Freed): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch {
    return;
  }
  if (stats.isDirectory()) {
    for (const entry of await readdir(path)) await measure(join(path, entry), into);
  } else {
    into.files += 1;
    into.bytes += stats.size;
  }
}

/** Deletes a folder and everything in it; what it held. A folder already gone frees nothing. */
export async function removeFolder(path: string): Promise<Freed> {
  const freed: Freed = { files: 0, bytes: 0 };
  await measure(path, freed);
  await rm(path, { recursive: true, force: true });
  return freed;
}

/** Removes a folder only if it is empty (a project's folder once its last extract is gone). */
export async function removeIfEmpty(path: string): Promise<void> {
  await rmdir(path).catch(() => undefined);
}

import { randomUUID } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Creates a private file (0600, in a 0700 directory) unless it exists, atomically: the content is written
 * aside, then hard-linked into place. Linking refuses to overwrite, so when several processes race (API,
 * worker and CLI starting together) the first one's file is kept, and nobody ever reads a half-written one.
 */
export async function createFileOnce(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  try {
    await link(temp, path);
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
}

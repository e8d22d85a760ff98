import { constants } from 'node:fs';
import { lstat, open, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/** A path the collector will not take out of the outputs volume, and why (shown on that file). */
export class CollectPathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(path)}: ${reason}`);
    this.name = 'CollectPathError';
  }
}

const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 16;

/**
 * The path's components, or why it is refused: relative to the outputs root, `/`-separated, no `..` or `.`
 * component, no empty component (`a//b`, a trailing `/`), no NUL or other control character, no backslash
 * (a Windows separator would mean something else to someone).
 */
export function pathComponents(path: string): string[] {
  if (typeof path !== 'string' || path.length === 0)
    throw new CollectPathError(String(path), 'the path is empty');
  if (path.length > MAX_PATH_LENGTH)
    throw new CollectPathError(path.slice(0, 80), `the path is longer than ${MAX_PATH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path))
    throw new CollectPathError(path, 'the path holds a control character');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    throw new CollectPathError(path, 'an absolute path: give a path relative to the outputs folder');
  if (path.includes('\\'))
    throw new CollectPathError(path, 'a backslash in the path: separate folders with /');
  const parts = path.split('/');
  if (parts.some((p) => p === '..'))
    throw new CollectPathError(path, 'the path leaves the outputs folder (..)');
  if (parts.some((p) => p === '' || p === '.'))
    throw new CollectPathError(path, 'an empty or "." component in the path');
  if (parts.length > MAX_DEPTH) throw new CollectPathError(path, `more than ${MAX_DEPTH} folders deep`);
  return parts;
}

function kindOf(info: Awaited<ReturnType<typeof lstat>>): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return info.isFile() ? 'a regular file' : 'not a regular file';
}

const missing = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ||
  (error as NodeJS.ErrnoException | undefined)?.code === 'ENOTDIR';

/** What the collector read of one file: its bytes (never more than the limit), as found at `path`. */
export interface CollectedBytes {
  readonly path: string;
  readonly content: Buffer;
  readonly sizeBytes: number;
  readonly modifiedAt: Date;
}

/**
 * Reads one file of the outputs volume, refusing anything but a regular file reached without a symbolic link:
 * every component below the root is `lstat`ed (each folder a real folder, the file a regular file), the file
 * is opened with `O_NOFOLLOW | O_NONBLOCK` (a FIFO swapped in after the check cannot block the collector), the
 * open file must be the one checked (same device and inode), and, where `/proc` shows it, the opened file's
 * real path must be the checked path under the root's real path (a folder swapped for a link meanwhile is
 * caught). A file over `maxBytes` is refused without reading more than one byte past the limit.
 */
export async function readOutputFile(root: string, path: string, maxBytes: number): Promise<CollectedBytes> {
  const parts = pathComponents(path);
  const rootReal = await realpath(root).catch(() => {
    throw new CollectPathError(path, 'the outputs folder does not exist');
  });
  let current = rootReal;
  for (const [i, part] of parts.entries()) {
    current = join(current, part);
    const info = await lstat(current).catch((error: unknown) => {
      if (missing(error))
        throw new CollectPathError(
          path,
          `${i === parts.length - 1 ? 'the file' : `folder "${part}"`} does not exist (moved or deleted?)`,
        );
      throw error;
    });
    const last = i === parts.length - 1;
    if (!last && !info.isDirectory())
      throw new CollectPathError(
        path,
        `"${parts.slice(0, i + 1).join('/')}" is ${kindOf(info)}, not a folder`,
      );
    if (last && !info.isFile()) throw new CollectPathError(path, `it is ${kindOf(info)}, not a regular file`);
  }
  const checked = await lstat(current);
  if (checked.size > maxBytes)
    throw new CollectPathError(path, `it is ${checked.size} bytes, over the limit of ${maxBytes}`);
  const handle = await open(current, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (error: unknown) => {
      if (missing(error)) throw new CollectPathError(path, 'the file does not exist (moved or deleted?)');
      if ((error as NodeJS.ErrnoException).code === 'ELOOP')
        throw new CollectPathError(path, 'it became a symbolic link while being collected');
      throw error;
    },
  );
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== checked.ino || opened.dev !== checked.dev)
      throw new CollectPathError(path, 'the file was replaced while being collected');
    const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    if (real !== undefined && real !== current)
      throw new CollectPathError(
        path,
        'a folder on the path was replaced while the file was being collected',
      );
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(opened.size + 1, 1)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new CollectPathError(path, `it grew past the limit of ${maxBytes} bytes`);
    if (length > opened.size) throw new CollectPathError(path, 'the file grew while being collected');
    return { path, content: buffer.subarray(0, length), sizeBytes: length, modifiedAt: opened.mtime };
  } finally {
    await handle.close();
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

export const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/**
 * Content-addressed, write-once file store on a local directory: a file lives at `ab/cd/<sha256>`. A write
 * goes to a temporary name and is hard-linked into place, which refuses to overwrite; so a stored file
 * never changes, readers never see half a file, and storing the same bytes twice keeps one copy.
 */
export class ObjectStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(content: Buffer): Promise<string> {
    const sha256 = sha256Of(content);
    const path = this.pathOf(sha256);
    if (await this.has(sha256)) return sha256;
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temp, content, { mode: 0o400 });
    try {
      await link(temp, path);
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temp);
    }
    return sha256;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Deletes a stored file (retention); the bytes it freed, 0 when it was already gone. Callers make sure no
   * other live row holds the same bytes, since identical content is stored once.
   */
  async remove(sha256: string): Promise<number> {
    const path = this.pathOf(sha256);
    let bytes: number;
    try {
      bytes = (await stat(path)).size;
    } catch {
      return 0;
    }
    await rm(path, { force: true });
    return bytes;
  }

  /** Reads a stored file and proves it is still what its name says. */
  async get(sha256: string): Promise<Buffer> {
    const content = await readFile(this.pathOf(sha256));
    if (sha256Of(content) !== sha256) throw new Error(`stored file ${sha256} has been altered`);
    return content;
  }
}

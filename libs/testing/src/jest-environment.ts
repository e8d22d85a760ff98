import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

/**
 * Jest's node environment, plus a temporary folder of each test file's own: TMPDIR points at it while the file
 * runs (so `os.tmpdir()`, every `mkdtemp` under it and child processes land there), and it is removed with
 * everything in it once the file's own afterAll hooks have run. Tests make what folders they like; none outlives
 * its file.
 */
export default class TreTestEnvironment extends TestEnvironment {
  private readonly dir: string;
  private readonly previousTmpdir: string | undefined;

  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    this.previousTmpdir = process.env.TMPDIR;
    this.dir = mkdtempSync(join(tmpdir(), 'tre-jest-'));
    // The worker process's own environment is what os.tmpdir() reads; the test's copy is what it spawns with.
    process.env.TMPDIR = this.dir;
    this.global.process.env.TMPDIR = this.dir;
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    if (this.previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.previousTmpdir;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

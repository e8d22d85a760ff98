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
interface TrackedClient {
  readonly client: { readonly status: string; disconnect(): void };
  readonly stack: string;
}

export default class TreTestEnvironment extends TestEnvironment {
  private readonly dir: string;
  private readonly previousTmpdir: string | undefined;
  private readonly testPath: string;

  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    this.testPath = args[1].testPath;
    this.previousTmpdir = process.env.TMPDIR;
    this.dir = mkdtempSync(join(tmpdir(), 'tre-jest-'));
    // The worker process's own environment is what os.tmpdir() reads; the test's copy is what it spawns with.
    process.env.TMPDIR = this.dir;
    this.global.process.env.TMPDIR = this.dir;
  }

  override async teardown(): Promise<void> {
    await this.closeRedisClientsLeftOpen();
    await super.teardown();
    if (this.previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.previousTmpdir;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * A Redis client the file made and did not close (track-redis-clients.ts noted it) would reconnect for ever
   * and keep jest from exiting; it is closed here, and where it was made is said, to be fixed at its source.
   */
  private async closeRedisClientsLeftOpen(): Promise<void> {
    const tracked = (this.global as { __treRedisClients?: TrackedClient[] }).__treRedisClients ?? [];
    const open = () => tracked.filter(({ client }) => client.status !== 'end' && client.status !== 'wait');
    // A client closed by the file's last hook says so a moment later (its socket's close event): give it that.
    if (open().length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    for (const { client, stack } of open()) {
      const madeAt = stack
        .split('\n')
        .filter((line) => line.includes('/libs/') || line.includes('/apps/') || line.includes('/test/'))
        .slice(0, 6)
        .join('\n');
      process.stderr.write(
        `\n${this.testPath}: a Redis client was left ${client.status} when the file ended; closed now. Made at:\n${madeAt}\n`,
      );
      client.disconnect();
    }
  }
}

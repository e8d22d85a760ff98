import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Extracts are built in EXTRACT_BUILD_DIR, never in the store: the store holds only complete, gated extracts,
 * and a build reaches it by one rename. A build folder is `<extractId>.<random>`; while it is being written,
 * its worker holds a Postgres advisory lock named after the extract on a connection of its own. Postgres drops
 * the lock when that connection ends, as it does when the worker dies, so "the lock is free" means "the build
 * is dead" on any worker replica sharing the folder, with no clock or heartbeat to tune.
 */

const LOCK_SQL = `hashtext('tre.extract-build'), hashtext($1)`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Folders builds of earlier versions left inside the store: `.building-<extractId>-<random>`. */
const LEGACY_BUILD = /^\.building-([0-9a-f-]{36})-/;

export interface BuildDirs {
  readonly buildDir: string;
  readonly storeDir: string;
  readonly databaseUrl: string;
}

/** The running build's claim on its extract: held until release(), or until the process dies. */
export class BuildLock {
  private constructor(private readonly client: Client) {}

  /** Waits for any other live build of this extract (a stalled job's first attempt) to end first. */
  static async acquire(databaseUrl: string, extractId: string): Promise<BuildLock> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'tre-extract-build' });
    await client.connect();
    try {
      await client.query(`SELECT pg_advisory_lock(${LOCK_SQL})`, [extractId]);
    } catch (error: unknown) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // A lost connection means a lost lock: end the build rather than write on unowned.
    client.on('error', () => undefined);
    return new BuildLock(client);
  }

  async release(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

export function newBuildFolder(buildDir: string, extractId: string): string {
  return join(buildDir, `${extractId}.${randomUUID()}`);
}

/** Refuses a build folder on another filesystem than the store: the delivering rename must be atomic. */
export async function prepareBuildDirs(dirs: BuildDirs): Promise<void> {
  await mkdir(dirs.buildDir, { recursive: true, mode: 0o750 });
  await mkdir(dirs.storeDir, { recursive: true, mode: 0o750 });
  const [build, store] = await Promise.all([stat(dirs.buildDir), stat(dirs.storeDir)]);
  if (build.dev !== store.dev) {
    throw new Error(
      `EXTRACT_BUILD_DIR (${dirs.buildDir}) and EXTRACT_STORE_DIR (${dirs.storeDir}) are on different filesystems: ` +
        'an extract must reach the store by one atomic rename, so put both on the same volume',
    );
  }
}

/**
 * Removes every build folder whose build is dead (its extract's lock is free), and the `.building-*` folders
 * earlier versions left inside the store. `except` is the folder of the caller's own live build. Returns the
 * folders removed.
 */
export async function sweepDeadBuilds(dirs: BuildDirs, except?: string): Promise<string[]> {
  const candidates: { path: string; extractId: string | null }[] = [];
  for (const name of await entries(dirs.buildDir)) {
    const id = name.split('.')[0];
    if (join(dirs.buildDir, name) !== except)
      candidates.push({ path: join(dirs.buildDir, name), extractId: UUID.test(id) ? id : null });
  }
  for (const project of await entries(dirs.storeDir)) {
    for (const name of await entries(join(dirs.storeDir, project))) {
      const legacy = LEGACY_BUILD.exec(name);
      if (legacy) candidates.push({ path: join(dirs.storeDir, project, name), extractId: legacy[1] });
    }
  }
  if (candidates.length === 0) return [];
  const removed: string[] = [];
  const client = new Client({ connectionString: dirs.databaseUrl, application_name: 'tre-extract-sweep' });
  await client.connect();
  try {
    for (const candidate of candidates) {
      // Nothing but builds belongs in the build folder: a name that is no build's is removed too.
      if (candidate.extractId === null || (await isDead(client, candidate.extractId, except))) {
        await rm(candidate.path, { recursive: true, force: true });
        removed.push(candidate.path);
      }
    }
  } finally {
    await client.end();
  }
  return removed;
}

async function isDead(client: Client, extractId: string, except?: string): Promise<boolean> {
  // The caller's own build holds this extract's lock: its other folders are earlier, dead attempts.
  if (except?.includes(extractId)) return true;
  const { rows } = await client.query<{ free: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_SQL}) AS free`, [
    extractId,
  ]);
  if (rows[0].free) await client.query(`SELECT pg_advisory_unlock(${LOCK_SQL})`, [extractId]);
  return rows[0].free;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT' || (error as { code?: string }).code === 'ENOTDIR')
      return [];
    throw error;
  }
}

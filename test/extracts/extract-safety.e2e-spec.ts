import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import {
  ExtractBuildSweeper,
  ExtractEntity,
  ExtractService,
  Pseudonymiser,
  type ExtractRequest,
} from '@tre/datasets';
import { DataSource } from 'typeorm';
import { callerAs, type Caller } from '../support/project-fixtures';
import { createSmallSources, requestFor, type SmallSource } from '../support/small-sources';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';

/** Every file under dir, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

// k = 3 throughout. Person indexes refer to PEOPLE in small-sources.
const MANY_EPISODES: SmallSource = {
  code: 'EPISODES',
  table: 'episodes',
  columns: ['band'],
  // Person 0 alone has band "x", on four rows; 1, 2 and 3 share band "y".
  rows: [
    [0, 'x'],
    [0, 'x'],
    [0, 'x'],
    [0, 'x'],
    [1, 'y'],
    [2, 'y'],
    [3, 'y'],
  ],
};
// Each file alone is 3-anonymous; linked on the pseudonym, people fall into groups of 1 and 2.
const GP: SmallSource = {
  code: 'GPX',
  table: 'gpx',
  columns: ['sex', 'region'],
  rows: [
    [1, 'F', 'N'],
    [2, 'F', 'N'],
    [3, 'F', 'N'],
    [4, 'F', 'S'],
    [5, 'F', 'S'],
    [6, 'F', 'S'],
  ],
};
const HES: SmallSource = {
  code: 'HESX',
  table: 'hesx',
  columns: ['band'],
  rows: [
    [1, 'a'],
    [4, 'a'],
    [5, 'a'],
    [2, 'b'],
    [3, 'b'],
    [6, 'b'],
  ],
};
// Linked, the same people form two groups of three.
const HES_ALIGNED: SmallSource = {
  code: 'HES_ALIGNED',
  table: 'hes_aligned',
  columns: ['band'],
  rows: [
    [1, 'a'],
    [2, 'a'],
    [3, 'a'],
    [3, 'a'],
    [4, 'b'],
    [5, 'b'],
    [6, 'b'],
  ],
};

describe('the extract keeps its promises', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let extracts: ExtractService;
  let cara: Caller;
  let ids: Map<string, string>;
  let storeDir: string;
  let buildDir: string;

  beforeAll(async () => {
    storeDir = join(mkdtempSync(join(tmpdir(), 'tre-extract-safety-')), 'extracts');
    buildDir = `${storeDir}-building`;
    t = await startTestApp({
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: storeDir,
      EXTRACT_BUILD_DIR: buildDir,
      PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-key-')), 'master.key'),
      EXTRACT_MIN_K: '3',
    });
    cara = await callerAs(t, 'cara', ['data_custodian']);
    ids = await createSmallSources(t.env.database.url, cara, [MANY_EPISODES, GP, HES, HES_ALIGNED]);
    worker = await startTestWorker();
    extracts = worker.get(ExtractService);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const buildFails = async (request: ExtractRequest): Promise<string> => {
    await expect(extracts.build(request)).rejects.toThrow(/the gate failed/);
    const row = await t.app.get(DataSource).manager.findOneByOrFail(ExtractEntity, {
      approvalId: request.approvalId,
    });
    expect(row.status).toBe('failed');
    expect(filesUnder(join(storeDir, request.projectId))).toEqual([]);
    return row.failureReason!;
  };

  describe('k-anonymity counts people, over the quasi-identifiers of all files together', () => {
    it('fails a person whose many rows would have made their group look large', async () => {
      const reason = await buildFails(requestFor(ids, [MANY_EPISODES]));
      expect(reason).toContain(
        'the extract is not 3-anonymous over EPISODES.band: 1 group(s) of people smaller than 3, the smallest of 1',
      );
    });

    it('fails files that are each k-anonymous but single people out once linked', async () => {
      expect(
        (await extracts.build(requestFor(ids, [GP]))) && (await extracts.build(requestFor(ids, [HES]))),
      ).toBe(true);
      const reason = await buildFails(requestFor(ids, [GP, HES]));
      expect(reason).toContain(
        'the extract is not 3-anonymous over GPX.sex, GPX.region, HESX.band: 4 group(s) of people smaller than 3, the smallest of 1',
      );
    });

    it('passes linked files whose people stay in groups of k, and reports people, not rows', async () => {
      const request = requestFor(ids, [GP, HES_ALIGNED]);
      expect(await extracts.build(request)).toBe(true);
      const row = await t.app.get(DataSource).manager.findOneByOrFail(ExtractEntity, {
        approvalId: request.approvalId,
      });
      const gate = (row.manifest as { gate: { kAnonymity: Record<string, unknown> } }).gate;
      expect(gate.kAnonymity).toMatchObject({ people: 6, groups: 2, smallestGroupSize: 3, groupsBelowK: 0 });
    });
  });

  describe('the pseudonyms written to the files are checked against node:crypto', () => {
    afterEach(() => jest.restoreAllMocks());

    it('samples the written files and finds them equal to the reference HMAC', async () => {
      const request = requestFor(ids, [GP, HES_ALIGNED]);
      await extracts.build(request);
      const row = await t.app.get(DataSource).manager.findOneByOrFail(ExtractEntity, {
        approvalId: request.approvalId,
      });
      const { stability } = (row.manifest as { gate: { stability: Record<string, unknown> } }).gate;
      expect(stability).toEqual({ sampled: 13, mismatched: 0, stable: true, differsAcrossProjects: true });
    });

    it('fails the gate when the fast HMAC writes a wrong pseudonym', async () => {
      const fast = Pseudonymiser.prototype.nhsNumberHexInto;
      jest.spyOn(Pseudonymiser.prototype, 'nhsNumberHexInto').mockImplementation(function (
        this: Pseudonymiser,
        digits,
        start,
        out,
        at,
      ) {
        fast.call(this, digits, start, out, at);
        // One wrong hex digit: still 64 hex characters, still linking, but not the HMAC.
        out[at + 63] = out[at + 63] === 0x30 ? 0x31 : 0x30;
      });
      const reason = await buildFails(requestFor(ids, [GP, HES_ALIGNED]));
      expect(reason).toContain(
        'pseudonyms are not stable: 13 of 13 sampled from the written files differ from the reference HMAC',
      );
    });
  });

  describe('only complete, gated extracts ever sit in the store', () => {
    it('builds outside the store, and sweeps a build whose worker died, never a live one', async () => {
      const request = requestFor(ids, [GP, HES_ALIGNED]);
      let hung!: () => void;
      const resume = new Promise<void>((resolve) => (hung = resolve));
      // The build stops when it starts its second file, the first one written and not yet gated.
      const building = extracts.build(request, (_, step) =>
        step.startsWith('extract HES_ALIGNED') ? resume : Promise.resolve(),
      );
      try {
        await buildIsSweptOnceDead(request);
      } finally {
        hung();
      }
      await expect(building).rejects.toThrow();
      expect(filesUnder(join(storeDir, request.projectId))).toEqual([]);
    });

    const buildIsSweptOnceDead = async (request: ExtractRequest) => {
      const leftover = await eventually(async () => filesUnder(buildDir).find((f) => f.endsWith('GPX.csv')));
      expect(filesUnder(join(storeDir, request.projectId))).toEqual([]);
      const sweeper = worker.get(ExtractBuildSweeper);
      expect(await sweeper.sweep()).toEqual([]);
      expect(existsSync(join(buildDir, leftover))).toBe(true);

      // The worker dies: its connections end, and with them the lock naming the build.
      const db = new Client({ connectionString: t.env.database.url });
      await db.connect();
      const killed = await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'tre-extract-build'`,
      );
      await db.end();
      expect(killed.rowCount).toBe(1);
      const removed = await eventually(async () => {
        const gone = await sweeper.sweep();
        return gone.length ? gone : undefined;
      });
      expect(removed).toEqual([join(buildDir, leftover.split('/')[0])]);
      expect(filesUnder(buildDir)).toEqual([]);
    };

    it('removes at start-up what dead builds left, here and inside the store by earlier versions', async () => {
      const dead = join(buildDir, `${randomUUID()}.${randomUUID()}`);
      const legacy = join(storeDir, randomUUID(), `.building-${randomUUID()}-${randomUUID()}`);
      for (const dir of [dead, legacy]) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'GP.csv'), 'pseudonym,sex\n');
      }
      process.env.WORKER_PORT = '0';
      const another = await startTestWorker();
      await another.close();
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(legacy)).toBe(false);
      expect(filesUnder(buildDir)).toEqual([]);
    });
  });
});

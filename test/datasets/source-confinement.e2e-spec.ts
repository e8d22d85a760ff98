import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, loadConfig, type AppConfig } from '@tre/core';
import {
  connectSourceReader,
  ExtractService,
  grantSourceReads,
  readableOutside,
  seedDatasets,
} from '@tre/datasets';
import { DataSource } from 'typeorm';
import { callerAs, type Caller } from '../support/project-fixtures';
import { createSmallSources, requestFor, type SmallSource } from '../support/small-sources';
import { startTestApp, type TestApp } from '../support/test-app';
import { startTestWorker } from '../support/test-worker';

const GP: SmallSource = {
  code: 'GPX',
  table: 'gpx',
  columns: ['sex'],
  rows: [
    [1, 'F'],
    [2, 'F'],
    [3, 'F'],
  ],
};

/**
 * Sources come only from the schemas the operator names (SOURCE_SCHEMAS), and the extract reads them under a
 * role that can read nothing else, so the service's own tables and the system catalogue stay out of reach
 * however a dataset's source was set.
 */
describe('source confinement', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let cara: Caller;
  let config: AppConfig;
  const registration = seedDatasets()[0];
  const register = (source: Record<string, unknown>, code = 'STOLEN') =>
    cara.post('/datasets', { ...registration, code, source: { ...registration.source, ...source } });

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: join(mkdtempSync(join(tmpdir(), 'tre-confinement-')), 'extracts'),
      PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-key-')), 'master.key'),
      EXTRACT_MIN_K: '3',
    });
    cara = await callerAs(t, 'cara', ['data_custodian']);
    await createSmallSources(t.env.database.url, cara, [GP]);
    worker = await startTestWorker();
    config = worker.get<AppConfig>(APP_CONFIG);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('refuses, at registration, any source outside the source schemas, naming the problem (400)', async () => {
    type Body = { message: string; details: { fields?: Record<string, string[]> } };
    const outside = (body: Body) =>
      expect(body.message).toMatch(
        /source schema "(public|pg_catalog|optouts|information_schema|pg_temp)" is not a source schema \(allowed: source\)/,
      );
    // Names that are no plain lower-case identifier never reach the catalogue: the request is refused as it
    // comes in, naming the field and the rule, and echoing nothing of the value.
    const notIdentifier = (key: string) => (body: Body) =>
      expect(body.details.fields?.[`source.${key}`]).toEqual([
        `${key} must be a lower-case SQL identifier such as nhs_number`,
      ]);
    const refused: [Record<string, unknown>, (body: Body) => void][] = [
      [{ schema: 'public', table: 'users' }, outside],
      [{ schema: 'public', table: 'output_download_links' }, outside],
      [{ schema: 'pg_catalog', table: 'pg_authid' }, outside],
      [{ schema: 'optouts', table: 'numbers' }, outside],
      [{ schema: 'information_schema', table: 'tables' }, outside],
      [{ schema: 'pg_temp', table: 'x' }, outside],
      [{ table: 'public.users' }, notIdentifier('table')],
      [{ table: 'pg_catalog.pg_authid' }, notIdentifier('table')],
      [{ table: '"users"' }, notIdentifier('table')],
      [{ schema: '"public"' }, notIdentifier('schema')],
      [{ schema: 'PUBLIC' }, notIdentifier('schema')],
      [{ schema: 'source', table: 'x; SET search_path TO public' }, notIdentifier('table')],
      [{ schema: 'source, public' }, notIdentifier('schema')],
    ];
    for (const [source, check] of refused) {
      const response = await register(source);
      expect({ source, status: response.status }).toEqual({ source, status: 400 });
      check(response.body as Body);
    }
    expect((await cara.get('/datasets/STOLEN')).status).toBe(404);
  });

  it('refuses the same on a change of source (400), and keeps the source as it was', async () => {
    for (const source of [
      { schema: 'public', table: 'users' },
      { schema: 'pg_catalog', table: 'pg_authid' },
    ]) {
      const response = await cara.patch('/datasets/GPX', { source });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(
        new RegExp(`Dataset GPX cannot be changed: source schema "${source.schema}" is not a source schema`),
      );
    }
    const qualified = await cara.patch('/datasets/GPX', { source: { table: 'public.users' } });
    expect(qualified.status).toBe(400);
    expect(qualified.body.details.fields['source.table']).toHaveLength(1);
    expect((await cara.get('/datasets/GPX')).body.source).toMatchObject({ schema: 'source', table: 'gpx' });
  });

  it('reads sources under a role that can read the source schemas and nothing else', async () => {
    await grantSourceReads(t.app.get(DataSource), config);
    const reader = await connectSourceReader(config);
    try {
      expect(await readableOutside(reader, config.sourceSchemas)).toEqual([]);
      expect((await reader.query('SELECT count(*)::int AS n FROM source.gpx')).rows[0].n).toBe(3);
      for (const table of [
        'public.users',
        'public.output_download_links',
        'pg_catalog.pg_authid',
        'optouts.numbers',
      ]) {
        await expect(reader.query(`SELECT * FROM ${table} LIMIT 1`)).rejects.toThrow(/permission denied/);
      }
      // search_path games change nothing: the role has no table to find elsewhere.
      await reader.query('SET search_path TO public, pg_catalog');
      await expect(reader.query('SELECT * FROM users LIMIT 1')).rejects.toThrow(/permission denied/);
      await expect(reader.query('SELECT * FROM pg_authid LIMIT 1')).rejects.toThrow(/permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('reads nothing from a catalogue row pointing elsewhere, however it got there', async () => {
    const ids = new Map([['GPX', (await cara.get('/datasets/GPX')).body.id as string]]);
    const db = new Client({ connectionString: t.env.database.url });
    await db.connect();
    try {
      await db.query(
        "UPDATE datasets SET source_schema = 'public', source_table = 'users' WHERE code = 'GPX'",
      );
      await expect(worker.get(ExtractService).build(requestFor(ids, [GP]))).rejects.toThrow(
        /GPX: "public" is not a source schema \(allowed: source\)/,
      );
    } finally {
      await db.query("UPDATE datasets SET source_schema = 'source', source_table = 'gpx' WHERE code = 'GPX'");
      await db.end();
    }
    expect(await worker.get(ExtractService).build(requestFor(ids, [GP]))).toBe(true);
  });

  it('refuses to read through a session that is not confined', async () => {
    // As the service's own (superuser) login, with no read role to switch to.
    await expect(connectSourceReader({ ...config, sourceReadRole: '' })).rejects.toThrow(
      /the source reader is not confined to the source schemas \(source\): it can read superuser "?postgres"?/,
    );
  });

  it('takes the source schemas from SOURCE_SCHEMAS, never the service or system schemas', () => {
    const env = { ...process.env };
    expect(loadConfig({ ...env, SOURCE_SCHEMAS: 'source, registry' }).sourceSchemas).toEqual([
      'source',
      'registry',
    ]);
    for (const bad of ['public', 'source,pg_catalog', 'optouts', 'information_schema', '', 'Source', 'a.b']) {
      expect(() => loadConfig({ ...env, SOURCE_SCHEMAS: bad })).toThrow(/SOURCE_SCHEMAS/);
    }
  });
});

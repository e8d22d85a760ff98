import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type { Role } from '@tre/auth';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';

const dir = mkdtempSync(join(tmpdir(), 'tre-output-rules-'));
const rulesFile = (name: string, rules: object): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(rules));
  return path;
};

/**
 * The TRE's own rule set: read from OUTPUT_RULES_FILE at start-up (a bad file stops the service, naming every
 * problem), shown at GET /outputs/rules, applied by the worker's checks, and identified by name, version and
 * SHA-256 on each check and release manifest.
 */
describe('the rules in force', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('refuses to start with a rule set that cannot be used, naming every problem', async () => {
    const bad = rulesFile('bad.json', { threshold: 0, pPercent: { p: 5 } });
    await expect(startTestApp({ OUTPUT_RULES_FILE: bad })).rejects.toThrow(
      /OUTPUT_RULES_FILE .*bad\.json is not a usable rule set: .*threshold.*pPercent\.p/,
    );
  });

  it('shows the rules to researchers and checkers, and the checks apply them', async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
      OUTPUT_RULES_FILE: rulesFile('strict.json', { name: 'tre-strict', version: '2.0.0', threshold: 20 }),
    });
    worker = await startTestWorker();
    const person = async (subject: string, roles: Role[]) =>
      caller(t.app, subject, await t.env.token(subject, roles));
    const alice = await person('alice', ['researcher']);
    const olga = await person('olga', ['output_checker']);
    const shown = await alice.get('/outputs/rules');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      name: 'tre-strict',
      version: '2.0.0',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      rules: { threshold: 20 },
    });
    expect((await olga.get('/outputs/rules')).body).toEqual(shown.body);
    expect((await request(t.app.getHttpServer()).get('/outputs/rules')).status).toBe(401);

    // 15 people pass the default threshold of 10 but not this TRE's 20.
    const projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    const record = countRecord(
      'age',
      'sex',
      ['young', 'old'],
      ['F', 'M'],
      [
        [40, 38],
        [15, 30],
      ],
    );
    const id = (await alice.post('/outputs', { projectId, title: 'Strict' })).body.id as string;
    const workspaceId = await readyWorkspaceOf(t, projectId);
    await addOutput(alice, id, workspaceId, 'table.csv', tableCsv(record), record).expect(201);
    await alice.post(`/outputs/${id}/submit`);
    const blocked = await eventually(async () => {
      const body = (await alice.get(`/outputs/${id}`)).body as {
        status: string;
        fileList: { check: { rules: unknown; flags: { rule: string; cell: string }[] } | null }[];
      };
      return ['blocked', 'in_review'].includes(body.status) ? body : undefined;
    }, 20_000);
    expect(blocked.status).toBe('blocked');
    const check = blocked.fileList[0].check!;
    expect(check.rules).toEqual({ name: 'tre-strict', version: '2.0.0', sha256: shown.body.sha256 });
    expect(check.flags.filter((f) => f.rule === 'threshold').map((f) => f.cell)).toEqual(['old / F']);
  });
});

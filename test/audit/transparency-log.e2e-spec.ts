import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import {
  AuditService,
  canonicalJson,
  leafHash,
  TransparencyHeadsService,
  verifyInclusion,
  type AuditEventView,
} from '@tre/audit';
import { runCli } from '../../apps/cli/src/run';
import type { VerifierState } from '../../apps/cli/src/transparency/public-verifier';
import { startTestApp, type TestApp } from '../support/test-app';

/** The API listening on a real port (the public verifier speaks HTTP like anyone else), and the owner's connection. */
async function start(): Promise<{ t: TestApp; url: string; owner: Client }> {
  const t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const owner = new Client({ connectionString: t.env.database.url });
  await owner.connect();
  return { t, url: `http://127.0.0.1:${port}`, owner };
}

const append = (t: TestApp, count: number) =>
  Array.from({ length: count }).reduce<Promise<unknown>>(
    (prev, _, n) =>
      prev.then(() =>
        t.app.get(AuditService).appendAlone({
          action: 'test.happened',
          subjectType: 'test',
          subjectId: `s-${n}`,
          actorId: 'system:test',
          details: { n },
        }),
      ),
    Promise.resolve(),
  );

/** Runs `tre transparency verify --json` in-process; answers its exit code and parsed outcome. */
async function verifyCli(url: string, state: string) {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    process.exitCode = undefined;
    const code = await runCli([
      'node',
      'tre',
      'transparency',
      'verify',
      '--api',
      url,
      '--state',
      state,
      '--json',
    ]);
    process.exitCode = undefined;
    return {
      code,
      outcome: JSON.parse(writes.join('')) as { ok: boolean; failedHead?: number; reason?: string },
    };
  } finally {
    spy.mockRestore();
  }
}

/** The database owner acting on the trail with its append-only trigger switched off. */
async function asOwner(owner: Client, sql: string): Promise<void> {
  await owner.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    await owner.query(sql);
  } finally {
    await owner.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

describe('transparency log', () => {
  let t: TestApp;
  let url: string;
  let owner: Client;
  const stateFile = join(mkdtempSync(join(tmpdir(), 'tre-tlog-')), 'state.json');
  const checkpoint = () => t.app.get(TransparencyHeadsService).checkpoint();

  beforeAll(async () => ({ t, url, owner } = await start()));
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  it('publishes nothing before the first checkpoint, and the verifier accepts the empty log', async () => {
    await request(t.app.getHttpServer()).get('/transparency/heads/latest').expect(404);
    expect((await request(t.app.getHttpServer()).get('/transparency/heads').expect(200)).body).toEqual({
      items: [],
    });
    expect(await verifyCli(url, stateFile)).toEqual({
      code: 0,
      outcome: { ok: true, checked: 0, head: null },
    });
  });

  it('signs heads as the trail grows; the public verifier proves each extends the last and remembers it', async () => {
    await append(t, 5);
    const first = await checkpoint();
    expect(first).toMatchObject({ signed: true, head: { treeSize: 5 } });
    await append(t, 6);
    const second = await checkpoint();
    expect(second).toMatchObject({ signed: true, head: { treeSize: 11 } });
    expect((await checkpoint()).signed).toBe(false);

    const server = t.app.getHttpServer();
    expect((await request(server).get('/transparency/heads/latest').expect(200)).body).toEqual(second.head);
    expect((await request(server).get('/transparency/heads?after=0&limit=1').expect(200)).body.items).toEqual(
      [first.head],
    );
    const { keys } = (await request(server).get('/transparency/key').expect(200)).body as { keys: unknown[] };
    expect(keys).toHaveLength(1);

    expect(await verifyCli(url, stateFile)).toMatchObject({ code: 0, outcome: { ok: true, checked: 2 } });
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as VerifierState;
    expect(state.head).toEqual(second.head);
    // Run again later: nothing new, still verified from the remembered head.
    expect(await verifyCli(url, stateFile)).toMatchObject({ code: 0, outcome: { ok: true, checked: 0 } });
  });

  it('answers bad consistency requests with 400', async () => {
    const server = t.app.getHttpServer();
    for (const query of [
      'first=0&second=3',
      'first=4&second=3',
      'first=1&second=999',
      'first=a&second=3',
      '',
    ]) {
      await request(server).get(`/transparency/consistency?${query}`).expect(400);
    }
  });

  it('gives admins an inclusion proof that an event they see recomputes to the signed root', async () => {
    const server = t.app.getHttpServer();
    const admin = await t.env.token('tlog-admin', ['admin']);
    const head = (await request(server).get('/transparency/heads/latest')).body as {
      treeSize: number;
      rootHash: string;
    };
    const page = await request(server)
      .get('/audit?pageSize=200')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const event = (page.body.items as AuditEventView[]).find((e) => e.seq === 7) as AuditEventView;
    const res = await request(server)
      .get('/transparency/inclusion/7')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    // The leaf recomputed from the event as the audit route shows it, not from the database.
    const leaf = leafHash(Buffer.from(canonicalJson(event), 'utf8'));
    expect(res.body).toMatchObject({
      seq: 7,
      leafIndex: 6,
      treeSize: head.treeSize,
      leafHash: leaf.toString('hex'),
    });
    const proof = (res.body.proof as string[]).map((h) => Buffer.from(h, 'hex'));
    expect(verifyInclusion(6, head.treeSize, leaf, proof, Buffer.from(head.rootHash, 'hex'))).toBe(true);

    const auditor = await t.env.token('tlog-auditor', ['auditor']);
    await request(server)
      .get('/transparency/inclusion/3?treeSize=5')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    await request(server)
      .get('/transparency/inclusion/999')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
    await request(server)
      .get('/transparency/inclusion/9?treeSize=5')
      .set('Authorization', `Bearer ${admin}`)
      .expect(400);
  });

  it('keeps the signed heads append-only', async () => {
    await expect(owner.query('DELETE FROM transparency_heads')).rejects.toThrow(/append-only/);
  });

  it('after the owner rewrites the newest event, the next head fails to extend the trusted one and is named', async () => {
    // Bring every event into a trusted head first (the admin's reads above added some).
    await checkpoint();
    expect(await verifyCli(url, stateFile)).toMatchObject({ code: 0, outcome: { ok: true } });
    const { rows } = await owner.query<{ seq: string }>('SELECT max(seq) AS seq FROM audit_events');
    const newest = Number(rows[0].seq);
    await asOwner(owner, `UPDATE audit_events SET details = '{"n": 99}' WHERE seq = ${newest}`);
    const rewritten = await checkpoint();
    expect(rewritten).toMatchObject({ signed: true, rewoundTo: newest - 1, head: { treeSize: newest } });
    const result = await verifyCli(url, stateFile);
    expect(result.code).toBe(1);
    expect(result.outcome).toMatchObject({ ok: false, failedHead: rewritten.head.id });
    expect(result.outcome.reason).toContain(`head #${rewritten.head.id}`);
    // The state is not moved past a failure: the next run names the same head.
    expect((await verifyCli(url, stateFile)).outcome).toMatchObject({
      ok: false,
      failedHead: rewritten.head.id,
    });
    // A verifier with no state fails too, since every head stays published: already at the head before, the
    // last one signed over the original event, which the rewritten log can no longer prove consistent.
    const fresh = join(mkdtempSync(join(tmpdir(), 'tre-tlog-')), 'state.json');
    expect((await verifyCli(url, fresh)).outcome).toMatchObject({
      ok: false,
      failedHead: rewritten.head.id - 1,
    });
  });
});

describe('transparency log after the newest events are deleted', () => {
  let t: TestApp;
  let url: string;
  let owner: Client;
  const stateFile = join(mkdtempSync(join(tmpdir(), 'tre-tlog-')), 'state.json');

  beforeAll(async () => ({ t, url, owner } = await start()));
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  it('names the head signed over the cut trail, even once new events refill it past the old size', async () => {
    const heads = t.app.get(TransparencyHeadsService);
    await append(t, 8);
    await heads.checkpoint();
    expect(await verifyCli(url, stateFile)).toMatchObject({ code: 0, outcome: { ok: true } });

    await asOwner(owner, 'DELETE FROM audit_events WHERE seq > 5');
    await append(t, 4); // seq 6..9: more events than were cut
    const after = await heads.checkpoint();
    expect(after).toMatchObject({ rewoundTo: 5, head: { treeSize: 9 } });
    const result = await verifyCli(url, stateFile);
    expect(result).toMatchObject({ code: 1, outcome: { ok: false, failedHead: after.head.id } });
  });
});

import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditModule, AuditService, AuditVerifierService, hashEvent } from '@tre/audit';
import { CoreConfigModule, DatabaseModule, ValidationError } from '@tre/core';
import { setUpTestEnvironment, type TestEnvironment } from '@tre/testing';

@Module({ imports: [CoreConfigModule, DatabaseModule, AuditModule] })
class AuditTestModule {}

/** Two contexts with their own connection pools stand in for two replicas writing at once. */
describe('audit chain', () => {
  let env: TestEnvironment;
  let replicas: INestApplicationContext[];
  let owner: Client;

  const audit = (i = 0) => replicas[i].get(AuditService);
  const dataSource = (i = 0) => replicas[i].get<DataSource>(getDataSourceToken());
  const verify = () => replicas[0].get(AuditVerifierService).verify();
  const appendOne = (i: number, n: number) =>
    dataSource(i).transaction((manager) =>
      audit(i).append(manager, {
        action: 'test.appended',
        subjectType: 'test',
        subjectId: `s-${n}`,
        actorId: `system:replica-${i}`,
        details: { n, replica: i },
      }),
    );

  beforeAll(async () => {
    env = await setUpTestEnvironment();
    replicas = await Promise.all(
      [0, 1].map(() => NestFactory.createApplicationContext(AuditTestModule, { logger: false })),
    );
    owner = new Client({ connectionString: env.database.url });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await Promise.all(replicas.map((replica) => replica.close()));
    await env.teardown();
  });

  it('verifies an empty trail', async () => {
    expect(await verify()).toEqual({ valid: true, count: 0, head: null });
  });

  it('keeps one unbroken chain under 200 concurrent appends from two replicas', async () => {
    const appended = await Promise.all(Array.from({ length: 200 }, (_, n) => appendOne(n % 2, n)));
    expect(appended.map((event) => event.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, n) => n + 1),
    );
    const { rows } = await owner.query<{ seq: string; prev_hash: string; hash: string }>(
      'SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq',
    );
    expect(rows).toHaveLength(200);
    rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i].hash));
    const report = await verify();
    expect(report).toEqual({ valid: true, count: 200, head: { seq: 200, hash: rows[199].hash } });
  });

  it('writes nothing when the transaction of the change rolls back', async () => {
    const before = await verify();
    await expect(
      dataSource().transaction(async (manager) => {
        await audit().append(manager, {
          action: 'test.rolled_back',
          subjectType: 'test',
          actorId: 'system:test',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verify()).toEqual(before);
  });

  it('refuses to append outside a transaction, and refuses personal identifiers in details', async () => {
    await expect(
      audit().append(dataSource().manager, {
        action: 'test.loose',
        subjectType: 'test',
        actorId: 'system:test',
      }),
    ).rejects.toThrow(/inside the transaction/);
    await expect(
      audit().appendAlone({
        action: 'test.pii',
        subjectType: 'test',
        actorId: 'system:test',
        details: { contact: { email: 'a@b.c' } },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it.each([
    ['UPDATE', "UPDATE audit_events SET action = 'x' WHERE seq = 1"],
    ['DELETE', 'DELETE FROM audit_events WHERE seq = 1'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('the database refuses %s on the trail', async (operation, sql) => {
    await expect(owner.query(sql)).rejects.toThrow(`audit_events is append-only: ${operation} is refused`);
  });

  describe('tampering by someone who can switch the trigger off', () => {
    const asOwner = async (sql: string, params: unknown[] = []) => {
      await owner.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      try {
        await owner.query(sql, params);
      } finally {
        await owner.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
      }
    };

    // Each case starts from the intact 200-event chain written above.
    beforeAll(() => owner.query('CREATE TABLE pristine AS SELECT * FROM audit_events'));
    afterEach(async () => {
      await asOwner('DELETE FROM audit_events');
      await asOwner('INSERT INTO audit_events SELECT * FROM pristine');
      expect(await verify()).toMatchObject({ valid: true, count: 200 });
    });

    it('is found at the altered event', async () => {
      await asOwner(`UPDATE audit_events SET details = '{"n": 999, "replica": 0}' WHERE seq = 57`);
      expect(await verify()).toMatchObject({
        valid: false,
        brokenAt: 57,
        count: 56,
        reason: expect.stringMatching(/altered/),
      });
    });

    it('is found at the next event when the altered event is re-hashed to look consistent', async () => {
      const { rows } = await owner.query('SELECT * FROM audit_events WHERE seq = 57');
      const row = rows[0] as Record<string, unknown>;
      const forged = { n: 999, replica: 0 };
      const hash = hashEvent({
        seq: 57,
        occurredAt: row.occurred_at as Date,
        actorId: row.actor_id as string,
        action: row.action as string,
        subjectType: row.subject_type as string,
        subjectId: row.subject_id as string,
        details: forged,
        requestId: row.request_id as string | null,
        prevHash: row.prev_hash as string,
      });
      await asOwner('UPDATE audit_events SET details = $1, hash = $2 WHERE seq = 57', [
        JSON.stringify(forged),
        hash,
      ]);
      expect(await verify()).toMatchObject({
        valid: false,
        brokenAt: 58,
        count: 57,
        reason: expect.stringMatching(/link/),
      });
    });

    it('is found where an event was deleted', async () => {
      await asOwner('DELETE FROM audit_events WHERE seq = 3');
      expect(await verify()).toMatchObject({
        valid: false,
        brokenAt: 3,
        reason: expect.stringMatching(/missing/),
      });
    });
  });
});

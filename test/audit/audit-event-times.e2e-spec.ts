import { DataSource } from 'typeorm';
import { AuditEventEntity } from '@tre/audit';
import { callerAs, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { approvedProject } from '../support/workspace-fixtures';

/**
 * `/audit` and a project's timeline have Postgres write each event's time as ISO text, instead of parsing a
 * Date per row only to print it again. The text must be exactly what the Date said: the entity's
 * `toISOString()` (UTC, milliseconds cut from the microseconds, never rounded up), for every awkward fraction.
 */
describe('audit event times', () => {
  let t: TestApp;
  let admin: Caller;
  let projectId: string;
  const times = [
    '2026-01-02 03:04:05.123456+00',
    '2026-01-02 03:04:05.999999+00',
    '2026-01-02 03:04:05.000001+00',
    '2026-01-02 03:04:05.1+00',
    '2026-01-02 03:04:05.01+00',
    '2026-01-02 03:04:05.0005+00',
    '2026-01-02 03:04:05+00',
    '1999-12-31 23:59:59.9995+00',
    '2026-06-30 23:30:00.25-05:30',
  ];

  beforeAll(async () => {
    // The cache off: each answer is read afresh.
    t = await startTestApp({ API_READ_CACHE_SECONDS: '0' });
    admin = await callerAs(t, 'ada', ['admin']);
    const dataSource = t.app.get(DataSource);
    ({ projectId } = await approvedProject(dataSource));
    // Not a valid chain (nothing in this file verifies it): only the times matter here.
    await dataSource.query(
      `INSERT INTO audit_events (seq, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
       SELECT m.seq + n, ($2::text[])[n]::timestamptz, 'system:test', 'test.time', 'project', $1, '{}',
              repeat('0', 64), encode(sha256(('time-' || m.seq + n)::bytea), 'hex')
       FROM (SELECT coalesce(max(seq), 0) AS seq FROM audit_events) m, generate_series(1, $3::int) n`,
      [projectId, times, times.length],
    );
  });
  afterAll(() => t.close());

  it("writes each time as the entity's toISOString does, in /audit and in the timeline", async () => {
    const entities = await t.app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .find({ where: { action: 'test.time' }, order: { seq: 'ASC' } });
    const expected = entities.map((e) => [Number(e.seq), e.occurredAt.toISOString()]);
    expect(expected).toHaveLength(times.length);
    const audit = await admin.get('/audit?action=test.time&pageSize=50');
    const timeline = await admin.get(`/projects/${projectId}/timeline?pageSize=50`);
    for (const response of [audit, timeline]) {
      expect(response.status).toBe(200);
      const shown = (response.body.items as { seq: number; occurredAt: string; action: string }[])
        .filter((e) => e.action === 'test.time')
        .map((e) => [e.seq, e.occurredAt])
        .sort(([a], [b]) => Number(a) - Number(b));
      expect(shown).toEqual(expected);
    }
  });
});

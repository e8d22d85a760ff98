import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditQueryService, AuditService } from '@tre/audit';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The audit trail as CSV: every matching event (not a page), newest first, with the listing's filters, for
 * admins only, streamed in batches read by seq and bounded.
 */
describe('audit CSV export', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.env.token('root', ['admin']);
    const dataSource = t.app.get(DataSource);
    const audit = t.app.get(AuditService);
    // 2,600 events of one action (past two batches of 1,000 and the listing's page) and a few of another.
    await dataSource.transaction(async (manager) => {
      for (let n = 0; n < 2600; n += 1)
        await audit.append(manager, {
          action: 'test.exported',
          subjectType: 'test',
          subjectId: `s-${n}`,
          actorId: 'system:test',
          details: n === 0 ? { note: '=SUM(A1), "quoted"' } : { n },
        });
      for (let n = 0; n < 3; n += 1)
        await audit.append(manager, { action: 'test.other', subjectType: 'test', actorId: 'system:test' });
    });
  });
  afterAll(() => t.close());

  const csv = (query: string, token = admin) =>
    request(t.app.getHttpServer()).get(`/audit/csv${query}`).set('Authorization', `Bearer ${token}`);

  it('exports every matching event, newest first, with the filters, quoted safely', async () => {
    const response = await csv('?action=test.exported');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="audit-events.csv"');
    expect(response.headers['x-audit-rows']).toBe('2600');
    expect(response.headers['x-audit-truncated']).toBe('false');
    const lines = response.text.trimEnd().split('\n');
    expect(lines[0]).toBe('seq,occurredAt,actorId,action,subjectType,subjectId,details,hash');
    expect(lines).toHaveLength(2601);
    const seqs = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(2600);
    expect(lines.slice(1).every((line) => line.includes(',test.exported,'))).toBe(true);
    expect(lines[2600]).toContain(',s-0,"{""note"":""=SUM(A1), \\""quoted\\""""}",');

    const other = await csv('?action=test.other&subjectType=test');
    expect(other.text.trimEnd().split('\n')).toHaveLength(4);
  });

  it('stops at its bound and says so', async () => {
    const written: number[] = [];
    const result = await t.app.get(AuditQueryService).each(
      { action: 'test.exported' },
      { id: 'root', roles: ['admin'] } as never,
      1500,
      async (events) => {
        written.push(events.length);
      },
      1000,
    );
    expect(result).toEqual({ written: 1500, truncated: true });
    expect(written).toEqual([1000, 500]);
    const exact = await t.app
      .get(AuditQueryService)
      .each(
        { action: 'test.exported' },
        { id: 'root', roles: ['admin'] } as never,
        2600,
        async () => {},
        1000,
      );
    expect(exact).toEqual({ written: 2600, truncated: false });
  });

  it('refuses bad filters with 400 in JSON, and anyone but an admin', async () => {
    const bad = await csv('?action=DROP TABLE');
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/json');
    expect((await csv('?page=2')).status).toBe(400);
    expect((await csv('', await t.env.token('bea', ['researcher']))).status).toBe(403);
    expect((await request(t.app.getHttpServer()).get('/audit/csv')).status).toBe(401);
  });
});

import { describe, expect, it } from 'vitest';
import { auditCsv } from './audit-csv';

const EVENT = {
  seq: 7,
  occurredAt: '2026-12-05T12:00:00.000Z',
  actorId: 'system:worker',
  action: 'project.suspended',
  subjectType: 'project',
  subjectId: 'p1',
  details: { reason: 'Breach, "under review"' },
  hash: 'ab',
  prevHash: 'aa',
  requestId: null,
};

describe('audit CSV', () => {
  it('writes a header and one quoted line per event, details as JSON', () => {
    expect(auditCsv([EVENT])).toBe(
      'seq,occurredAt,actorId,action,subjectType,subjectId,details,hash\n' +
        '7,2026-12-05T12:00:00.000Z,system:worker,project.suspended,project,p1,"{""reason"":""Breach, \\""under review\\""""}",ab\n',
    );
  });

  it('never lets a cell start a spreadsheet formula', () => {
    expect(auditCsv([{ ...EVENT, subjectId: '=cmd()' }]).split('\n')[1]).toContain(",'=cmd(),");
  });
});

import { auditCsvHeader, auditCsvLine } from './audit-csv';

describe('audit CSV', () => {
  it('writes the header and quotes details, commas, quotes and would-be formulas', () => {
    expect(auditCsvHeader()).toBe('seq,occurredAt,actorId,action,subjectType,subjectId,details,hash\n');
    const line = auditCsvLine({
      seq: 7,
      occurredAt: '2026-12-05T12:00:00.000Z',
      actorId: 'system:worker',
      action: 'project.suspended',
      subjectType: 'project',
      subjectId: '=HYPERLINK("x")',
      details: { reason: 'Breach, "under review"' },
      requestId: null,
      prevHash: 'aa',
      hash: 'ab',
    });
    expect(line).toBe(
      '7,2026-12-05T12:00:00.000Z,system:worker,project.suspended,project,"\'=HYPERLINK(""x"")","{""reason"":""Breach, \\""under review\\""""}",ab\n',
    );
  });
});

import { ResidualIdentifierScanner } from './residual-scanner';

/* Planted identifiers are the hand-checked examples of identifier-patterns.spec.ts. */
const PLANTED = ['943 476 5919', '4010232137', 'SW1A 1AA', 'jane.doe@example.org', '07700 900123'];

describe('ResidualIdentifierScanner', () => {
  it('reports a clean extract as clean, with the rows and columns it covered', () => {
    const scanner = new ResidualIdentifierScanner();
    scanner.scanRow({
      pseudonym: 'd4c33d15fa21fe7605c7ab810a9b1f84b34c6783fe5eae481badaceea4c5ae5a',
      district: 'SW1A',
    });
    scanner.scanRow({ pseudonym: null, district: 'M1', diagnosis: 'E11.9' });
    expect(scanner.report()).toEqual({
      rowsScanned: 2,
      columnsScanned: ['diagnosis', 'district', 'pseudonym'],
      clean: true,
      findings: [],
    });
  });

  it('counts findings per column and kind with 1-based row numbers', () => {
    const scanner = new ResidualIdentifierScanner();
    scanner.scanRow({ notes: 'seen', contact: null }); // row 1
    scanner.scanRow({ notes: 'NHS 943 476 5919, lives SW1A 1AA', contact: '07700 900123' }); // row 2
    scanner.scanRow({ notes: 'ok', contact: 'jane.doe@example.org' }); // row 3
    scanner.scanRow({ notes: 'ref 4010232137', contact: '07700 900123' }); // row 4
    const report = scanner.report();
    expect(report.clean).toBe(false);
    expect(report.rowsScanned).toBe(4);
    expect(report.findings).toEqual([
      { column: 'contact', kind: 'email', count: 1, sampleRowNumbers: [3] },
      { column: 'contact', kind: 'phone', count: 2, sampleRowNumbers: [2, 4] },
      { column: 'notes', kind: 'nhs_number', count: 2, sampleRowNumbers: [2, 4] },
      { column: 'notes', kind: 'postcode', count: 1, sampleRowNumbers: [2] },
    ]);
  });

  it('keeps at most maxSampleRows row numbers while still counting every hit', () => {
    const scanner = new ResidualIdentifierScanner({ maxSampleRows: 3 });
    for (let row = 0; row < 10; row++) scanner.scanRow({ leaked: row % 2 === 0 ? '9434765919' : 'clean' });
    expect(scanner.report().findings).toEqual([
      { column: 'leaked', kind: 'nhs_number', count: 5, sampleRowNumbers: [1, 3, 5] },
    ]);
  });

  it('never puts a scanned value, or a recognisable part of one, in its report', () => {
    const scanner = new ResidualIdentifierScanner();
    for (const value of PLANTED) scanner.scanRow({ free_text: value });
    const report = scanner.report();
    expect(report.findings.map((finding) => finding.count)).toEqual([2, 1, 1, 1]);
    const serialised = JSON.stringify(report);
    for (const value of PLANTED) {
      for (const fragment of value.split(/[ @.]/).filter((part) => part.length >= 3)) {
        expect(serialised).not.toContain(fragment);
      }
    }
  });

  it('returns a snapshot: later rows do not change an earlier report', () => {
    const scanner = new ResidualIdentifierScanner();
    scanner.scanRow({ a: '9434765919' });
    const before = scanner.report();
    scanner.scanRow({ a: '9434765919' });
    expect(before.findings[0]?.count).toBe(1);
    expect(before.findings[0]?.sampleRowNumbers).toEqual([1]);
    expect(scanner.report().findings[0]?.count).toBe(2);
  });

  it('refuses a negative sample size', () => {
    expect(() => new ResidualIdentifierScanner({ maxSampleRows: -1 })).toThrow(RangeError);
  });
});

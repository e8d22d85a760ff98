import { csvCell, registerCsv } from './register-csv';

describe('register CSV', () => {
  it('quotes separators, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a header and one row per project', () => {
    const csv = registerCsv([
      {
        id: 'p1',
        title: 'Asthma, air and schools',
        laySummary: 'We study asthma.',
        organisation: 'Uni',
        status: 'approved',
        datasets: [
          { code: 'GP', title: 'GP registrations', legalBasis: 's251' },
          { code: 'HES', title: 'Hospital episodes', legalBasis: 's251' },
        ],
        approvedOn: '2026-11-21',
        endDate: '2027-12-31',
        outputsReleased: 2,
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'title,lay_summary,organisation,datasets,legal_bases,status,approved_on,end_date,outputs_released',
      '"Asthma, air and schools",We study asthma.,Uni,GP (GP registrations); HES (Hospital episodes),s251,approved,2026-11-21,2027-12-31,2',
      '',
    ]);
  });
});

import { csvCell } from '../domain/csv';
import { publicCount } from '../domain/public-count';
import { registerCsv } from './register-csv';
import type { RegisterEntry } from './register-views';

const ENTRY: RegisterEntry = {
  id: 'p1',
  title: 'Asthma, air and schools',
  laySummary: 'We study asthma.',
  organisation: 'Uni',
  status: 'closed',
  datasets: [
    { code: 'GP', title: 'GP registrations', legalBasis: 's251' },
    { code: 'HES', title: 'Hospital episodes', legalBasis: 's251' },
  ],
  approvedOn: '2026-11-21',
  endDate: '2027-12-31',
  endedOn: '2027-06-30',
  optOuts: [
    { list: 'national', title: 'National', applied: true, peopleRemoved: publicCount(4) },
    { list: 'type1', title: 'Type 1', applied: true, peopleRemoved: publicCount(126) },
  ],
  outputsReleased: 2,
  releases: [{ title: 'Table 1', releasedOn: '2027-01-02', files: 2 }],
  dataDeletion: {
    extractsDeletedOn: '2027-06-30',
    unreleasedOutputsDeletedOn: null,
    releasedOutputsDeletedOn: null,
    paused: false,
  },
};

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

  it('writes a header and one row per project, people counts rounded', () => {
    expect(registerCsv([ENTRY]).split('\r\n')).toEqual([
      'title,lay_summary,organisation,datasets,legal_bases,status,approved_on,end_date,ended_on,national_opt_out_people_removed,type1_opt_out_people_removed,outputs_released,releases,extracts_deleted_on,unreleased_outputs_deleted_on,released_outputs_deleted_on,deletion_paused',
      '"Asthma, air and schools",We study asthma.,Uni,GP (GP registrations); HES (Hospital episodes),s251,closed,2026-11-21,2027-12-31,2027-06-30,fewer than 10,130,2,"Table 1 (2027-01-02, 2 files)",2027-06-30,,,false',
      '',
    ]);
  });
});

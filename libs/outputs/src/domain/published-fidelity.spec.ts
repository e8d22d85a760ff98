import { DEFAULT_RULE_SET, RECORD_SCHEMA, RECORD_VERSION, type CellRecord, type TableRecord } from '@tre/sdc';
import { checkOutputFile } from './check-file';

/**
 * The published file must be exactly its record's table after suppression and rounding, rebuilt from the
 * statistics the checks judge: a record cannot claim 40 records for a cell the file publishes as 4.
 */
function record(
  agg: TableRecord['table']['agg'],
  values: (number | null)[][],
  cells: CellRecord[][],
  rounding?: string,
): TableRecord {
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    table: {
      rowVars: ['age'],
      colVars: ['sex'],
      valueVar: agg === 'count' ? null : 'cost',
      agg,
      rows: ['young', 'old'],
      cols: ['F', 'M'],
      margins: false,
      values,
      cells,
      ...(rounding === undefined ? {} : { rounding }),
    },
  };
}

const counts = (grid: number[][]): CellRecord[][] => grid.map((row) => row.map((records) => ({ records })));
const csv = (values: (number | string | null)[][]): string =>
  [
    'age,F,M',
    ...['young', 'old'].map((label, r) => [label, ...values[r].map((v) => v ?? '')].join(',')),
  ].join('\n');
const check = (rec: TableRecord, content: string) =>
  checkOutputFile(
    { fileName: 't.csv', kind: 'csv', content: Buffer.from(content), record: rec },
    DEFAULT_RULE_SET,
    {
      released: [],
    },
  );
const blocks = (result: ReturnType<typeof check>) =>
  result.flags.filter((f) => f.rule === 'published_table' && f.outcome === 'fail').map((f) => f.cell);

/** A magnitude cell: `records` contributors summing to `total`, none dominant. */
const money = (records: number, total: number): CellRecord => ({
  records,
  total,
  top: [total / records + 1, total / records],
  negatives: 0,
  missing: 0,
});

describe('the published table against its record', () => {
  it('blocks a published cell of 4 whose record claims 40 records, naming the cell', () => {
    const published = [
      [50, 40],
      [30, 4],
    ];
    const lying = record(
      'count',
      published,
      counts([
        [50, 40],
        [30, 40],
      ]),
    );
    const result = check(lying, csv(published));
    expect(result.status).toBe('fail');
    expect(result.publishedTable).toBe('mismatch');
    expect(blocks(result)).toEqual(['old / M']);
    expect(result.flags.find((f) => f.cell === 'old / M' && f.rule === 'published_table')?.reason).toMatch(
      /4 in the file but 40 in the record/,
    );
    // The same lie told in the record's values too (file 4, values 40, records 40) is also caught.
    const told = record(
      'count',
      [
        [50, 40],
        [30, 40],
      ],
      counts([
        [50, 40],
        [30, 40],
      ]),
    );
    expect(blocks(check(told, csv(published)))).toEqual(['old / M']);
  });

  it('blocks a record whose values agree with the file but not with its own statistics', () => {
    const values = [
      [50, 40],
      [30, 40],
    ];
    const rec = record(
      'count',
      values,
      counts([
        [50, 40],
        [30, 4],
      ]),
    );
    const result = check(rec, csv(values));
    expect(blocks(result)).toEqual(['old / M']);
    expect(result.flags.find((f) => f.rule === 'published_table')?.reason).toMatch(
      /40 in the file but 4 in the record \(its values say 40, its statistics 4 record/,
    );
  });

  it('blocks a magnitude that is not its record value', () => {
    const cells = [
      [money(20, 1000), money(25, 2000)],
      [money(30, 3000), money(40, 4000)],
    ];
    const sums = record(
      'sum',
      [
        [1000, 2000],
        [3000, 4000],
      ],
      cells,
    );
    expect(
      check(
        sums,
        csv([
          [1000, 2000],
          [3000, 4000],
        ]),
      ).publishedTable,
    ).toBe('match');
    expect(
      blocks(
        check(
          sums,
          csv([
            [1000, 2000],
            [3000, 400],
          ]),
        ),
      ),
    ).toEqual(['old / M']);
    // A mean the record claims is 10 times what its own total and records give.
    const grid = (last: number) => [
      [50, 80],
      [100, last],
    ];
    const means = record('mean', grid(100), cells);
    expect(check(means, csv(grid(100))).publishedTable).toBe('match');
    expect(blocks(check(means, csv(grid(1000))))).toEqual(['old / M']);
    // A mean the record claims is 10 times what its own total and records give, file to match.
    const lying = record('mean', grid(1000), cells);
    expect(blocks(check(lying, csv(grid(1000))))).toEqual(['old / M']);
  });

  it('blocks a suppressed cell that the file publishes', () => {
    const rec = record(
      'count',
      [
        [50, 40],
        [30, null],
      ],
      counts([
        [50, 40],
        [30, 4],
      ]),
    );
    expect(
      check(
        rec,
        csv([
          [50, 40],
          [30, null],
        ]),
      ).publishedTable,
    ).toBe('match');
    const result = check(
      rec,
      csv([
        [50, 40],
        [30, 4],
      ]),
    );
    expect(blocks(result)).toEqual(['old / M']);
    expect(result.flags.find((f) => f.rule === 'published_table')?.reason).toMatch(/must be blank/);
  });

  it('holds rounded counts to the rounding the record declares', () => {
    const raw = counts([
      [52, 43],
      [31, 20],
    ]);
    const rounded = record(
      'count',
      [
        [50, 45],
        [30, 20],
      ],
      raw,
      'base 5',
    );
    expect(
      check(
        rounded,
        csv([
          [50, 45],
          [30, 20],
        ]),
      ).publishedTable,
    ).toBe('match');
    // 43 rounds to 45: a file (and record) publishing 40 does not match.
    const wrong = record(
      'count',
      [
        [50, 40],
        [30, 20],
      ],
      raw,
      'base 5',
    );
    expect(
      blocks(
        check(
          wrong,
          csv([
            [50, 40],
            [30, 20],
          ]),
        ),
      ),
    ).toEqual(['young / M']);
    expect(
      blocks(
        check(
          rounded,
          csv([
            [50, 40],
            [30, 20],
          ]),
        ),
      ),
    ).toEqual(['young / M']);
    // Midpoint-6: 43 -> 45, 20 -> 21, 52 -> 51, 31 -> 33.
    const mid = record(
      'count',
      [
        [51, 45],
        [33, 21],
      ],
      raw,
      'midpoint6',
    );
    expect(
      check(
        mid,
        csv([
          [51, 45],
          [33, 21],
        ]),
      ).publishedTable,
    ).toBe('match');
    expect(
      blocks(
        check(
          mid,
          csv([
            [51, 45],
            [33, 20],
          ]),
        ),
      ),
    ).toEqual(['old / M']);
  });
});

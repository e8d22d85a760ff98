import { KAnonymityCounter } from './k-anonymity';

const COLUMNS = ['sex', 'age_band', 'district'];

/*
 * Groups of ROWS, counted by hand:
 *   (F, 40-44, SW1A) x3   (M, 40-44, SW1A) x2   (M, 85-89, TR21) x1   (F, null, SW1A) x1   (F, "null", SW1A) x1
 * 8 rows, 5 groups, sizes sorted 1 1 1 2 3.
 *   k = 2: groups below k are the three of size 1 -> 3 groups, 3 rows.
 *   k = 3: sizes 1 1 1 2 -> 4 groups, 5 rows.
 *   k = 5 (default): all five groups -> 5 groups, 8 rows.
 */
const ROWS = [
  { sex: 'F', age_band: '40-44', district: 'SW1A' },
  { sex: 'F', age_band: '40-44', district: 'SW1A', pseudonym: 'ignored, not a quasi-identifier' },
  { sex: 'F', age_band: '40-44', district: 'SW1A' },
  { sex: 'M', age_band: '40-44', district: 'SW1A' },
  { sex: 'M', age_band: '40-44', district: 'SW1A' },
  { sex: 'M', age_band: '85-89', district: 'TR21' },
  { sex: 'F', age_band: null, district: 'SW1A' },
  { sex: 'F', age_band: 'null', district: 'SW1A' },
];

function counterWithRows(): KAnonymityCounter {
  const counter = new KAnonymityCounter(COLUMNS);
  for (const row of ROWS) counter.add(row);
  return counter;
}

describe('KAnonymityCounter', () => {
  it('counts groups and the groups below k', () => {
    const counter = counterWithRows();
    expect(counter.report(2)).toEqual({
      k: 2,
      columns: COLUMNS,
      rows: 8,
      groups: 5,
      smallestGroupSize: 1,
      groupsBelowK: 3,
      rowsInGroupsBelowK: 3,
      satisfied: false,
      smallestGroups: [1, 1, 1, 2, 3].map((size) => ({ size, columns: COLUMNS })),
    });
    expect(counter.report(3)).toMatchObject({ groupsBelowK: 4, rowsInGroupsBelowK: 5, satisfied: false });
    expect(counter.report()).toMatchObject({ k: 5, groupsBelowK: 5, rowsInGroupsBelowK: 8 });
    expect(counter.report(1)).toMatchObject({ groupsBelowK: 0, rowsInGroupsBelowK: 0, satisfied: true });
  });

  it('keeps missing values apart from the string "null" and from the empty string', () => {
    const counter = new KAnonymityCounter(['value']);
    for (const value of [null, 'null', '', undefined]) counter.add({ value });
    // null and undefined are both "missing": 3 groups, sizes 1 1 2.
    expect(counter.report(2)).toMatchObject({ groups: 3, groupsBelowK: 2, smallestGroupSize: 1 });
  });

  it('does not confuse tuples whose joined text would be equal', () => {
    const counter = new KAnonymityCounter(['a', 'b']);
    counter.add({ a: 'x|y', b: 'z' });
    counter.add({ a: 'x', b: 'y|z' });
    expect(counter.report(2).groups).toBe(2);
  });

  it('lists only as many smallest groups as asked, smallest first', () => {
    expect(counterWithRows().report(2, { smallestGroupsLimit: 2 }).smallestGroups).toEqual([
      { size: 1, columns: COLUMNS },
      { size: 1, columns: COLUMNS },
    ]);
  });

  it('never reports the values that define a group', () => {
    const serialised = JSON.stringify(counterWithRows().report(5));
    for (const value of ['40-44', '85-89', 'SW1A', 'TR21', '"F"', '"M"'])
      expect(serialised).not.toContain(value);
  });

  it('grows with the number of groups, not rows', () => {
    const counter = new KAnonymityCounter(['sex']);
    for (let row = 0; row < 100_000; row++) counter.add({ sex: row % 3 === 0 ? 'M' : 'F' });
    // 100000 rows: rows 0, 3, ..., 99999 are M -> 33334 M and 66666 F.
    expect(counter.report(5)).toMatchObject({
      rows: 100_000,
      groups: 2,
      smallestGroupSize: 33_334,
      satisfied: true,
    });
  });

  it('reports an empty extract as satisfied with no smallest group', () => {
    expect(new KAnonymityCounter(COLUMNS).report(5)).toMatchObject({
      rows: 0,
      groups: 0,
      smallestGroupSize: null,
      satisfied: true,
      smallestGroups: [],
    });
  });

  it('refuses a row without a quasi-identifier column, bad columns and bad k', () => {
    const counter = new KAnonymityCounter(COLUMNS);
    expect(() => counter.add({ sex: 'F', age_band: '40-44' })).toThrow(/district/);
    expect(() => new KAnonymityCounter([])).toThrow(RangeError);
    expect(() => new KAnonymityCounter(['sex', 'sex'])).toThrow(RangeError);
    expect(() => counter.report(0)).toThrow(RangeError);
    expect(() => counter.report(2.5)).toThrow(RangeError);
    expect(() => counter.report(5, { smallestGroupsLimit: -1 })).toThrow(RangeError);
  });
});

import { PersonGroups, tupleKey } from './person-groups';

/** Builds groups from rows [person, dataset tag index, ...values]; datasets: GP(sex, district), HES(age_band). */
function groups(rows: [number, 'GP' | 'HES', ...(string | null)[]][]) {
  const g = new PersonGroups();
  const tags = { GP: g.addDataset('GP', ['sex', 'district']), HES: g.addDataset('HES', ['age_band']) };
  for (const [person, dataset, ...values] of rows) g.addRow(person, tupleKey(tags[dataset], values));
  return g;
}

describe('PersonGroups (k-anonymity over people across files)', () => {
  it('counts a person once however many rows they have', () => {
    const rows: [number, 'GP' | 'HES', ...string[]][] = [[1, 'GP', 'F', 'TR21']];
    for (let i = 0; i < 9; i += 1) rows.push([1, 'HES', '70-74']);
    rows.push([2, 'GP', 'F', 'TR21'], [2, 'HES', '70-74']);
    const report = groups(rows).report(3);
    // Ten rows of person 1 and two of person 2 are one group of two people, below 3.
    expect(report).toMatchObject({ people: 2, groups: 1, smallestGroupSize: 2, satisfied: false });
    expect(report.columns).toEqual(['GP.sex', 'GP.district', 'HES.age_band']);
  });

  it('combines the files: people alike in each file alone can be told apart together', () => {
    const report = groups([
      [1, 'GP', 'F', 'TR21'],
      [2, 'GP', 'F', 'TR21'],
      [1, 'HES', '70-74'],
      [2, 'HES', '40-44'],
    ]).report(2);
    expect(report).toMatchObject({ people: 2, groups: 2, groupsBelowK: 2, smallestGroupSize: 1 });
  });

  it('keeps apart people whose rows differ, with different values or in another order', () => {
    const g = groups([
      [1, 'GP', 'F', 'TR21'],
      [1, 'GP', 'M', 'TR22'],
      [2, 'GP', 'F', 'TR22'],
      [2, 'GP', 'M', 'TR21'],
      [3, 'GP', 'M', 'TR22'],
      [3, 'GP', 'F', 'TR21'],
      [4, 'HES', '70-74'],
      [5, 'GP', 'F', null],
      [6, 'GP', 'F', ''],
    ]);
    const report = g.report(2);
    // 1 and 3 show the same two GP rows (in another order); 2 mixes them; 4 is in no GP row; null is not ''.
    expect(report).toMatchObject({ people: 6, groups: 5, groupsBelowK: 4, peopleInGroupsBelowK: 4 });
  });

  it('leaves out people with no quasi-identifier row, and stays right past its first table size', () => {
    const g = new PersonGroups();
    const gp = g.addDataset('GP', ['sex']);
    g.addDataset('DEATHS', []);
    for (let person = 9_000_000_000; person < 9_000_200_000; person += 1)
      g.addRow(person, tupleKey(gp, [person % 2 ? 'F' : 'M']));
    g.addRow(9_999_999_999, tupleKey(gp, ['I']));
    expect(g.report(5)).toMatchObject({
      people: 200_001,
      groups: 3,
      smallestGroupSize: 1,
      groupsBelowK: 1,
      columns: ['GP.sex'],
    });
  });
});

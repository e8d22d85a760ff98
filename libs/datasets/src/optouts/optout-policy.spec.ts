import { optOutListsFor } from './optout-policy';

describe('optOutListsFor', () => {
  // legal basis -> [lists for GP data, lists for other origins]
  const table: [string, string[], string[]][] = [
    ['s251', ['national', 'type1'], ['national']],
    ['public_health_reg3', ['type1'], []],
    ['s251_cag_exempt', ['type1'], []],
    ['consent', [], []],
    ['legal_requirement', [], []],
    ['anonymised', [], []],
  ];

  it.each(table)('%s', (basis, forGp, forOthers) => {
    expect(optOutListsFor(basis, 'gp')).toEqual(forGp);
    for (const origin of ['hospital', 'registry', 'other'] as const) {
      expect(optOutListsFor(basis, origin)).toEqual(forOthers);
    }
  });

  it('refuses a basis it does not know instead of applying no opt-out', () => {
    expect(() => optOutListsFor('implied_consent', 'gp')).toThrow(/Unknown legal basis/);
  });
});

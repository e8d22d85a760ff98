import { parseRuleSet, RuleSetError } from './parse-rule-set';
import { DEFAULT_RULE_SET } from './rule-set';

describe('parseRuleSet', () => {
  it('overrides only what the TRE file sets and renames an unnamed override', () => {
    const rules = parseRuleSet({ threshold: 5, nk: { k: 0.8 }, zerosDisclosive: false });
    expect(rules.threshold).toBe(5);
    expect(rules.nk).toEqual({ n: 2, k: 0.8 });
    expect(rules.zerosDisclosive).toBe(false);
    expect(rules.pPercent).toEqual(DEFAULT_RULE_SET.pPercent);
    expect(rules.name).toBe('tre-default+local');
    expect(rules.version).toBe(DEFAULT_RULE_SET.version);
  });

  it('keeps the name and version the file gives', () => {
    expect(parseRuleSet({ name: 'safe-haven', version: '2024.1' })).toMatchObject({
      name: 'safe-haven',
      version: '2024.1',
    });
  });

  it('the defaults are the issue table: 10 records, zeros on, NK 2/90%, p 10%, missing off, dof 10', () => {
    expect(DEFAULT_RULE_SET).toMatchObject({
      threshold: 10,
      zerosDisclosive: true,
      nk: { n: 2, k: 0.9 },
      pPercent: { p: 0.1 },
      missingReview: false,
      minDof: 10,
    });
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      parseRuleSet({ threshold: 0, nk: { k: 90 }, colour: 'red', pPercent: 'x' });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleSetError);
    const problems = (error as RuleSetError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'colour is not a known setting',
        'threshold must be a whole number of at least 1',
        'nk.k must be a fraction in (0, 1], e.g. 0.9 for 90%',
        'pPercent must be an object',
      ]),
    );
  });

  it('refuses n above two, which one pass cannot support', () => {
    expect(() => parseRuleSet({ nk: { n: 3 } })).toThrow('nk.n must be a whole number from 1 to 2');
  });

  it('refuses something that is not an object', () => {
    expect(() => parseRuleSet([1, 2])).toThrow(RuleSetError);
  });
});

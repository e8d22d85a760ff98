import { DATASET_ORIGINS, OPT_OUT_LEGAL_BASES, optOutListsFor } from '@tre/datasets';
import { optOutRules } from './opt-out-explainer';

describe('the patients’ opt-out table', () => {
  it('has one row for every legal basis and data source the extract policy knows', () => {
    expect(optOutRules()).toHaveLength(OPT_OUT_LEGAL_BASES.length * DATASET_ORIGINS.length);
  });

  it('says exactly what the extract applies', () => {
    for (const rule of optOutRules())
      expect(rule.listsApplied).toEqual(optOutListsFor(rule.legalBasis, rule.dataSource));
    const s251Gp = optOutRules().find((r) => r.legalBasis === 's251' && r.dataSource === 'gp');
    expect(s251Gp?.listsApplied).toEqual(['national', 'type1']);
    const consentHospital = optOutRules().find(
      (r) => r.legalBasis === 'consent' && r.dataSource === 'hospital',
    );
    expect(consentHospital?.listsApplied).toEqual([]);
  });

  it('names every legal basis in plain words', () => {
    for (const rule of optOutRules()) expect(rule.legalBasisTitle).not.toBe(rule.legalBasis);
  });
});

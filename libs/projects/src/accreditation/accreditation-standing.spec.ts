import { accreditationStanding } from './accreditation-standing';

describe('accreditationStanding', () => {
  const today = '2026-12-05';

  it('uses the declared date when the register has no record', () => {
    expect(accreditationStanding('2027-01-01', null, today)).toEqual({
      lapsed: false,
      expiresOn: '2027-01-01',
      source: 'declared',
    });
    expect(accreditationStanding('2026-12-04', null, today).lapsed).toBe(true);
  });

  it('lets a lapsed register record override a declared date still in the future', () => {
    const standing = accreditationStanding('2030-01-01', { state: 'lapsed', expiresOn: '2028-01-01' }, today);
    expect(standing).toEqual({ lapsed: true, expiresOn: '2028-01-01', source: 'register' });
  });

  it('lets an expired register record override a declared date still in the future', () => {
    expect(
      accreditationStanding('2030-01-01', { state: 'current', expiresOn: '2026-12-04' }, today).lapsed,
    ).toBe(true);
  });

  it('lets a current register record stand for a declared date already past', () => {
    expect(accreditationStanding('2020-01-01', { state: 'current', expiresOn: today }, today)).toEqual({
      lapsed: false,
      expiresOn: today,
      source: 'register',
    });
  });
});

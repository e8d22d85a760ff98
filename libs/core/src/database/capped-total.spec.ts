import { cappedTotal, countUpToSql, totalOfPage } from './capped-total';

describe('a capped total', () => {
  it('says the total is a lower bound only past the limit', () => {
    expect(cappedTotal(1001, 1000)).toEqual({ total: 1000, totalIsLowerBound: true });
    expect(cappedTotal(1000, 1000)).toEqual({ total: 1000, totalIsLowerBound: false });
    expect(cappedTotal(0)).toEqual({ total: 0, totalIsLowerBound: false });
  });

  it('counts a statement written as SQL the same way: no further than one past the limit', () => {
    expect(countUpToSql('r.id', "FROM output_requests r WHERE r.status = 'in_review'", 1000)).toBe(
      "(SELECT COUNT(*)::int FROM (SELECT r.id FROM output_requests r WHERE r.status = 'in_review' LIMIT 1001) capped_matches)",
    );
  });

  it("takes the total from the page's rows; an empty first page is 0, an empty later page is counted apart", async () => {
    const apart = jest.fn(() => Promise.resolve(45));
    expect(await totalOfPage([{ total: 7 }], 'total', false, apart)).toBe(7);
    expect(await totalOfPage([] as { total: number }[], 'total', true, apart)).toBe(0);
    expect(apart).not.toHaveBeenCalled();
    expect(await totalOfPage([] as { total: number }[], 'total', false, apart)).toBe(45);
    expect(apart).toHaveBeenCalledTimes(1);
  });
});

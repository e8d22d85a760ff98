import { positionalSql } from './positional-sql';

describe('positionalSql', () => {
  it('numbers each distinct name once, in order of first use, and leaves casts alone', () => {
    const { text, values } = positionalSql(
      `SELECT :b::int AS b, :a::text AS a, :b AS again, '12:30'::time AS t WHERE x = :a`,
      { a: 'one', b: 2, unused: 3 },
    );
    expect(text).toBe(`SELECT $1::int AS b, $2::text AS a, $1 AS again, '12:30'::time AS t WHERE x = $2`);
    expect(values).toEqual([2, 'one']);
  });

  it('gives one text for the same SQL whatever the values', () => {
    const sql = 'SELECT 1 WHERE id = :id';
    expect(positionalSql(sql, { id: 'x' }).text).toBe(positionalSql(sql, { id: 'y' }).text);
  });

  it('refuses a parameter without a value, and array spreading (its text would vary)', () => {
    expect(() => positionalSql('SELECT :missing', {})).toThrow(/No value for the parameter :missing/);
    expect(() => positionalSql('SELECT 1 WHERE s IN (:...list)', { list: ['a'] })).toThrow(/ANY/);
  });
});

/**
 * SQL written with named parameters (`:name`, as TypeORM's query builder and the shared visibility conditions
 * write them) turned into Postgres's positional form (`$1`, `$2` ...) with the values in order. The same
 * statement text comes out for the same SQL whatever the values, so Postgres can keep it prepared.
 */
export interface PositionalSql {
  readonly text: string;
  readonly values: unknown[];
}

interface Template {
  readonly text: string;
  /** The parameter each `$n` stands for, in order. */
  readonly names: readonly string[];
}

// `:name` not preceded by another colon (a `::type` cast) or a word character (`'12:30'`, `a:b` in a literal).
// Array spreading (`:...name`) is refused: its text would change with the array's length; bind an array to
// `= ANY(:name)` instead.
const NAMED = /(?<![:\w]):(\.\.\.)?([A-Za-z_]\w*)/g;

/** The service's statements are written in code: a few hundred at most. Past this the cache stops growing. */
const MAX_TEMPLATES = 1_000;
const templates = new Map<string, Template>();

function templateOf(sql: string): Template {
  const known = templates.get(sql);
  if (known) return known;
  const names: string[] = [];
  const text = sql.replace(NAMED, (_match, spread: string | undefined, name: string) => {
    if (spread) throw new Error(`:...${name}: bind the array to "= ANY(:${name})" instead`);
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  const template = { text, names };
  if (templates.size < MAX_TEMPLATES) templates.set(sql, template);
  return template;
}

/** `sql` with each `:name` as `$n` (one position per distinct name), and the values in that order. */
export function positionalSql(sql: string, params: Readonly<Record<string, unknown>>): PositionalSql {
  const { text, names } = templateOf(sql);
  const values = names.map((name) => {
    if (!(name in params)) throw new Error(`No value for the parameter :${name}`);
    return params[name];
  });
  return { text, values };
}

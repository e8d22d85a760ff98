import type { DatasetView, FieldSpec } from '../catalogue/catalogue.types';
import {
  createRng,
  deriveProjectKey,
  makeTestNhsNumber,
  NHS_NUMBER_DOMAIN,
  normaliseNhsNumber,
  pickOne,
  Pseudonymiser,
  randomInt,
  PersonGroups,
  ResidualIdentifierScanner,
  tupleKey,
} from '../safe-data';
import { type ColumnPlan, planColumns } from './column-plan';
import { CopyTextRows } from './copy-text';
import { csvLine } from './csv-file-writer';
import { DatasetReleaser, OptedOutPeople, type DatasetCounts, type OptOutCheck } from './dataset-releaser';
import { RowSample } from './pseudonym-sample';

/** k-anonymity over people as written out plainly: each person's set of distinct tagged tuples, then group sizes. */
function peopleGroups(rows: { person: string; tuple: string }[], k: number) {
  const sets = new Map<string, Set<string>>();
  for (const { person, tuple } of rows) {
    const set = sets.get(person) ?? new Set<string>();
    set.add(tuple);
    sets.set(person, set);
  }
  const sizes = new Map<string, number>();
  for (const set of sets.values()) {
    const key = JSON.stringify([...set].sort());
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const all = [...sizes.values()];
  return {
    people: sets.size,
    groups: all.length,
    smallestGroupSize: all.length ? Math.min(...all) : null,
    groupsBelowK: all.filter((size) => size < k).length,
  };
}

const field = (name: string, spec: Partial<FieldSpec>): FieldSpec => ({
  name,
  type: 'string',
  classification: 'attribute',
  releaseForm: 'keep',
  generaliseLevel: null,
  description: '',
  ...spec,
});

// Every release form and level, three quasi-identifiers, and free text to carry planted identifiers.
const dataset = {
  code: 'ALL',
  source: { schema: 'source', table: 'all', personIdColumn: 'nhs_number' },
  fields: [
    field('nhs_number', { classification: 'direct_identifier', releaseForm: 'pseudonymise' }),
    field('code', {}),
    field('note', {}),
    field('birth', {
      classification: 'quasi_identifier',
      releaseForm: 'generalise',
      generaliseLevel: 'year_month',
    }),
    field('year', { releaseForm: 'generalise', generaliseLevel: 'year' }),
    field('month', { releaseForm: 'generalise', generaliseLevel: 'month' }),
    field('decade', { releaseForm: 'generalise', generaliseLevel: 'decade' }),
    field('age', { releaseForm: 'generalise', generaliseLevel: 'age_band_5' }),
    field('postcode', {
      classification: 'quasi_identifier',
      releaseForm: 'generalise',
      generaliseLevel: 'district',
    }),
    field('sex', { classification: 'quasi_identifier' }),
    field('hospital_number', { classification: 'direct_identifier', releaseForm: 'pseudonymise' }),
  ],
} as unknown as DatasetView;
const pseudonymiser = new Pseudonymiser(deriveProjectKey(Buffer.alloc(32, 9), 'project', 1));
const plan = planColumns(
  dataset,
  dataset.fields.map((f) => f.name),
  pseudonymiser,
  '2026-11-21',
);

/** The extract loop as it was written on strings (COPY text decoded, split, unescaped; CSV built by csvLine). */
function legacy(text: string, optOuts: readonly OptOutCheck[], p: ColumnPlan) {
  const counts: DatasetCounts = {
    sourceRows: 0,
    delivered: 0,
    missingIdentifier: 0,
    invalidIdentifier: 0,
    optedOut: {},
  };
  for (const list of optOuts) counts.optedOut[list.list] = 0;
  const rows: (string | null)[][] = [];
  const reader = new CopyTextRows();
  reader.push(text, rows);
  reader.finish();
  const scanner = new ResidualIdentifierScanner();
  const people: { person: string; tuple: string }[] = [];
  let csv = csvLine(['pseudonym', ...p.outputColumns.map((c) => c.name)]);
  for (const row of rows) {
    counts.sourceRows += 1;
    const raw = row[0];
    if (raw === null || raw.trim() === '') {
      counts.missingIdentifier += 1;
      continue;
    }
    const normalised = normaliseNhsNumber(raw);
    if (normalised === null) {
      counts.invalidIdentifier += 1;
      continue;
    }
    const optedOutOf = optOuts.find((list) => list.has(normalised));
    if (optedOutOf) {
      counts.optedOut[optedOutOf.list] += 1;
      continue;
    }
    const out: Record<string, string | null> = {};
    const values = [pseudonymiser.pseudonymise(NHS_NUMBER_DOMAIN, normalised)];
    p.outputColumns.forEach((column, i) => {
      out[column.name] = column.transform(row[i + 1]);
      values.push(out[column.name]!);
    });
    scanner.scanRow(out);
    const quasi = p.quasiIdentifiers.map((name) => out[name] ?? null);
    if (quasi.length) people.push({ person: normalised, tuple: tupleKey(1, quasi) });
    csv += csvLine(values);
    counts.delivered += 1;
  }
  return {
    csv,
    counts,
    scan: scanner.report(),
    k: p.quasiIdentifiers.length ? peopleGroups(people, 5) : null,
  };
}

function released(input: Buffer, cuts: readonly number[], optOuts: readonly OptOutCheck[], p = plan) {
  const sample = new RowSample(16);
  const groups = new PersonGroups();
  const tag = groups.addDataset('ALL', p.quasiIdentifiers);
  const releaser = new DatasetReleaser({
    plan: p,
    optOuts,
    pseudonymiser,
    sample,
    people: groups.counting ? { groups, tag } : undefined,
  });
  const parts: Buffer[] = [Buffer.from(csvLine(['pseudonym', ...p.outputColumns.map((c) => c.name)]))];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    releaser.push(input.subarray(from, cut));
    parts.push(...releaser.csv.take(false));
    from = cut;
  }
  releaser.finish();
  parts.push(...releaser.csv.take(true));
  return {
    csv: Buffer.concat(parts).toString('utf8'),
    counts: releaser.counts,
    scan: releaser.scanner.report(),
    k: groups.counting ? groups.report(5) : null,
    sample: sample.rows,
  };
}

const rng = createRng(5);
const people = Array.from({ length: 40 }, () => makeTestNhsNumber(rng));
const optOutList = (list: string, members: string[]): OptOutCheck => ({
  list,
  has: (n) => members.includes(n),
  hasDigits: (digits, start) =>
    members.includes(Buffer.from(digits.subarray(start, start + 10)).toString('latin1')),
});
const optOuts = [optOutList('national', [people[1], people[2]]), optOutList('type1', [people[2], people[3]])];
const spaced = (n: string) => `${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6)}`;
const IDENTIFIERS = [
  ...people,
  ...people.slice(0, 6).map(spaced),
  '\\N',
  '',
  '   ',
  '-',
  '1234567890',
  '999000001',
  '99900000181',
  `\\t${people[4]}`,
  `${people[5]}\\n`,
  `${people[6].slice(0, 5)}\\x20${people[6].slice(5)}`,
  '٩٩٩٠٠٠٠٠١٨',
  `\u00a0${people[7]}`,
  `${people[8]}x`,
];
const DATES = [
  '1980-03-17',
  '2024-02-29',
  '2023-02-29',
  '0000-01-01',
  '0001-12-31',
  '1980-13-01',
  '1980-3-17',
  '1980-03-17 10:00:00',
  '1980-03-17T10:00:00Z',
  ' 1980-03-17',
  '',
  '\\N',
  '１９８０-03-17',
  '1980-03-1a',
  '1979-11-30',
];
const TEXT = [
  'J93675',
  'I50.0',
  '',
  '\\N',
  '\\\\N',
  'say "hi"',
  'a,b',
  'tab\\there',
  'line\\nbreak',
  'cr\\rhere',
  'café ☃',
  `nhs ${people[9]}`,
  spaced(people[10]),
  'mail me@example.org',
  'call 020 7946 0958',
  'lives SW1A 1AA',
  'sw1a1aa',
  'AB12CD34',
  'x\\\\y',
  '\\x41\\101',
  'M',
  'F',
  'quote"',
  ',',
];
const POSTCODES = ['SW1A 1AA', 'sw1a1aa', 'M1 1AE', 'SW1A', '', '\\N', 'not a postcode', 'B33 8TH'];

function row(): string {
  return [
    pickOne(rng, IDENTIFIERS),
    pickOne(rng, TEXT),
    pickOne(rng, TEXT),
    ...[0, 1, 2, 3, 4].map(() => pickOne(rng, DATES)),
    pickOne(rng, POSTCODES),
    pickOne(rng, ['M', 'F', '\\N', 'café']),
    pickOne(rng, ['H123', '', '\\N', ` ${people[11]} `]),
  ].join('\t');
}

describe('DatasetReleaser', () => {
  // Runs of a person's rows, as sources store them, so remembering the last identifier is exercised too.
  const rows: string[] = [];
  while (rows.length < 3_000) {
    const r = row();
    for (let i = randomInt(rng, 1, 4); i > 0; i -= 1)
      rows.push(r.replace(/^[^\t]*/, (id) => (i > 1 ? id : pickOne(rng, IDENTIFIERS))));
  }
  const text = `${rows.join('\n')}\n`;
  const input = Buffer.from(text, 'utf8');
  const expected = legacy(text, optOuts, plan);

  it('writes byte for byte what the string pipeline wrote, with the same counts, scan and groups', () => {
    const got = released(input, [], optOuts);
    expect(got.csv).toBe(expected.csv);
    expect(got.counts).toEqual(expected.counts);
    expect(got.scan).toEqual(expected.scan);
    expect(got.k).toMatchObject(expected.k!);
    expect(got.k?.columns).toEqual(['ALL.birth', 'ALL.postcode', 'ALL.sex']);
    // Each sampled row starts, in the written bytes, with the pseudonym of the identifier recorded for it.
    const header = Buffer.byteLength(got.csv.split('\n')[0]) + 1;
    const written = Buffer.from(got.csv);
    expect(got.sample).toHaveLength(16);
    for (const { offset, nhsNumber } of got.sample) {
      expect(written[header + offset - 1]).toBe(0x0a);
      expect(written.toString('latin1', header + offset, header + offset + 64)).toBe(
        pseudonymiser.pseudonymise(NHS_NUMBER_DOMAIN, nhsNumber),
      );
    }
    expect(new Set(got.sample.map((r) => r.offset)).size).toBe(16);
    expect(Math.max(...got.sample.map((r) => r.offset))).toBeGreaterThan(written.length / 4);
    // The input does exercise every outcome.
    expect(expected.counts.missingIdentifier).toBeGreaterThan(0);
    expect(expected.counts.invalidIdentifier).toBeGreaterThan(0);
    expect(expected.counts.optedOut.national).toBeGreaterThan(0);
    expect(expected.counts.optedOut.type1).toBeGreaterThan(0);
    expect(expected.scan.findings.map((f) => f.kind).sort()).toEqual(
      expect.arrayContaining(['email', 'nhs_number', 'phone', 'postcode']),
    );
    expect(expected.k?.groups).toBeGreaterThan(1);
  });

  it('gives the same bytes however the input is cut into chunks', () => {
    const small = Buffer.from(`${rows.slice(0, 15).join('\n')}\n`, 'utf8');
    const want = legacy(small.toString('utf8'), optOuts, plan).csv;
    for (let cut = 0; cut <= small.length; cut += 1) expect(released(small, [cut], optOuts).csv).toBe(want);
    const cuts: number[] = [];
    for (let at = randomInt(rng, 1, 200); at < input.length; at += randomInt(rng, 1, 200)) cuts.push(at);
    expect(released(input, cuts, optOuts).csv).toBe(expected.csv);
  });

  it('counts the people each list removed, not their rows; a person on both lists counts under each', () => {
    const counter = new OptedOutPeople();
    const releaser = new DatasetReleaser({ plan, optOuts, pseudonymiser, optedOutPeople: counter });
    releaser.push(input);
    releaser.finish();
    // people[2] is on both lists (removed under the national one, the first that matched).
    expect(counter.counts(['national', 'type1'])).toEqual({ national: 2, type1: 2 });
    expect(releaser.counts.optedOut.national).toBeGreaterThan(2);
    expect(counter.counts(['national', 'type1', 'other'])).toMatchObject({ other: 0 });
  });

  it('releases a plan without quasi-identifiers the same way, and refuses a row of the wrong shape', () => {
    const narrow = planColumns(dataset, ['nhs_number', 'code', 'month'], pseudonymiser, '2026-11-21');
    const narrowText = rows.map((r) =>
      r
        .split('\t')
        .filter((_, i) => i === 0 || i === 1 || i === 5)
        .join('\t'),
    );
    const narrowInput = `${narrowText.join('\n')}\n`;
    const got = released(Buffer.from(narrowInput), [], optOuts, narrow);
    const want = legacy(narrowInput, optOuts, narrow);
    expect(got.csv).toBe(want.csv);
    expect(got.k).toBeNull();
    expect(() => released(Buffer.from('9434765919\tx\n'), [], optOuts, narrow)).toThrow(
      /2 fields, expected 3/,
    );
  });
});

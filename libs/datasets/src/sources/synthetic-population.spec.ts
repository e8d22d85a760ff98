import { normaliseNhsNumber, normaliseUkPostcode } from '../safe-data';
import { datasetProblems, normaliseField } from '../catalogue/catalogue-rules';
import { appendCopyRows, type SourceTable } from './source-tables';
import { SEED_DATASETS, seedDatasets } from './seed-datasets';
import {
  generatePopulation,
  POPULATION_RATES,
  samplePopulation,
  TestNhsNumberAllocator,
  type SeedPerson,
} from './synthetic-population';
import { ICD10_PATTERN, POSTCODE_DISTRICTS } from './uk-vocabulary';

const N = 20_000;
const population = (seed = 42, people = N): SeedPerson[] => [...generatePopulation({ people, seed })];
const people = population();

/** Observed rate within a tolerance wide enough for N draws (about four standard errors). */
function expectRate(observed: number, draws: number, expected: number): void {
  const tolerance = 4 * Math.sqrt((expected * (1 - expected)) / draws);
  expect(Math.abs(observed / draws - expected)).toBeLessThan(tolerance);
}

describe('the synthetic population', () => {
  it('is the same for the same seed and different for another', () => {
    expect(population(42, 500)).toEqual(people.slice(0, 500));
    const other = population(43, 500);
    expect(other.map((p) => p.nhsNumber)).not.toEqual(people.slice(0, 500).map((p) => p.nhsNumber));
    expect(other.map((p) => p.fullName)).not.toEqual(people.slice(0, 500).map((p) => p.fullName));
  });

  it('gives everyone a distinct valid NHS number in the 999 test range', () => {
    const numbers = people.map((p) => p.nhsNumber);
    expect(new Set(numbers).size).toBe(N);
    expect(numbers.filter((n) => normaliseNhsNumber(n) !== n || !n.startsWith('999'))).toEqual([]);
  });

  it('records about 1% of NHS numbers missing and 1% failing modulus 11, measured on the rows', () => {
    const recorded = people.flatMap((p) => [
      p.gpNhsNumber,
      ...p.episodes.map((e) => e.nhsNumber),
      ...(p.death ? [p.death.nhsNumber] : []),
    ]);
    const missing = recorded.filter((n) => n === null).length;
    const invalid = recorded.filter((n) => n !== null && normaliseNhsNumber(n) === null).length;
    expectRate(missing, recorded.length, POPULATION_RATES.missingNhsNumber);
    expectRate(invalid, recorded.length, POPULATION_RATES.invalidNhsNumber);
    // A recorded number is the person's own, or a typo of it: never someone else's valid number.
    const someoneElses = people.filter((p) =>
      [p.gpNhsNumber, ...p.episodes.map((e) => e.nhsNumber)].some((n) => {
        const valid = n === null ? null : normaliseNhsNumber(n);
        return valid !== null && valid !== p.nhsNumber;
      }),
    );
    expect(someoneElses).toEqual([]);
  });

  it('puts about 40% in hospital with 1 to 4 episodes and about 3% in the death register', () => {
    const hospitalised = people.filter((p) => p.episodes.length > 0);
    expectRate(hospitalised.length, N, POPULATION_RATES.hospitalised);
    expect(Math.min(...hospitalised.map((p) => p.episodes.length))).toBe(1);
    expect(Math.max(...hospitalised.map((p) => p.episodes.length))).toBe(4);
    expectRate(people.filter((p) => p.death).length, N, POPULATION_RATES.died);
    const ids = people.flatMap((p) => p.episodes.map((e) => e.episodeId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes realistic, consistent records', () => {
    // One expect over all problems: an expect per value would make this spec slow for no gain.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, p: SeedPerson): void => {
      if (!ok) problems.push(`person ${p.index}: ${what}`);
    };
    for (const p of people) {
      check(/^[A-Z][a-z]+ [A-Z][A-Za-z']+$/.test(p.fullName), 'name', p);
      check(normaliseUkPostcode(p.postcode) === p.postcode, 'postcode', p);
      check(/^[A-Z][0-9]{5}$/.test(p.practiceCode), 'practice', p);
      check(p.sex === 'F' || p.sex === 'M', 'sex', p);
      check(p.registrationDate >= p.dateOfBirth, 'registered before birth', p);
      for (const e of p.episodes) {
        check(e.admissionDate >= p.dateOfBirth, 'admitted before birth', p);
        check(!p.death || e.admissionDate <= p.death.dateOfDeath, 'admitted after death', p);
        check(ICD10_PATTERN.test(e.diagnosis), 'diagnosis', p);
        check(normaliseUkPostcode(e.postcode) === e.postcode, 'episode postcode', p);
      }
      if (p.death) {
        check(p.death.dateOfDeath > p.dateOfBirth, 'died before birth', p);
        check(ICD10_PATTERN.test(p.death.cause), 'cause', p);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(POSTCODE_DISTRICTS.filter((d) => normaliseUkPostcode(`${d} 1AB`) === null)).toEqual([]);
  });

  it('samples the same people every time', () => {
    const sample = samplePopulation({ people: N, seed: 42 }, 10);
    expect(sample).toHaveLength(10);
    expect(sample.map((p) => p.index)).toEqual([
      0, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000, 18000,
    ]);
    expect(sample.map((p) => p.nhsNumber)).toEqual(sample.map((p) => people[p.index].nhsNumber));
  });

  it('continues below the 999 block, still distinct and valid, once its 909,091 numbers are used', () => {
    const allocator = new TestNhsNumberAllocator(5);
    const seen = new Set<string>();
    let outside999 = 0;
    for (let i = 0; i < 909_091; i++) {
      const n = allocator.next();
      seen.add(n);
      if (!n.startsWith('999')) outside999 += 1;
    }
    expect(seen.size).toBe(909_091);
    expect(outside999).toBe(0);
    const next = allocator.next();
    expect(next.startsWith('998')).toBe(true);
    expect(normaliseNhsNumber(next)).toBe(next);
  });
});

describe('COPY rows', () => {
  it('writes one GP row per person, one row per episode and death, with \\N for missing', () => {
    const buffers: Record<SourceTable, string[]> = { gp_registrations: [], hes_apc: [], deaths: [] };
    for (const p of people.slice(0, 2000)) appendCopyRows(p, buffers);
    expect(buffers.gp_registrations).toHaveLength(2000);
    expect(buffers.hes_apc).toHaveLength(people.slice(0, 2000).reduce((n, p) => n + p.episodes.length, 0));
    for (const line of buffers.gp_registrations) expect(line.split('\t')).toHaveLength(7);
    for (const line of buffers.hes_apc) expect(line.split('\t')).toHaveLength(6);
    const missingGp = people.slice(0, 2000).findIndex((p) => p.gpNhsNumber === null);
    expect(buffers.gp_registrations[missingGp].startsWith('\\N\t')).toBe(true);
  });
});

describe('SEED_DATASETS', () => {
  it('are valid catalogue registrations with the origins the opt-outs need', () => {
    for (const dataset of SEED_DATASETS) {
      const problems = datasetProblems(
        {
          code: dataset.code,
          title: dataset.title,
          origin: dataset.origin ?? 'other',
          source: { ...dataset.source, schema: dataset.source.schema ?? 'source' },
          fields: dataset.fields.map(normaliseField),
        },
        ['source'],
      );
      expect(problems).toEqual([]);
    }
    expect(SEED_DATASETS.map((d) => [d.code, d.origin])).toEqual([
      ['GP_REGISTRATIONS', 'gp'],
      ['HES_APC', 'hospital'],
      ['DEATHS', 'registry'],
    ]);
    expect(seedDatasets('elsewhere').every((d) => d.source.schema === 'elsewhere')).toBe(true);
  });
});

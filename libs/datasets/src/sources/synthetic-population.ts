import { createRng, nhsNumberCheckDigit, randomInt, type Rng } from '../safe-data';
import {
  ADMISSION_DIAGNOSES,
  CAUSES_OF_DEATH,
  FEMALE_FORENAMES,
  INWARD_UNIT_LETTERS,
  MALE_FORENAMES,
  POSTCODE_DISTRICTS,
  PRACTICE_CODE_LETTERS,
  SURNAMES,
} from './uk-vocabulary';

/**
 * A deterministic synthetic population: the same options always give the same people, rows and recording
 * errors, so tests, the demo and the benchmark can agree on who exists without reading the database back.
 * Pure and streaming: people are generated one at a time, so a million never sit in memory.
 */

export interface PopulationOptions {
  readonly people: number;
  /** Defaults to DEFAULT_SEED. */
  readonly seed?: number;
}

export const DEFAULT_SEED = 1;

/** How often each thing happens; the seed spec measures them on generated data. */
export const POPULATION_RATES = {
  /** Per source row: the NHS number is missing. */
  missingNhsNumber: 0.01,
  /** Per source row: the NHS number was mistyped (its check digit fails modulus 11). */
  invalidNhsNumber: 0.01,
  /** Per hospital row: the number is printed 3-3-4 with spaces, as on letters. */
  spacedNhsNumber: 0.03,
  /** People with one to four hospital episodes. */
  hospitalised: 0.4,
  /** People with a death registration. */
  died: 0.03,
  /** Hospital rows where the patient's name was recorded. */
  hospitalNameRecorded: 0.6,
  /** Hospital rows giving a postcode other than the GP one (people move). */
  hospitalPostcodeDiffers: 0.1,
} as const;

export interface SeedEpisode {
  readonly episodeId: number;
  /** As recorded: may be missing, mistyped or spaced. */
  readonly nhsNumber: string | null;
  readonly admissionDate: string;
  readonly diagnosis: string;
  readonly fullName: string | null;
  readonly postcode: string;
}

export interface SeedDeath {
  readonly nhsNumber: string | null;
  readonly dateOfDeath: string;
  readonly cause: string;
  readonly postcode: string;
}

export interface SeedPerson {
  /** 0-based position in the population. */
  readonly index: number;
  /** The person's true number: ten digits in the 9xx test block, passing modulus 11, unique in the population. */
  readonly nhsNumber: string;
  readonly fullName: string;
  readonly sex: 'F' | 'M';
  readonly dateOfBirth: string;
  readonly postcode: string;
  readonly practiceCode: string;
  readonly registrationDate: string;
  /** The number as the GP record holds it: missing or mistyped in about 1% of rows each. */
  readonly gpNhsNumber: string | null;
  readonly episodes: readonly SeedEpisode[];
  readonly death: SeedDeath | null;
}

const DAY_MS = 86_400_000;
const dayOf = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;
const FIRST_BIRTH = dayOf(1925, 1, 1);
const LAST_DAY = dayOf(2024, 12, 31);
const FIRST_REGISTRATION = dayOf(1990, 1, 1);
const FIRST_ADMISSION = dayOf(2010, 1, 1);
const FIRST_DEATH = dayOf(2015, 1, 1);

/** ISO strings of every day the generator can produce, made once: toISOString per row is the slow part. */
let isoDays: string[] | undefined;
function isoDate(day: number): string {
  isoDays ??= Array.from({ length: LAST_DAY - FIRST_BIRTH + 1 }, (_, offset) =>
    new Date((FIRST_BIRTH + offset) * DAY_MS).toISOString().slice(0, 10),
  );
  return isoDays[day - FIRST_BIRTH];
}

const between = (rng: Rng, first: number, last: number): number =>
  first >= last ? first : first + Math.floor(rng() * (last - first + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** Test-range blocks, 999 first. 999 alone holds 909,091 valid numbers; larger populations continue in 998... */
const FIRST_BLOCK = 999;
const SLOTS_PER_BLOCK = 1_000_000;

/**
 * Hands out distinct valid NHS numbers in a shuffled order: an affine permutation of the six free digits
 * (multiplier coprime to 10^6), skipping prefixes whose check digit would be 10. Distinct by construction,
 * so no set of issued numbers is kept.
 */
export class TestNhsNumberAllocator {
  private readonly multiplier: number;
  private readonly offset: number;
  private block = FIRST_BLOCK;
  private slot = 0;

  constructor(seed: number) {
    const rng = createRng(seed ^ 0x5eed);
    let multiplier = randomInt(rng, 100_000, SLOTS_PER_BLOCK) | 1;
    while (multiplier % 5 === 0) multiplier += 2;
    this.multiplier = multiplier;
    this.offset = randomInt(rng, 0, SLOTS_PER_BLOCK);
  }

  next(): string {
    for (;;) {
      if (this.slot === SLOTS_PER_BLOCK) {
        // Only populations over 909,091 reach here; 9xx prefixes are not issued to patients either.
        this.block -= 1;
        this.slot = 0;
      }
      const free = (this.multiplier * this.slot + this.offset) % SLOTS_PER_BLOCK;
      this.slot += 1;
      const firstNine = `${this.block}${String(free).padStart(6, '0')}`;
      const check = nhsNumberCheckDigit(firstNine);
      if (check !== null) return `${firstNine}${check}`;
    }
  }
}

/** The same number with its check digit changed, so it fails modulus 11 (there is one right digit). */
function mistype(rng: Rng, nhsNumber: string): string {
  const right = nhsNumber.charCodeAt(9) - 48;
  const wrong = (right + 1 + Math.floor(rng() * 9)) % 10;
  return `${nhsNumber.slice(0, 9)}${wrong}`;
}

function recorded(rng: Rng, nhsNumber: string): string | null {
  const draw = rng();
  if (draw < POPULATION_RATES.missingNhsNumber) return null;
  if (draw < POPULATION_RATES.missingNhsNumber + POPULATION_RATES.invalidNhsNumber)
    return mistype(rng, nhsNumber);
  return nhsNumber;
}

const spaced = (value: string): string => `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`;

function postcode(rng: Rng): string {
  const unit = INWARD_UNIT_LETTERS;
  return (
    `${pick(rng, POSTCODE_DISTRICTS)} ${Math.floor(rng() * 10)}` +
    `${unit[Math.floor(rng() * unit.length)]}${unit[Math.floor(rng() * unit.length)]}`
  );
}

function practiceCodes(seed: number): string[] {
  const rng = createRng(seed ^ 0x9a7c);
  return Array.from(
    { length: 500 },
    () =>
      `${pick(rng, [...PRACTICE_CODE_LETTERS])}${String(randomInt(rng, 80_000, 99_999)).padStart(5, '0')}`,
  );
}

/** Yields the population person by person; every random draw comes from one seeded stream, in a fixed order. */
export function* generatePopulation(options: PopulationOptions): Generator<SeedPerson> {
  const { people } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(people) || people < 0) throw new RangeError('people must be a whole number >= 0');
  const rng = createRng(seed);
  const numbers = new TestNhsNumberAllocator(seed);
  const practices = practiceCodes(seed);
  let episodeId = 0;
  for (let index = 0; index < people; index++) {
    const nhsNumber = numbers.next();
    const sex = rng() < 0.51 ? 'F' : 'M';
    const fullName = `${pick(rng, sex === 'F' ? FEMALE_FORENAMES : MALE_FORENAMES)} ${pick(rng, SURNAMES)}`;
    const birth = between(rng, FIRST_BIRTH, LAST_DAY);
    const home = postcode(rng);
    const practiceCode = pick(rng, practices);
    const registration = between(rng, Math.max(birth, FIRST_REGISTRATION), LAST_DAY);
    const gpNhsNumber = recorded(rng, nhsNumber);
    const dies = rng() < POPULATION_RATES.died;
    const deathDay = dies ? between(rng, Math.max(birth + 1, FIRST_DEATH), LAST_DAY) : LAST_DAY;
    const episodes: SeedEpisode[] = [];
    if (rng() < POPULATION_RATES.hospitalised) {
      const count = 1 + Math.floor(rng() * 4);
      for (let e = 0; e < count; e++) {
        const asRecorded = recorded(rng, nhsNumber);
        episodes.push({
          episodeId: ++episodeId,
          nhsNumber:
            asRecorded !== null && rng() < POPULATION_RATES.spacedNhsNumber ? spaced(asRecorded) : asRecorded,
          admissionDate: isoDate(between(rng, Math.max(birth, FIRST_ADMISSION), deathDay)),
          diagnosis: pick(rng, ADMISSION_DIAGNOSES),
          fullName: rng() < POPULATION_RATES.hospitalNameRecorded ? fullName : null,
          postcode: rng() < POPULATION_RATES.hospitalPostcodeDiffers ? postcode(rng) : home,
        });
      }
    }
    const death: SeedDeath | null = dies
      ? {
          nhsNumber: recorded(rng, nhsNumber),
          dateOfDeath: isoDate(deathDay),
          cause: pick(rng, CAUSES_OF_DEATH),
          postcode: home,
        }
      : null;
    yield {
      index,
      nhsNumber,
      fullName,
      sex,
      dateOfBirth: isoDate(birth),
      postcode: home,
      practiceCode,
      registrationDate: isoDate(registration),
      gpNhsNumber,
      episodes,
      death,
    };
  }
}

/**
 * A deterministic sample of the population, evenly spread, for tests that need known people (for example to
 * opt them out). Regenerates the population up to the last person sampled; nothing is read from the database.
 */
export function samplePopulation(options: PopulationOptions, size: number): SeedPerson[] {
  if (size <= 0 || options.people === 0) return [];
  const step = Math.max(1, Math.floor(options.people / size));
  const sample: SeedPerson[] = [];
  for (const person of generatePopulation(options)) {
    if (person.index % step === 0) sample.push(person);
    if (sample.length === size) break;
  }
  return sample;
}

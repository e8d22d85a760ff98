import { createHmac } from 'node:crypto';
import {
  KAnonymityCounter,
  Pseudonymiser,
  ResidualIdentifierScanner,
  createRng,
  deriveProjectKey,
  formatNhsNumber,
  generalise,
  makeTestNhsNumber,
  pickOne,
  randomInt,
  type Rng,
  type ScannedRow,
} from '@tre/datasets/safe-data';

/**
 * How fast the pure safe-data steps run on this machine: NHS number pseudonymisation (normalise, modulus-11
 * check, HMAC-SHA256) beside the raw HMAC-SHA256 rate, the residual identifier scanner and the k-anonymity
 * counter. Imports the safe-data entry point rather than the whole lib, so no Nest or database code loads.
 * BENCH_PSEUDONYMISE_COUNT sets the number of identifiers and of scanned values (default 1,000,000).
 */
const COUNT = Number(process.env.BENCH_PSEUDONYMISE_COUNT ?? 1_000_000);
const SEED = 20_240_501;
/** One identifier in this many is made invalid, as real sources hold a few typos. */
const INVALID_EVERY = 100;
const SCAN_COLUMNS = 5;

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function print(name: string, value: number, unit: string): void {
  process.stdout.write(`${name}: ${value.toFixed(0)} ${unit}\n`);
}

/** Source-like NHS numbers: a third printed 3-3-4, one in a hundred with a broken check digit. */
function makeRawNhsNumbers(rng: Rng, count: number): string[] {
  const numbers: string[] = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    const valid = makeTestNhsNumber(rng);
    if (index % INVALID_EVERY === 0) {
      numbers[index] = valid.slice(0, 9) + String((Number(valid[9]) + 1) % 10);
    } else {
      numbers[index] = index % 3 === 0 ? formatNhsNumber(valid) : valid;
    }
  }
  return numbers;
}

function benchPseudonymise(rawNumbers: readonly string[]): void {
  const projectKey = deriveProjectKey(Buffer.alloc(32, 1), 'bench-project', 1);
  const pseudonymiser = new Pseudonymiser(projectKey);
  for (let index = 0; index < 10_000; index++) pseudonymiser.pseudonymiseNhsNumber(rawNumbers[index]);

  let invalid = 0;
  const started = process.hrtime.bigint();
  for (const raw of rawNumbers) {
    if (pseudonymiser.pseudonymiseNhsNumber(raw) === null) invalid++;
  }
  const elapsed = seconds(started);
  const expectedInvalid = Math.ceil(rawNumbers.length / INVALID_EVERY);
  if (invalid !== expectedInvalid)
    throw new Error(`expected ${expectedInvalid} invalid numbers, counted ${invalid}`);
  print('pseudonymise_throughput', rawNumbers.length / elapsed, 'ids/s');

  // The same number of bare HMAC-SHA256 computations over ten-digit messages: the ceiling for the line above.
  const rawStarted = process.hrtime.bigint();
  for (const raw of rawNumbers) createHmac('sha256', projectKey).update(raw).digest('hex');
  print('hmac_sha256_raw_throughput', rawNumbers.length / seconds(rawStarted), 'hmacs/s');
}

/**
 * Extract-shaped rows: a pseudonym, generalised quasi-identifiers, a clinical code and free text. One cell in
 * a thousand carries a planted identifier, so the scanner does real work on both paths.
 */
function makeRows(rng: Rng, rowCount: number): { rows: ScannedRow[]; planted: number } {
  const pseudonymiser = new Pseudonymiser(deriveProjectKey(Buffer.alloc(32, 2), 'bench-scan', 1));
  const codes = ['E11.9', 'I21.0', 'J45.909', '22298006', 'K40.1', 'C50.9'];
  const districts = ['SW1A', 'M1', 'B33', 'CR2', 'DN55', 'TR21', 'EC1A'];
  const leaks = ['943 476 5919', 'SW1A 1AA', 'jane.doe@example.org', '07700 900123'];
  const notes = ['seen in clinic', 'follow up 6 weeks', 'ref 2024-01-15', 'no change', 'dose 20 mg'];
  const rows: ScannedRow[] = [];
  let planted = 0;
  for (let index = 0; index < rowCount; index++) {
    const dateOfBirth = `${randomInt(rng, 1925, 2020)}-${String(randomInt(rng, 1, 13)).padStart(2, '0')}-15`;
    let note = pickOne(rng, notes);
    if (randomInt(rng, 0, 1000) === 0) {
      note = `${note} ${pickOne(rng, leaks)}`;
      planted++;
    }
    rows.push({
      pseudonym: pseudonymiser.pseudonymiseNhsNumber(makeTestNhsNumber(rng)),
      birth_year_month: generalise(dateOfBirth, 'year_month'),
      district: pickOne(rng, districts),
      diagnosis: pickOne(rng, codes),
      note,
    });
  }
  return { rows, planted };
}

function benchScanner(rows: readonly ScannedRow[], planted: number): void {
  const scanner = new ResidualIdentifierScanner();
  const started = process.hrtime.bigint();
  for (const row of rows) scanner.scanRow(row);
  const elapsed = seconds(started);
  const report = scanner.report();
  const found = report.findings.reduce((sum, finding) => sum + finding.count, 0);
  if (found !== planted || report.findings.some((finding) => finding.column !== 'note')) {
    throw new Error(
      `planted ${planted} identifiers in "note", scanner reported ${JSON.stringify(report.findings)}`,
    );
  }
  print('scanner_throughput', (rows.length * SCAN_COLUMNS) / elapsed, 'values/s');
}

function benchKAnonymity(rows: readonly ScannedRow[]): void {
  const counter = new KAnonymityCounter(['birth_year_month', 'district']);
  const started = process.hrtime.bigint();
  for (const row of rows) counter.add(row);
  const report = counter.report(5);
  print('k_anonymity_throughput', rows.length / seconds(started), 'rows/s');
  print('k_anonymity_groups', report.groups, 'groups');
}

function main(): void {
  if (!Number.isSafeInteger(COUNT) || COUNT < INVALID_EVERY) {
    throw new Error(`BENCH_PSEUDONYMISE_COUNT must be an integer of at least ${INVALID_EVERY}`);
  }
  const rng = createRng(SEED);
  benchPseudonymise(makeRawNhsNumbers(rng, COUNT));
  const { rows, planted } = makeRows(rng, Math.ceil(COUNT / SCAN_COLUMNS));
  benchScanner(rows, planted);
  benchKAnonymity(rows);
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
}

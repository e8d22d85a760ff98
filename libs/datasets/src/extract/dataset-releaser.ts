import {
  couldHoldIdentifier,
  type PersonGroups,
  type Pseudonymiser,
  ResidualIdentifierScanner,
  tupleKey,
} from '../safe-data';
import type { ColumnPlan, OutputColumn } from './column-plan';
import { unescapeCopyValue } from './copy-text';
import { CopyRowSplitter } from './copy-rows';
import { CsvBytes } from './csv-file-writer';
import type { RowSample } from './pseudonym-sample';
import { NHS_MISSING, NHS_VALID, readNhsNumber, releaseFast, type NhsNumberRead } from './release-bytes';

/** An opt-out list as the extractor sees it: a membership test on normalised NHS numbers. */
export interface OptOutCheck {
  readonly list: string;
  has(normalisedNhsNumber: string): boolean;
  /** The same test on ten ASCII digits at digits[start..], which spares a string per person. */
  hasDigits(digits: Uint8Array, start: number): boolean;
}

export interface DatasetCounts {
  sourceRows: number;
  delivered: number;
  missingIdentifier: number;
  invalidIdentifier: number;
  optedOut: Record<string, number>;
}

export interface DatasetReleaserOptions {
  readonly plan: ColumnPlan;
  readonly optOuts: readonly OptOutCheck[];
  readonly pseudonymiser: Pseudonymiser;
  /** Draws the rows whose written pseudonyms the gate recomputes (their identifiers stay in memory only). */
  readonly sample?: RowSample;
  /** The extract-wide groups of people this dataset's rows are counted into, and the dataset's tag there. */
  readonly people?: { readonly groups: PersonGroups; readonly tag: number };
  /** Counts the people each list removed, across the extract's datasets (the public register shows them). */
  readonly optedOutPeople?: OptedOutPeople;
}

/**
 * The distinct people each opt-out list removed from an extract. A person on two lists that apply counts
 * under both: each list's figure is how many people it removed. Held as numbers, never written anywhere.
 */
export class OptedOutPeople {
  private readonly people = new Map<string, Set<number>>();

  add(list: string, person: number): void {
    let set = this.people.get(list);
    if (!set) this.people.set(list, (set = new Set()));
    set.add(person);
  }

  /** For each list named: how many people it removed (0 when none). */
  counts(lists: Iterable<string>): Record<string, number> {
    return Object.fromEntries([...lists].map((list) => [list, this.people.get(list)?.size ?? 0]));
  }
}

const PSEUDONYM_BYTES = 64;
/** Identifier fields up to this long are remembered, so a person's consecutive rows are read once. */
const MEMO_BYTES = 32;
const NOT_OPTED_OUT = -1;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/**
 * One dataset's rows, from COPY text bytes (source columns: person id, then the released fields) to CSV bytes:
 * rows without a valid identifier or whose person opted out are dropped (counted, never named); the rest get
 * the person's pseudonym and each field in its release form, are scanned for residual identifiers and counted
 * into the extract's groups of people. Works on bytes and decodes only values it cannot release as they are, because
 * a string and an array per value and row made garbage collection the largest cost of an extract.
 */
export class DatasetReleaser {
  readonly counts: DatasetCounts;
  readonly csv = new CsvBytes();
  readonly scanner = new ResidualIdentifierScanner();
  private readonly splitter: CopyRowSplitter;
  private readonly columns: readonly OutputColumn[];
  private readonly names: readonly string[];
  /** For each output column, its place among the quasi-identifiers, or -1. */
  private readonly quasiIndex: readonly number[];
  private readonly quasiValues: (string | null)[];
  private readonly digits = Buffer.alloc(10);
  private readonly pseudonym = Buffer.alloc(PSEUDONYM_BYTES);
  private readonly memo = Buffer.alloc(MEMO_BYTES);
  private memoLength = -1;
  private memoRead: NhsNumberRead = NHS_MISSING;
  private memoOptedOut = NOT_OPTED_OUT;
  /** The remembered person's identifier as a number, their key among the groups of people. */
  private person = 0;

  constructor(private readonly options: DatasetReleaserOptions) {
    const { plan } = options;
    this.columns = plan.outputColumns;
    this.names = plan.outputColumns.map((column) => column.name);
    this.quasiIndex = this.names.map((name) => plan.quasiIdentifiers.indexOf(name));
    this.quasiValues = plan.quasiIdentifiers.map(() => null);
    this.splitter = new CopyRowSplitter(plan.sourceColumns.length);
    this.counts = { sourceRows: 0, delivered: 0, missingIdentifier: 0, invalidIdentifier: 0, optedOut: {} };
    for (const list of options.optOuts) this.counts.optedOut[list.list] = 0;
  }

  /** Releases every complete row in this chunk of COPY output. */
  push(chunk: Buffer): void {
    this.splitter.push(chunk, this.onRow);
  }

  finish(): void {
    this.splitter.finish();
  }

  private readonly onRow = (bytes: Buffer, bounds: Int32Array): void => {
    const counts = this.counts;
    counts.sourceRows += 1;
    this.readPerson(bytes, bounds[0], bounds[1]);
    if (this.memoRead !== NHS_VALID) {
      if (this.memoRead === NHS_MISSING) counts.missingIdentifier += 1;
      else counts.invalidIdentifier += 1;
      return;
    }
    if (this.memoOptedOut !== NOT_OPTED_OUT) {
      counts.optedOut[this.options.optOuts[this.memoOptedOut].list] += 1;
      return;
    }
    const csv = this.csv;
    const sample = this.options.sample;
    if (sample) {
      if (sample.wants()) sample.take(csv.offset + csv.length, this.digits.toString('latin1'));
      sample.passed();
    }
    csv.copy(this.pseudonym, 0, PSEUDONYM_BYTES);
    this.scanner.startRow(this.names);
    for (let i = 0; i < this.columns.length; i += 1) {
      csv.byte(COMMA);
      this.releaseField(i, bytes, bounds[i * 2 + 2], bounds[i * 2 + 3]);
    }
    csv.byte(NEWLINE);
    const people = this.options.people;
    if (people && this.quasiValues.length)
      people.groups.addRow(this.person, tupleKey(people.tag, this.quasiValues));
    counts.delivered += 1;
  };

  /** Classifies the identifier and, for a new valid one, checks opt-outs and computes the pseudonym. */
  private readPerson(bytes: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length === this.memoLength && this.remembers(bytes, start, length)) return;
    this.memoLength = -1;
    this.memoRead = readNhsNumber(bytes, start, end, this.digits);
    this.memoOptedOut = NOT_OPTED_OUT;
    if (this.memoRead === NHS_VALID) {
      const lists = this.options.optOuts;
      for (let i = 0; i < lists.length && this.memoOptedOut === NOT_OPTED_OUT; i += 1)
        if (lists[i].hasDigits(this.digits, 0)) this.memoOptedOut = i;
      if (this.memoOptedOut !== NOT_OPTED_OUT) this.countOptedOut();
      else {
        this.options.pseudonymiser.nhsNumberHexInto(this.digits, 0, this.pseudonym, 0);
        let person = 0;
        for (let i = 0; i < 10; i += 1) person = person * 10 + this.digits[i] - 0x30;
        this.person = person;
      }
    }
    if (length <= MEMO_BYTES) {
      for (let i = 0; i < length; i += 1) this.memo[i] = bytes[start + i];
      this.memoLength = length;
    }
  }

  /** Counts the opted-out person under every applicable list that holds them (only people removed pay this). */
  private countOptedOut(): void {
    const counter = this.options.optOuts.length ? this.options.optedOutPeople : undefined;
    if (!counter) return;
    let person = 0;
    for (let i = 0; i < 10; i += 1) person = person * 10 + this.digits[i] - 0x30;
    for (let i = this.memoOptedOut; i < this.options.optOuts.length; i += 1)
      if (this.options.optOuts[i].hasDigits(this.digits, 0))
        counter.add(this.options.optOuts[i].list, person);
  }

  private remembers(bytes: Buffer, start: number, length: number): boolean {
    const memo = this.memo;
    for (let i = 0; i < length; i += 1) if (memo[i] !== bytes[start + i]) return false;
    return true;
  }

  private releaseField(index: number, bytes: Buffer, start: number, end: number): void {
    const column = this.columns[index];
    const csv = this.csv;
    // The fast path writes at most the field's length; reserving it first keeps `at` in the same buffer.
    csv.reserve(end - start);
    const at = csv.length;
    const quasi = this.quasiIndex[index];
    if (releaseFast(column.fastRelease, bytes, start, end, csv)) {
      // What was written is the released value itself: ASCII, unquoted. Decoded only when it is a
      // quasi-identifier (counted) or might hold an identifier (scanned); skipping the scan of the rest
      // gives the same findings, as scanValue finds nothing there.
      const suspicious = couldHoldIdentifier(csv.bytes, at, csv.length);
      if (quasi < 0 && !suspicious) return;
      const value = csv.bytes.toString('latin1', at, csv.length);
      if (suspicious) this.scanner.scanCell(column.name, value);
      if (quasi >= 0) this.quasiValues[quasi] = value;
      return;
    }
    const raw = unescapeCopyValue(bytes.toString('utf8', start, end));
    const value = column.transform(raw);
    csv.field(value);
    this.scanner.scanCell(column.name, value);
    if (quasi >= 0) this.quasiValues[quasi] = value;
  }
}

import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { NHS_NUMBER_DOMAIN, pseudonymise } from '../safe-data';
import type { StabilityCheck } from './extract-gate';

/** One sampled row: where it starts in its CSV stream (after the header) and the identifier it was made from. */
export interface SampledRow {
  readonly offset: number;
  readonly nhsNumber: string;
}

/**
 * A uniform sample of a file's delivered rows, drawn while they are written (reservoir sampling, Li's
 * "Algorithm L": the next row to take is computed ahead, so most rows cost one comparison). It holds the
 * normalised identifier in memory only, for the gate to recompute the pseudonym the file holds.
 */
export class RowSample {
  readonly rows: SampledRow[] = [];
  private seen = 0;
  private next: number;
  private w: number;

  constructor(
    readonly size = 64,
    private readonly random: () => number = Math.random,
  ) {
    this.w = Math.exp(Math.log(this.uniform()) / size);
    this.next = size + this.skip();
  }

  /** True when the row about to be written (the `seen`th) is to be kept: call take() for it then. */
  wants(): boolean {
    return this.seen < this.size || this.seen === this.next;
  }

  take(offset: number, nhsNumber: string): void {
    if (this.rows.length < this.size) this.rows.push({ offset, nhsNumber });
    else {
      this.rows[Math.floor(this.uniform() * this.size)] = { offset, nhsNumber };
      this.w *= Math.exp(Math.log(this.uniform()) / this.size);
      this.next = this.seen + 1 + this.skip();
    }
  }

  /** Counts a written row (after take(), when it was wanted). */
  passed(): void {
    this.seen += 1;
  }

  private skip(): number {
    return Math.floor(Math.log(this.uniform()) / Math.log(1 - this.w));
  }

  /** In (0, 1): log(0) would make the skip infinite. */
  private uniform(): number {
    return this.random() || Number.MIN_VALUE;
  }
}

export interface WrittenPseudonymCheck {
  readonly sampled: number;
  /** Sampled rows whose written pseudonym differs from createHmac over the same identifier. */
  readonly mismatched: number;
  /** Sampled rows whose written pseudonym equals the one another project's key gives. */
  readonly sharedWithOtherProject: number;
}

const HEX = /^[0-9a-f]{64}$/;

/**
 * Reads back the pseudonym each sampled row holds in the written file (the bytes the fast HMAC produced, at the
 * row's offset) and compares it with node:crypto's HMAC over the identifier: the reference the fast path must
 * equal. A row that is not where it was recorded, or holds anything but 64 hex digits, counts as a mismatch.
 */
export async function checkWrittenPseudonyms(
  path: string,
  headerBytes: number,
  sample: readonly SampledRow[],
  key: Buffer,
  otherKey: Buffer,
): Promise<WrittenPseudonymCheck> {
  let mismatched = 0;
  let sharedWithOtherProject = 0;
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(66);
    for (const row of sample) {
      const at = headerBytes + row.offset;
      const { bytesRead } = await file.read(bytes, 0, 66, at - 1);
      const written = bytes.toString('latin1', 1, 65);
      const framed = bytesRead === 66 && bytes[0] === 0x0a && (bytes[65] === 0x2c || bytes[65] === 0x0a);
      if (!framed || !HEX.test(written) || written !== pseudonymise(key, NHS_NUMBER_DOMAIN, row.nhsNumber))
        mismatched += 1;
      if (written === pseudonymise(otherKey, NHS_NUMBER_DOMAIN, row.nhsNumber)) sharedWithOtherProject += 1;
    }
  } finally {
    await file.close();
  }
  return { sampled: sample.length, mismatched, sharedWithOtherProject };
}

/**
 * The gate's pseudonym check over every written file: the sampled rows' pseudonyms against node:crypto's HMAC
 * with a freshly derived key for this project, and with another project's key (`keyFor` derives a project key).
 */
export async function checkStability(
  keyFor: (projectId: string) => Buffer,
  projectId: string,
  files: readonly { path: string; headerBytes: number; sample: RowSample }[],
): Promise<StabilityCheck> {
  const key = keyFor(projectId);
  const other = keyFor(randomUUID());
  const checks = await Promise.all(
    files.map((f) => checkWrittenPseudonyms(f.path, f.headerBytes, f.sample.rows, key, other)),
  );
  const sum = (field: keyof WrittenPseudonymCheck) => checks.reduce((total, c) => total + c[field], 0);
  return {
    sampled: sum('sampled'),
    mismatched: sum('mismatched'),
    stable: sum('mismatched') === 0,
    differsAcrossProjects: sum('sharedWithOtherProject') === 0,
  };
}

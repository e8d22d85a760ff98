/**
 * Just enough of Kubernetes' resource.Quantity to add and compare the sizes in config, and to write the result
 * in the server's canonical form (so what we apply is what we read back and the reconciler sees no false drift).
 * Values are kept as exact milli-units.
 */

const BINARY_SUFFIXES: readonly [string, bigint][] = [
  ['Ei', 1n << 60n],
  ['Pi', 1n << 50n],
  ['Ti', 1n << 40n],
  ['Gi', 1n << 30n],
  ['Mi', 1n << 20n],
  ['Ki', 1n << 10n],
];

const DECIMAL_SUFFIXES: readonly [string, bigint][] = [
  ['E', 10n ** 18n],
  ['P', 10n ** 15n],
  ['T', 10n ** 12n],
  ['G', 10n ** 9n],
  ['M', 10n ** 6n],
  ['k', 10n ** 3n],
];

const FACTOR_OF_SUFFIX = new Map<string, bigint>([['', 1n], ...BINARY_SUFFIXES, ...DECIMAL_SUFFIXES]);

const QUANTITY = /^(\d+)(?:\.(\d+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

export interface ParsedQuantity {
  milli: bigint;
  binary: boolean;
}

export function parseQuantity(text: string): ParsedQuantity {
  const match = QUANTITY.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a quantity this service accepts (e.g. 500m, 2, 4Gi)`);
  const [, whole, fraction = '', suffix = ''] = match;
  const scale = 10n ** BigInt(fraction.length);
  const mantissa = BigInt(whole + fraction);
  const binary = suffix.endsWith('i');
  const factor = suffix === 'm' ? 1n : 1000n * (FACTOR_OF_SUFFIX.get(suffix) ?? 1n);
  // Kubernetes rounds a quantity finer than a milli-unit up; so do we.
  const milli = (mantissa * factor + scale - 1n) / scale;
  return { milli, binary };
}

/** The server's canonical string: the largest suffix that keeps the number whole, in the same family. */
export function formatQuantity({ milli, binary }: ParsedQuantity): string {
  if (milli % 1000n !== 0n) return `${milli}m`;
  const units = milli / 1000n;
  if (units === 0n) return '0';
  for (const [suffix, factor] of binary ? BINARY_SUFFIXES : DECIMAL_SUFFIXES) {
    if (units % factor === 0n) return `${units / factor}${suffix}`;
  }
  return `${units}`;
}

/** Sum in canonical form; binary suffixes are kept only when every term used them. */
export function addQuantities(...terms: string[]): string {
  const parsed = terms.map(parseQuantity);
  return formatQuantity({
    milli: parsed.reduce((sum, term) => sum + term.milli, 0n),
    binary: parsed.length > 0 && parsed.every((term) => term.binary),
  });
}

export function compareQuantities(left: string, right: string): number {
  const difference = parseQuantity(left).milli - parseQuantity(right).milli;
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** The canonical spelling of one quantity ("2000m" becomes "2", "1024Mi" becomes "1Gi"). */
export function canonicalQuantity(text: string): string {
  return formatQuantity(parseQuantity(text));
}

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

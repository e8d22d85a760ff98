export type Rounding = { kind: 'base'; base: number } | { kind: 'midpoint6' };

/**
 * Base-N rounds to the nearest multiple of N (halves up). Midpoint-6 maps 0 to 0 and any other value to the
 * middle of its block of six (1-6 -> 3, 7-12 -> 9, ...), as OpenSAFELY publishes counts: unbiased, and a
 * non-zero count is never shown as zero.
 */
export function roundValue(value: number, rounding: Rounding): number {
  if (rounding.kind === 'base') return Math.floor(value / rounding.base + 0.5) * rounding.base;
  if (value === 0) return 0;
  return Math.ceil(value / 6) * 6 - 3;
}

/** Parses the CLI's `--round BASE|midpoint6`. */
export function parseRounding(text: string): Rounding | undefined {
  if (text.toLowerCase() === 'midpoint6') return { kind: 'midpoint6' };
  if (!/^\d+$/.test(text)) return undefined;
  const base = Number(text);
  return base >= 1 ? { kind: 'base', base } : undefined;
}

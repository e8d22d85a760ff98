import { closeSync, openSync, writeSync } from 'node:fs';

/** Mulberry32: a small, fast, seedable generator, so every run writes the same file. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Riemann zeta by direct sum plus the Euler-Maclaurin tail, accurate far beyond what sampling needs. */
function zeta(s: number, terms = 10000): number {
  let sum = 0;
  for (let k = 1; k < terms; k++) sum += k ** -s;
  const n = terms;
  return sum + n ** (1 - s) / (s - 1) + n ** -s / 2 + (s * n ** (-s - 1)) / 12;
}

/** Draws min(Zipf(a), cap) by inverting the exact CDF of the first cap - 1 levels; the tail lands on cap. */
export function cappedZipf(a: number, cap: number, random: () => number): () => number {
  const z = zeta(a);
  const cdf: number[] = [];
  let acc = 0;
  for (let k = 1; k < cap; k++) {
    acc += k ** -a / z;
    cdf.push(acc);
  }
  return () => {
    const u = random();
    let lo = 0;
    let hi = cdf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** exp(N(mu, sigma)) by Box-Muller. */
export function logNormal(mu: number, sigma: number, random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  };
}

/** Writes the benchmark data set: `a,b,value`, two capped-Zipf(1.6) categorical columns and a log-normal value. */
export function writeBenchData(file: string, rows: number, seed: number): void {
  const random = mulberry32(seed);
  const zipf = cappedZipf(1.6, 50, random);
  const value = logNormal(3, 1, random);
  const fd = openSync(file, 'w');
  try {
    let buffer = 'a,b,value\n';
    for (let i = 0; i < rows; i++) {
      buffer += `${zipf()},${zipf()},${value().toFixed(3)}\n`;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
}

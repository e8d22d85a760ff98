import { createHash } from 'node:crypto';

/** The uuid Postgres makes of `md5('<label>-<n>')::uuid`: the seed's ids, named by number. */
export function uuidOf(label: string, n: number): string {
  const hex = createHash('md5').update(`${label}-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

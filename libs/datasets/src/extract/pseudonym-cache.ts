/**
 * A bounded cache of NHS number -> pseudonym, so a person's pseudonym is computed once however often they
 * recur within and across datasets, with memory capped (a few tens of MB at the default 400,000 people) however
 * many rows there are. Held in memory for the run only: never stored, never logged.
 *
 * Two generations instead of an LRU list: when the young map is full it becomes the old one and the
 * previous old one is dropped whole. Every operation is O(1); evicting single entries from one Map
 * degrades badly in V8 (iteration from the front walks over deleted slots).
 */
export class PseudonymCache {
  // Keyed by the number itself: numeric keys hash fast, and a string key sliced from a COPY chunk would keep
  // the whole chunk alive (V8 sliced strings), which made the cache the largest memory and GC cost.
  private young = new Map<number, string>();
  private old = new Map<number, string>();
  private readonly generationSize: number;

  constructor(
    private readonly compute: (normalised: string) => string,
    capacity = 400_000,
  ) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  /** `normalised` is a ten-digit NHS number, so its numeric value identifies it uniquely. */
  get(normalised: string): string {
    const key = Number(normalised);
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    const pseudonym = aged ?? this.compute(normalised);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, pseudonym);
    return pseudonym;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

/**
 * A bounded cache of NHS number -> pseudonym, so a person's pseudonym is computed once while they recur
 * (sources are read in person order, and the same people recur across datasets), with memory capped
 * however many people there are. Held in memory for the run only: never stored, never logged.
 *
 * Two generations instead of an LRU list: when the young map is full it becomes the old one and the
 * previous old one is dropped whole. Every operation is O(1); evicting single entries from one Map
 * degrades badly in V8 (iteration from the front walks over deleted slots).
 */
export class PseudonymCache {
  private young = new Map<string, string>();
  private old = new Map<string, string>();
  private readonly generationSize: number;

  constructor(
    private readonly compute: (normalised: string) => string,
    capacity = 400_000,
  ) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  get(normalised: string): string {
    const hit = this.young.get(normalised);
    if (hit !== undefined) return hit;
    const aged = this.old.get(normalised);
    const pseudonym = aged ?? this.compute(normalised);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(normalised, pseudonym);
    return pseudonym;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

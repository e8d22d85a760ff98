/**
 * A bounded cache of NHS number -> pseudonym, so a person's pseudonym is computed once while they recur
 * (sources are read in person order, and the same people recur across datasets), with memory capped
 * however many people there are. Held in memory for the run only: never stored, never logged.
 */
export class PseudonymCache {
  private readonly entries = new Map<string, string>();

  constructor(
    private readonly compute: (normalised: string) => string,
    private readonly capacity = 200_000,
  ) {}

  get(normalised: string): string {
    const hit = this.entries.get(normalised);
    if (hit !== undefined) return hit;
    const pseudonym = this.compute(normalised);
    if (this.entries.size >= this.capacity) {
      // Evict the oldest entry (Map keeps insertion order): FIFO is enough for person-ordered reads.
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(normalised, pseudonym);
    return pseudonym;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * k-anonymity over people, across every file of an extract. A row count would let one person with many hospital
 * episodes fill their own group, and counting each file apart would miss that linking the files on the
 * pseudonym combines their quasi-identifiers.
 *
 * A person's key is the set of distinct quasi-identifier tuples of all their delivered rows, each tuple tagged
 * with its dataset: {GP:(1950, TR21, F), HES:(70-74), HES:(75-79)}. Two people share a group only when every
 * file shows the same quasi-identifier rows for both, so a person whose rows can be told apart from another's
 * (another postcode, another age at an episode, a file the other is absent from) stays apart. How many rows
 * carry one tuple is not part of the key (row counts are not quasi-identifiers unless a custodian declares a
 * field for them). Rows of files without quasi-identifiers are not counted: they add nothing to a key, and a
 * person with no quasi-identifier row in any file has nothing to be matched on (a fully suppressed record), so
 * is held to no k.
 *
 * Memory grows with people and distinct keys, never with rows: people sit in an open-addressed table of
 * numbers (the ten-digit identifier as a number, held in memory only) to the id of their current set, sets
 * are interned, and adding a tuple to a set is a cached transition.
 */

export interface PeopleKAnonymityReport {
  readonly k: number;
  /** Quasi-identifier columns, qualified by dataset (`GP_REGISTRATIONS.sex`). */
  readonly columns: readonly string[];
  /** People with at least one quasi-identifier row. */
  readonly people: number;
  readonly groups: number;
  /** Size of the smallest group of people, or null when there are none. */
  readonly smallestGroupSize: number | null;
  readonly groupsBelowK: number;
  readonly peopleInGroupsBelowK: number;
  readonly satisfied: boolean;
}

const EMPTY_KEY = -1;
const TRANSITION_SPACE = 2 ** 22;

export class PersonGroups {
  private readonly columns: string[] = [];
  private readonly elements = new Map<string, number>();
  private readonly sets: number[][] = [[]];
  private readonly setIds = new Map<string, number>([['', 0]]);
  private readonly transitions = new Map<number, number>();
  private keys = new Float64Array(1 << 16).fill(EMPTY_KEY);
  private values = new Int32Array(1 << 16);
  private people = 0;
  private current = EMPTY_KEY;
  private currentSet = 0;
  private currentSlot = 0;

  /** Declares a dataset's quasi-identifier columns; returns the tag its tuples carry. */
  addDataset(dataset: string, quasiIdentifiers: readonly string[]): number {
    this.columns.push(...quasiIdentifiers.map((column) => `${dataset}.${column}`));
    return this.columns.length;
  }

  /** True when some dataset declared quasi-identifiers, i.e. there is something to count. */
  get counting(): boolean {
    return this.columns.length > 0;
  }

  /** One delivered row of a person: `tuple` is the dataset's tag and the row's values as tupleKey() makes them. */
  addRow(person: number, tuple: string): void {
    if (person !== this.current) this.switchTo(person);
    let element = this.elements.get(tuple);
    if (element === undefined) {
      element = this.elements.size;
      this.elements.set(tuple, element);
    }
    const cacheable = element < TRANSITION_SPACE;
    const transition = this.currentSet * TRANSITION_SPACE + element;
    const known = cacheable ? this.transitions.get(transition) : undefined;
    if (known !== undefined) {
      this.currentSet = known;
      return;
    }
    const next = this.withElement(this.currentSet, element);
    if (cacheable) this.transitions.set(transition, next);
    this.currentSet = next;
  }

  report(k: number): PeopleKAnonymityReport {
    if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    this.switchTo(EMPTY_KEY);
    const sizes = new Int32Array(this.sets.length);
    for (let i = 0; i < this.keys.length; i += 1) if (this.keys[i] !== EMPTY_KEY) sizes[this.values[i]] += 1;
    let groups = 0;
    let smallest: number | null = null;
    let groupsBelowK = 0;
    let peopleInGroupsBelowK = 0;
    // Set 0 (empty) has no one: every person counted has at least one row's tuple.
    for (let set = 1; set < sizes.length; set += 1) {
      const size = sizes[set];
      if (size === 0) continue;
      groups += 1;
      if (smallest === null || size < smallest) smallest = size;
      if (size < k) {
        groupsBelowK += 1;
        peopleInGroupsBelowK += size;
      }
    }
    return {
      k,
      columns: [...this.columns],
      people: this.people,
      groups,
      smallestGroupSize: smallest,
      groupsBelowK,
      peopleInGroupsBelowK,
      satisfied: groupsBelowK === 0,
    };
  }

  private withElement(set: number, element: number): number {
    const members = this.sets[set];
    if (members.includes(element)) return set;
    const next = [...members, element].sort((a, b) => a - b);
    const name = next.join(',');
    let id = this.setIds.get(name);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(next);
      this.setIds.set(name, id);
    }
    return id;
  }

  /** Stores the current person's set and loads the next person's (empty when new). */
  private switchTo(person: number): void {
    if (this.current !== EMPTY_KEY) this.values[this.currentSlot] = this.currentSet;
    this.current = person;
    if (person === EMPTY_KEY) return;
    let slot = this.slot(person);
    if (this.keys[slot] === person) {
      this.currentSet = this.values[slot];
    } else {
      this.keys[slot] = person;
      this.values[slot] = 0;
      this.currentSet = 0;
      this.people += 1;
      if (this.people * 2 > this.keys.length) {
        this.grow();
        slot = this.slot(person);
      }
    }
    this.currentSlot = slot;
  }

  private slot(person: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    // Identifiers run to ten digits: fold the high bits onto the low 32, then multiply to spread them.
    let i = (Math.imul((person | 0) ^ ((person / 0x100000000) | 0), 0x9e3779b1) >>> 0) & mask;
    while (keys[i] !== EMPTY_KEY && keys[i] !== person) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY_KEY);
    this.values = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i += 1) {
      if (keys[i] === EMPTY_KEY) continue;
      const slot = this.slot(keys[i]);
      this.keys[slot] = keys[i];
      this.values[slot] = values[i];
    }
  }
}

/**
 * The key of one row's quasi-identifier tuple in a dataset: the dataset tag, then each value length-prefixed
 * (null written apart), so no two different tuples give one string whatever the values hold.
 */
export function tupleKey(tag: number, values: readonly (string | null)[]): string {
  let key = String(tag);
  for (const value of values) key += value === null ? '|' : `:${value.length}:${value}`;
  return key;
}

import { type TableNetwork } from './table-network';

/**
 * The cheapest way to let a suppressed cell move by `amount`: a path that closes a cycle through it, where
 * each other cell on the cycle either rises (always possible) or falls (only if it holds at least `amount`,
 * or may be negative). Cells already suppressed cost nothing, so existing suppressions are reused first.
 * Returns the arcs on the path, or undefined when no such cycle exists.
 */
export function cheapestCycle(
  network: TableNetwork,
  suppressed: ReadonlySet<number>,
  target: number,
  direction: 'up' | 'down',
  amount: number,
  adjacency: number[][] = adjacencyOf(network),
): number[] | undefined {
  const arc = network.arcs[target];
  // Raising the target sends the amount on round the cycle from its head back to its tail; lowering it, the reverse.
  const [start, goal] = direction === 'up' ? [arc.to, arc.from] : [arc.from, arc.to];
  const dist = new Float64Array(network.nodes).fill(Infinity);
  const via = new Int32Array(network.nodes).fill(-1);
  const heap = new MinHeap();
  dist[start] = 0;
  heap.push(0, start);
  while (heap.size > 0) {
    const [d, u] = heap.pop();
    if (d > dist[u]) continue;
    if (u === goal) break;
    for (const index of adjacency[u]) {
      if (index === target) continue;
      const a = network.arcs[index];
      const forward = a.from === u;
      if (!forward && !a.free && a.value < amount) continue;
      const v = forward ? a.to : a.from;
      const nd = d + (suppressed.has(index) ? 0 : a.cost);
      if (nd < dist[v]) {
        dist[v] = nd;
        via[v] = index;
        heap.push(nd, v);
      }
    }
  }
  if (dist[goal] === Infinity) return undefined;
  const path: number[] = [];
  for (let v = goal; v !== start;) {
    const index = via[v];
    path.push(index);
    const a = network.arcs[index];
    v = a.to === v ? a.from : a.to;
  }
  return path;
}

/** For each node, the arcs touching it (either end), for walks that may cross an arc against its direction. */
export function adjacencyOf(network: TableNetwork): number[][] {
  const adjacency: number[][] = Array.from({ length: network.nodes }, () => []);
  network.arcs.forEach((a, index) => {
    adjacency[a.from].push(index);
    adjacency[a.to].push(index);
  });
  return adjacency;
}

class MinHeap {
  private readonly keys: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, item: number): void {
    this.keys.push(key);
    this.items.push(item);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.keys[0], this.items[0]];
    const lastKey = this.keys.pop() as number;
    const lastItem = this.items.pop() as number;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.items[0] = lastItem;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.keys[l] < this.keys[m]) m = l;
        if (r < this.keys.length && this.keys[r] < this.keys[m]) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.items[i], this.items[j]] = [this.items[j], this.items[i]];
  }
}

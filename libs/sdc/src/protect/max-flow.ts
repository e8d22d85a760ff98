/**
 * Dinic's maximum flow on a small directed graph with real capacities (Infinity allowed). Used by the
 * attacker audit: how far a suppressed cell can move is a maximum flow in the residual table network.
 */
export class FlowGraph {
  private readonly head: number[];
  private readonly to: number[] = [];
  private cap: number[] = [];
  private base: number[] = [];
  private readonly next: number[] = [];
  private level: Int32Array;
  private iter: Int32Array;

  constructor(private readonly nodes: number) {
    this.head = new Array<number>(nodes).fill(-1);
    this.level = new Int32Array(nodes);
    this.iter = new Int32Array(nodes);
  }

  /**
   * Adds from->to with `capacity`, and to->from with `reverse` (the residual of an existing flow); returns the
   * edge's id for `setCapacity`.
   */
  addEdge(from: number, to: number, capacity: number, reverse: number): number {
    this.link(from, to, capacity);
    this.link(to, from, reverse);
    return this.to.length - 2;
  }

  /** Changes an edge's capacities until the next `reset`. */
  setCapacity(edge: number, capacity: number, reverse: number): void {
    this.cap[edge] = capacity;
    this.cap[edge ^ 1] = reverse;
  }

  /** Remembers the capacities as they are now, for `reset`. */
  freeze(): void {
    this.base = this.cap.slice();
  }

  /** Restores the capacities remembered by `freeze`, so one graph serves many queries. */
  reset(): void {
    this.cap = this.base.slice();
  }

  /** The maximum flow from source to sink, stopping once `limit` is reached; Infinity when unbounded. */
  maxFlow(source: number, sink: number, limit = Infinity): number {
    if (source === sink) return Infinity;
    if (this.infinitePath(source, sink)) return Infinity;
    let flow = 0;
    while (flow < limit && this.bfs(source, sink)) {
      this.iter = Int32Array.from(this.head);
      for (;;) {
        const pushed = this.dfs(source, sink, limit - flow);
        if (pushed <= 0) break;
        flow += pushed;
        if (flow >= limit) break;
      }
    }
    return flow;
  }

  private link(from: number, to: number, capacity: number): void {
    this.to.push(to);
    this.cap.push(capacity);
    this.next.push(this.head[from]);
    this.head[from] = this.to.length - 1;
  }

  // A path of unlimited edges means the flow, and so the cell, is unbounded; checking it first keeps
  // Infinity - Infinity out of the arithmetic below.
  private infinitePath(source: number, sink: number): boolean {
    const seen = new Uint8Array(this.nodes);
    const stack = [source];
    seen[source] = 1;
    while (stack.length > 0) {
      const u = stack.pop() as number;
      for (let e = this.head[u]; e >= 0; e = this.next[e]) {
        const v = this.to[e];
        if (this.cap[e] !== Infinity || seen[v]) continue;
        if (v === sink) return true;
        seen[v] = 1;
        stack.push(v);
      }
    }
    return false;
  }

  private bfs(source: number, sink: number): boolean {
    this.level.fill(-1);
    this.level[source] = 0;
    const queue = [source];
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q];
      for (let e = this.head[u]; e >= 0; e = this.next[e]) {
        const v = this.to[e];
        if (this.cap[e] > 0 && this.level[v] < 0) {
          this.level[v] = this.level[u] + 1;
          queue.push(v);
        }
      }
    }
    return this.level[sink] >= 0;
  }

  private dfs(u: number, sink: number, amount: number): number {
    if (u === sink) return amount;
    for (; this.iter[u] >= 0; this.iter[u] = this.next[this.iter[u]]) {
      const e = this.iter[u];
      const v = this.to[e];
      if (this.cap[e] <= 0 || this.level[v] !== this.level[u] + 1) continue;
      const pushed = this.dfs(v, sink, Math.min(amount, this.cap[e]));
      if (pushed > 0) {
        this.cap[e] -= pushed;
        this.cap[e ^ 1] += pushed;
        return pushed;
      }
    }
    return 0;
  }
}

import { FlowGraph } from './max-flow';
import { type TableNetwork } from './table-network';

/**
 * The residual network of a suppression pattern. The true table is a feasible point, so moving a suppressed
 * cell by d means sending d round a cycle through it along the other suppressed cells: each may rise without
 * limit, and fall by as much as it holds (without limit if it may be negative). Built once per pattern and
 * reused for every cell's queries.
 */
export class SuppressionAudit {
  private readonly graph: FlowGraph;
  private readonly edges = new Map<number, number>();

  constructor(
    private readonly network: TableNetwork,
    suppressed: Iterable<number>,
  ) {
    this.graph = new FlowGraph(network.nodes);
    for (const index of suppressed) {
      const a = network.arcs[index];
      this.edges.set(
        index,
        this.graph.addEdge(a.from, a.to, Infinity, a.free ? Infinity : Math.max(0, a.value)),
      );
    }
    this.graph.freeze();
  }

  /** How far suppressed cell `target` can move one way (Infinity when unbounded), searching no further than `limit`. */
  movement(target: number, direction: 'up' | 'down', limit = Infinity): number {
    const arc = this.network.arcs[target];
    const edge = this.edges.get(target);
    if (edge === undefined) return 0;
    this.graph.reset();
    this.graph.setCapacity(edge, 0, 0);
    if (direction === 'up') return this.graph.maxFlow(arc.to, arc.from, limit);
    const floor = arc.free ? Infinity : Math.max(0, arc.value);
    return Math.min(this.graph.maxFlow(arc.from, arc.to, Math.min(limit, floor)), floor);
  }

  /** The exact feasible interval of a suppressed cell: [lower, upper], null for an unbounded side. */
  interval(target: number): { lower: number | null; upper: number | null } {
    const value = this.network.arcs[target].value;
    const up = this.movement(target, 'up');
    const down = this.movement(target, 'down');
    return {
      lower: down === Infinity ? null : value - down,
      upper: up === Infinity ? null : value + up,
    };
  }
}

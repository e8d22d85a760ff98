import { FlowGraph } from './max-flow';
import { TableNetwork } from './table-network';

/**
 * How far suppressed arc `target` can move in one direction while every published cell keeps its value
 * (Infinity when unbounded), searching no further than `limit`. The true table is a feasible point, so moving
 * the target by d means sending d round a cycle through it in the residual network of the suppressed arcs:
 * each may rise without limit, and fall by as much as it holds (without limit if it may be negative).
 */
export function movement(
  network: TableNetwork,
  suppressed: ReadonlySet<number>,
  target: number,
  direction: 'up' | 'down',
  limit = Infinity,
): number {
  const arc = network.arcs[target];
  const graph = new FlowGraph(network.nodes);
  for (const index of suppressed) {
    if (index === target) continue;
    const a = network.arcs[index];
    graph.addEdge(a.from, a.to, Infinity, a.free ? Infinity : Math.max(0, a.value));
  }
  if (direction === 'up') return graph.maxFlow(arc.to, arc.from, limit);
  const floor = arc.free ? Infinity : Math.max(0, arc.value);
  return Math.min(graph.maxFlow(arc.from, arc.to, Math.min(limit, floor)), floor);
}

/** The exact feasible interval of a suppressed cell: [lower, upper], null for an unbounded side. */
export function feasibleInterval(
  network: TableNetwork,
  suppressed: ReadonlySet<number>,
  target: number,
): { lower: number | null; upper: number | null } {
  const value = network.arcs[target].value;
  const up = movement(network, suppressed, target, 'up');
  const down = movement(network, suppressed, target, 'down');
  return {
    lower: down === Infinity ? null : value - down,
    upper: up === Infinity ? null : value + up,
  };
}

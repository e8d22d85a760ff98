import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `node dist/bench/support/cpu-profile-summary.js <file.cpuprofile> [--from s] [--to s] [--top n] [--by-function]`:
 * where a process's busy time went, from a profile written by `--cpu-prof` (for the API under load:
 * `BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-interval=250 --cpu-prof-dir=/tmp/prof' npm run bench -- api ...`).
 * Each sample is charged to the first frame, from the leaf up, that is not Node's own, native or rxjs's: a
 * `setHeader` called by a middleware is that middleware's, a socket write is the code that answered. Charged
 * by package (or by our own file), or with --by-function by function. --from/--to (seconds since the profile
 * began) keep the load and leave start-up out; the busy time per second is printed to find them.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: '1e9' },
    top: { type: 'string', default: '40' },
    'by-function': { type: 'boolean', default: false },
  },
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const generic = ({ callFrame: { url } }: ProfileNode) =>
  !url || url.startsWith('node:') || /node_modules\/(rxjs|tslib)\//.test(url);
function packageOf(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = path.slice(modules + 13).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const dist = path.indexOf('/dist/');
  return dist >= 0 ? `ours ${path.slice(dist + 6)}` : path;
}
const labelOf = (node: ProfileNode) =>
  values['by-function']
    ? `${node.callFrame.functionName || '(anonymous)'} ${packageOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
    : packageOf(node.callFrame.url);

const [from, to] = [Number(values.from) * 1e6, Number(values.to) * 1e6];
const charged = new Map<string, number>();
const perSecond = new Map<number, number>();
let busy = 0;
let at = profile.startTime;
for (const [i, sample] of profile.samples.entries()) {
  at += profile.timeDeltas[i];
  const leaf = nodes.get(sample)!;
  const name = leaf.callFrame.functionName;
  if (name === '(idle)') continue;
  const took = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i];
  const second = Math.floor((at - profile.startTime) / 1e6);
  perSecond.set(second, (perSecond.get(second) ?? 0) + took);
  if (at - profile.startTime < from || at - profile.startTime > to) continue;
  let owner: number | undefined = leaf.id;
  while (owner !== undefined && generic(nodes.get(owner)!)) owner = parents.get(owner);
  const label =
    name === '(garbage collector)' || name === '(program)'
      ? name
      : owner === undefined
        ? `Node or native: ${leaf.callFrame.url ? packageOf(leaf.callFrame.url) : name}`
        : labelOf(nodes.get(owner)!);
  charged.set(label, (charged.get(label) ?? 0) + took);
  busy += took;
}
console.log(
  `busy ms per second: ${[...perSecond].map(([s, us]) => `${s}:${(us / 1000).toFixed(0)}`).join(' ')}`,
);
console.log(`busy in the window: ${(busy / 1000).toFixed(0)} ms`);
for (const [label, us] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(
    `${((100 * us) / busy).toFixed(1).padStart(5)} % ${(us / 1000).toFixed(0).padStart(6)} ms  ${label}`,
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';

/** A stretch of wall-clock time in which a watcher's 1 ms timer did not run (epoch milliseconds). */
interface Gap {
  readonly from: number;
  readonly to: number;
}

export interface MachinePauses {
  /** Stretches of at least MIN_PAUSE_MS in which both watchers stood still, longest first (ms). */
  readonly pausesMs: number[];
}

/** Shorter gaps than this are a timer's ordinary lateness under load. */
const MIN_PAUSE_MS = 8;

/**
 * A watcher: a 1 ms timer that prints every gap of over MIN_PAUSE_MS between its runs as `from to` (epoch ms).
 * It does nothing else, so on an otherwise idle core it runs on time unless the whole machine stops.
 */
const WATCHER = `
const { performance } = require('node:perf_hooks');
const at = () => performance.timeOrigin + performance.now();
let last = at();
setInterval(() => {
  const now = at();
  if (now - last > ${MIN_PAUSE_MS}) process.stdout.write(last.toFixed(1) + ' ' + now.toFixed(1) + '\\n');
  last = now;
}, 1);
`;

/**
 * Watches for the whole machine standing still while a load runs: two watcher processes, each at high priority
 * where the bench may raise it (root), and a pause is a stretch in which both stood still at once. On a virtual
 * machine, the hypervisor stopping the guest stops every process together; measured idle here (one minute, two
 * watchers), the two saw the same three gaps of 12 to 35 ms to the millisecond. A process merely waiting for a CPU
 * would stall alone. Every request in flight or arriving during such a pause is answered that much later, and the
 * backlog takes a while to drain: a run with one pause of 35 ms has a p99 to match.
 */
export class MachinePauseWatch {
  private readonly gaps: Gap[][] = [[], []];
  private readonly watchers: ChildProcess[];

  constructor() {
    this.watchers = this.gaps.map((gaps) => {
      const child = spawn(process.execPath, ['-e', WATCHER], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        setPriority(child.pid!, -10);
      } catch {
        // Not allowed (not root): at the default priority the watchers still see a stop of the whole machine.
      }
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [from, to] = line.split(' ').map(Number);
          gaps.push({ from, to });
        }
      });
      return child;
    });
  }

  /** Forgets what was seen so far: the next report covers from now on. */
  restart(): void {
    for (const gaps of this.gaps) gaps.length = 0;
  }

  /** The pauses seen since the start (or the last restart), longest first. */
  report(): MachinePauses {
    const [first, second] = this.gaps;
    const pausesMs: number[] = [];
    for (const a of first) {
      for (const b of second) {
        const overlap = Math.min(a.to, b.to) - Math.max(a.from, b.from);
        if (overlap >= MIN_PAUSE_MS) pausesMs.push(Math.round(overlap));
      }
    }
    return { pausesMs: pausesMs.sort((x, y) => y - x) };
  }

  stop(): void {
    for (const watcher of this.watchers) watcher.kill();
  }
}

/** `<prefix>_machine_pauses: N (longest first: a, b ms; ...)`: what a run's p99 must be read beside. */
export function printMachinePauses(prefix: string, pauses: MachinePauses): void {
  const { pausesMs } = pauses;
  console.log(
    `${prefix}_machine_pauses: ${pausesMs.length}${pausesMs.length ? ` (${pausesMs.join(', ')} ms)` : ''} (every process stopped at once, as two idle watchers saw: the machine, not the stack)`,
  );
}

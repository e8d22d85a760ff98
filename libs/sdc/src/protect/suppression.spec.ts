import { checkGrid } from '../checks/cell-rules';
import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { countStats } from '../table/cell-stats';
import { type Grid, toGrid } from '../table/table-model';
import { bruteForceIntervals, withMargins } from './brute-force.spec-helper';
import { SuppressionAudit } from './feasible-interval';
import { auditPattern, protectGrid } from './protect-grid';
import { roundValue } from './rounding';
import { tableNetwork } from './table-network';

function countGrid(inner: number[][], margins = true): Grid {
  const cells = inner.map((row) => row.map((v) => countStats(v)));
  const table = {
    spec: { rowVars: ['r'], colVars: ['c'], agg: 'count' as const },
    rows: inner.map((_, i) => `r${i}`),
    cols: inner[0].map((_, j) => `c${j}`),
    cells,
    droppedRecords: 0,
  };
  return toGrid(table, margins);
}

function networkOf(full: number[][]): ReturnType<typeof tableNetwork> {
  return tableNetwork(full.map((row) => row.map((value) => ({ value, free: false, records: value }))));
}

/** A seeded generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the attacker audit computes exact feasible intervals', () => {
  it('matches exhaustive search on 40 random small tables and suppression patterns', () => {
    const next = random(7);
    for (let trial = 0; trial < 40; trial++) {
      const inner = [0, 1].map(() => [0, 1, 2].map(() => Math.floor(next() * 4)));
      const full = withMargins(inner);
      const cells: [number, number][] = [];
      for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) cells.push([r, c]);
      const pattern = cells.filter(() => next() < 0.3).slice(0, 4);
      if (pattern.length === 0) continue;
      const network = networkOf(full);
      const audit = new SuppressionAudit(
        network,
        pattern.map(([r, c]) => network.index(r, c)),
      );
      const expected = bruteForceIntervals(full, pattern);
      pattern.forEach(([r, c], i) => {
        const interval = audit.interval(network.index(r, c));
        const upper = interval.upper ?? Infinity;
        // The search tries values up to twice the grand total, so a larger reach means "unbounded".
        expect([interval.lower, Math.min(upper, 2 * full[2][3])]).toEqual([
          expected[i].lower,
          expected[i].upper,
        ]);
      });
    }
  });

  it('undoes a naive primary-only suppression: a lone suppressed cell is recomputed from its row total', () => {
    // One small cell (3) in a 3 x 3 table; suppressing only it leaves 3 = row total - the published cells.
    const grid = countGrid([
      [3, 20, 30],
      [15, 25, 35],
      [12, 18, 40],
    ]);
    const protection = auditPattern(grid, checkGrid(grid, DEFAULT_RULE_SET), DEFAULT_RULE_SET, [[0, 0]]);
    expect(protection.audit).toEqual([
      expect.objectContaining({ row: 0, col: 0, lower: 3, upper: 3, protected: false }),
    ]);
  });

  it('reports an interval on nursery parents x recommendation that a hand calculation confirms', () => {
    // Published pattern from the protected table; by hand: row great_pret gives (0,1) + (0,2) + (0,4) = 858,
    // column priority gives (0,1) + (1,1) = 2342, row pretentious caps (1,1) at 1616, so (0,1) is in [726, 858].
    const grid = countGrid([
      [1440, 858, 0, 2022, 0],
      [1440, 1484, 0, 1264, 132],
      [1440, 1924, 2, 758, 196],
    ]);
    const pattern: [number, number][] = [
      [0, 1],
      [0, 2],
      [0, 4],
      [1, 1],
      [1, 2],
      [1, 4],
      [2, 2],
      [2, 4],
      [3, 2],
      [3, 4],
    ];
    const audit = auditPattern(grid, checkGrid(grid, DEFAULT_RULE_SET), DEFAULT_RULE_SET, pattern).audit;
    expect(audit.find((a) => a.row === 0 && a.col === 1)).toMatchObject({ lower: 726, upper: 858 });
    expect(audit.find((a) => a.row === 0 && a.col === 2)).toMatchObject({ lower: 0, upper: 132 });
  });
});

describe('secondary suppression', () => {
  const tables: [string, number[][]][] = [
    [
      'one small cell',
      [
        [3, 20, 30],
        [15, 25, 35],
        [12, 18, 40],
      ],
    ],
    [
      'two small cells in one row',
      [
        [2, 4, 30, 14],
        [15, 25, 35, 11],
        [12, 18, 40, 22],
      ],
    ],
    [
      'a small cell whose column is all small',
      [
        [1, 40, 30],
        [2, 25, 35],
        [1, 18, 40],
      ],
    ],
    [
      'zeros',
      [
        [0, 40, 30],
        [20, 0, 35],
        [31, 18, 40],
      ],
    ],
  ];

  it.each(tables)(
    'protects %s: every primary reaches 5 either side (or 0) by exhaustive search',
    (_, inner) => {
      const grid = countGrid(inner);
      const flags = checkGrid(grid, DEFAULT_RULE_SET);
      const protection = protectGrid(grid, flags, DEFAULT_RULE_SET);
      expect(protection.audit.every((a) => a.protected)).toBe(true);
      const full = withMargins(inner);
      const pattern = protection.suppressed.map((s): [number, number] => [s.row, s.col]);
      if (pattern.length <= 6) {
        const exhaustive = bruteForceIntervals(full, pattern);
        protection.suppressed.forEach((s, i) => {
          const value = full[s.row][s.col];
          if (s.kind === 'primary') {
            expect(exhaustive[i].upper).toBeGreaterThanOrEqual(value + 5);
            expect(exhaustive[i].lower).toBeLessThanOrEqual(Math.max(0, value - 5));
          } else {
            expect(exhaustive[i].upper).toBeGreaterThan(exhaustive[i].lower);
          }
        });
      }
      // No row or column of the published grid is left with exactly one suppressed cell.
      for (let r = 0; r < full.length; r++) expect(pattern.filter(([pr]) => pr === r).length).not.toBe(1);
      for (let c = 0; c < full[0].length; c++)
        expect(pattern.filter(([, pc]) => pc === c).length).not.toBe(1);
    },
  );

  it('chooses the cheapest complement: the smallest cells that close the cycle', () => {
    // Cell (0,0) = 3 fails; the cheapest rectangle through it uses (0,1) = 11, (1,0) = 12 and (1,1) = 13
    // rather than any cell of 90 or more.
    const grid = countGrid([
      [3, 11, 95],
      [12, 13, 99],
      [90, 96, 97],
    ]);
    const protection = protectGrid(grid, checkGrid(grid, DEFAULT_RULE_SET), DEFAULT_RULE_SET);
    expect(protection.suppressed).toEqual([
      { row: 0, col: 0, kind: 'primary' },
      { row: 0, col: 1, kind: 'secondary' },
      { row: 1, col: 0, kind: 'secondary' },
      { row: 1, col: 1, kind: 'secondary' },
    ]);
  });

  it('suppresses only primaries when no margins are published, as nothing ties the cells together', () => {
    const grid = countGrid(
      [
        [3, 20],
        [15, 25],
      ],
      false,
    );
    const protection = protectGrid(grid, checkGrid(grid, DEFAULT_RULE_SET), DEFAULT_RULE_SET);
    expect(protection.suppressed).toEqual([{ row: 0, col: 0, kind: 'primary' }]);
    expect(protection.audit[0]).toMatchObject({ lower: 0, upper: null, protected: true });
  });

  it('suppresses margin cells that break a rule like any other cell', () => {
    // Column c0 holds 2 + 3 = 5 records in total, so its margin fails the threshold too.
    const grid = countGrid([
      [2, 40, 30],
      [3, 25, 35],
    ]);
    const protection = protectGrid(grid, checkGrid(grid, DEFAULT_RULE_SET), DEFAULT_RULE_SET);
    expect(protection.suppressed).toEqual(expect.arrayContaining([{ row: 2, col: 0, kind: 'primary' }]));
    expect(protection.audit.every((a) => a.protected)).toBe(true);
  });
});

describe('rounding', () => {
  it('rounds to the nearest multiple of the base, halves up', () => {
    expect([7, 8, 12.5, 0, 2].map((v) => roundValue(v, { kind: 'base', base: 5 }))).toEqual([
      5, 10, 15, 0, 0,
    ]);
  });

  it('midpoint-6 maps 0 to 0 and each block of six to its middle (OpenSAFELY: ceil(x/6)*6 - 3)', () => {
    expect([0, 1, 6, 7, 12, 13, 100].map((v) => roundValue(v, { kind: 'midpoint6' }))).toEqual([
      0, 3, 3, 9, 9, 15, 99,
    ]);
  });
});

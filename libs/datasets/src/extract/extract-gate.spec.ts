import { PersonGroups, ResidualIdentifierScanner, tupleKey } from '../safe-data';
import { evaluateGate } from './extract-gate';

const stable = { sampled: 10, mismatched: 0, stable: true, differsAcrossProjects: true };

function scanOf(rows: Record<string, string | null>[]) {
  const scanner = new ResidualIdentifierScanner();
  rows.forEach((row) => scanner.scanRow(row));
  return scanner.report();
}

/** Groups of people over one dataset's `sex`: each row is [person, sex]. */
function groupsOf(rows: [number, string][], k: number) {
  const groups = new PersonGroups();
  const tag = groups.addDataset('GP', ['sex']);
  rows.forEach(([person, sex]) => groups.addRow(person, tupleKey(tag, [sex])));
  return groups.report(k);
}

describe('the extract gate', () => {
  const clean = [
    { sex: 'F', note: 'asthma' },
    { sex: 'F', note: 'copd' },
  ];

  it('passes clean, k-anonymous, stable extracts', () => {
    const gate = evaluateGate(
      [{ dataset: 'GP', scan: scanOf(clean) }],
      groupsOf(
        [
          [1, 'F'],
          [2, 'F'],
        ],
        2,
      ),
      stable,
    );
    expect(gate).toMatchObject({ passed: true, reasons: [] });
  });

  it('fails closed on a residual identifier and names the column and kind, not the value', () => {
    const leaky = [...clean, { sex: 'F', note: 'call 943 476 5919' }];
    const gate = evaluateGate([{ dataset: 'GP', scan: scanOf(leaky) }], null, stable);
    expect(gate.passed).toBe(false);
    expect(gate.reasons).toEqual(['GP.note holds 1 value(s) that look like nhs numbers']);
    expect(JSON.stringify(gate)).not.toContain('943');
  });

  it('fails when a group of people is smaller than k, however many rows the person has', () => {
    const rows: [number, string][] = [
      [1, 'F'],
      [2, 'F'],
      [3, 'M'],
      [3, 'M'],
      [3, 'M'],
    ];
    const gate = evaluateGate([{ dataset: 'GP', scan: scanOf([]) }], groupsOf(rows, 2), stable);
    expect(gate.reasons).toEqual([
      'the extract is not 2-anonymous over GP.sex: 1 group(s) of people smaller than 2, the smallest of 1',
    ]);
    expect(gate.kAnonymity).toMatchObject({ people: 3, groups: 2, smallestGroupSize: 1 });
  });

  it('fails on unstable pseudonyms, pseudonyms shared with another project, or nothing to check', () => {
    const unstable = { sampled: 3, mismatched: 2, stable: false, differsAcrossProjects: false };
    expect(evaluateGate([], null, unstable).reasons).toEqual([
      'pseudonyms are not stable: 2 of 3 sampled from the written files differ from the reference HMAC',
      'pseudonyms are shared with another project',
    ]);
    expect(evaluateGate([], null, { ...stable, sampled: 0 }).passed).toBe(false);
  });
});

import { KAnonymityCounter, ResidualIdentifierScanner } from '../safe-data';
import { evaluateGate } from './extract-gate';

const stable = { sampled: 10, stable: true, differsAcrossProjects: true };

function scanOf(rows: Record<string, string | null>[]) {
  const scanner = new ResidualIdentifierScanner();
  rows.forEach((row) => scanner.scanRow(row));
  return scanner.report();
}

function groupsOf(rows: Record<string, string>[], columns: string[], k: number) {
  const counter = new KAnonymityCounter(columns);
  rows.forEach((row) => counter.add(row));
  return counter.report(k);
}

describe('the extract gate', () => {
  const clean = [
    { sex: 'F', note: 'asthma' },
    { sex: 'F', note: 'copd' },
  ];

  it('passes clean, k-anonymous, stable extracts', () => {
    const gate = evaluateGate(
      [{ dataset: 'GP', scan: scanOf(clean), kAnonymity: groupsOf(clean, ['sex'], 2) }],
      stable,
    );
    expect(gate).toMatchObject({ passed: true, reasons: [] });
  });

  it('fails closed on a residual identifier and names the column and kind, not the value', () => {
    const leaky = [...clean, { sex: 'F', note: 'call 943 476 5919' }];
    const gate = evaluateGate([{ dataset: 'GP', scan: scanOf(leaky), kAnonymity: null }], stable);
    expect(gate.passed).toBe(false);
    expect(gate.reasons).toEqual(['GP.note holds 1 value(s) that look like nhs numbers']);
    expect(JSON.stringify(gate)).not.toContain('943');
  });

  it('fails when a quasi-identifier group is smaller than k', () => {
    const rows = [{ sex: 'F' }, { sex: 'F' }, { sex: 'M' }];
    const gate = evaluateGate(
      [{ dataset: 'GP', scan: scanOf(rows), kAnonymity: groupsOf(rows, ['sex'], 2) }],
      stable,
    );
    expect(gate.reasons).toEqual([
      'GP is not 2-anonymous over sex: 1 group(s) smaller than 2, the smallest of 1',
    ]);
  });

  it('fails on unstable pseudonyms, pseudonyms shared with another project, or nothing to check', () => {
    expect(evaluateGate([], { sampled: 3, stable: false, differsAcrossProjects: false }).reasons).toEqual([
      'pseudonyms are not stable: recomputing them gave different values',
      'pseudonyms are shared with another project',
    ]);
    expect(evaluateGate([], { ...stable, sampled: 0 }).passed).toBe(false);
  });
});

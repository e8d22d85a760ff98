import type { KAnonymityReport, ResidualScanReport } from '../safe-data';

export interface DatasetGateInput {
  readonly dataset: string;
  readonly scan: ResidualScanReport;
  readonly kAnonymity: KAnonymityReport | null;
}

export interface StabilityCheck {
  /** Sampled identifiers whose pseudonym was recomputed from a freshly derived key. */
  readonly sampled: number;
  readonly stable: boolean;
  /** True when no sampled pseudonym equals the one another project would get. */
  readonly differsAcrossProjects: boolean;
}

export interface GateReport {
  readonly passed: boolean;
  readonly reasons: string[];
  readonly datasets: {
    dataset: string;
    residualIdentifiers: { column: string; kind: string; count: number }[];
    kAnonymity: {
      k: number;
      smallestGroupSize: number | null;
      groupsBelowK: number;
      columns: readonly string[];
    } | null;
  }[];
  readonly stability: StabilityCheck;
}

/**
 * The gate before release, failing closed: any residual identifier in any column, any quasi-identifier group
 * smaller than k, or pseudonyms that are unstable or shared with another project fail the whole extract.
 * The report names columns, kinds and group sizes, never values.
 */
export function evaluateGate(datasets: readonly DatasetGateInput[], stability: StabilityCheck): GateReport {
  const reasons: string[] = [];
  for (const { dataset, scan, kAnonymity } of datasets) {
    for (const finding of scan.findings) {
      reasons.push(
        `${dataset}.${finding.column} holds ${finding.count} value(s) that look like ${finding.kind.replace('_', ' ')}s`,
      );
    }
    if (kAnonymity && !kAnonymity.satisfied) {
      reasons.push(
        `${dataset} is not ${kAnonymity.k}-anonymous over ${kAnonymity.columns.join(', ')}: ` +
          `${kAnonymity.groupsBelowK} group(s) smaller than ${kAnonymity.k}, the smallest of ${kAnonymity.smallestGroupSize}`,
      );
    }
  }
  if (stability.sampled === 0)
    reasons.push('no pseudonym could be checked for stability: the extract is empty');
  if (!stability.stable) reasons.push('pseudonyms are not stable: recomputing them gave different values');
  if (!stability.differsAcrossProjects) reasons.push('pseudonyms are shared with another project');
  return {
    passed: reasons.length === 0,
    reasons,
    datasets: datasets.map(({ dataset, scan, kAnonymity }) => ({
      dataset,
      residualIdentifiers: scan.findings.map((f) => ({ column: f.column, kind: f.kind, count: f.count })),
      kAnonymity: kAnonymity && {
        k: kAnonymity.k,
        smallestGroupSize: kAnonymity.smallestGroupSize,
        groupsBelowK: kAnonymity.groupsBelowK,
        columns: kAnonymity.columns,
      },
    })),
    stability,
  };
}

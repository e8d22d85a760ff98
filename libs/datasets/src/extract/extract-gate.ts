import type { PeopleKAnonymityReport, ResidualScanReport } from '../safe-data';

export interface DatasetGateInput {
  readonly dataset: string;
  readonly scan: ResidualScanReport;
}

export interface StabilityCheck {
  /** Rows sampled from the written files whose pseudonym was recomputed with node:crypto. */
  readonly sampled: number;
  /** Sampled rows whose written pseudonym was not the recomputed one. */
  readonly mismatched: number;
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
  }[];
  /** Counted over people across all the extract's files; null when no approved field is a quasi-identifier. */
  readonly kAnonymity: {
    k: number;
    people: number;
    groups: number;
    smallestGroupSize: number | null;
    groupsBelowK: number;
    columns: readonly string[];
  } | null;
  readonly stability: StabilityCheck;
}

/**
 * The gate before release, failing closed: any residual identifier in any column, any group of people smaller
 * than k over the quasi-identifiers of all files together, or written pseudonyms that are not the reference
 * HMAC's or that another project would share fail the whole extract. The report names columns, kinds and
 * group sizes, never values.
 */
export function evaluateGate(
  datasets: readonly DatasetGateInput[],
  kAnonymity: PeopleKAnonymityReport | null,
  stability: StabilityCheck,
): GateReport {
  const reasons: string[] = [];
  for (const { dataset, scan } of datasets) {
    for (const finding of scan.findings) {
      reasons.push(
        `${dataset}.${finding.column} holds ${finding.count} value(s) that look like ${finding.kind.replace('_', ' ')}s`,
      );
    }
  }
  if (kAnonymity && !kAnonymity.satisfied) {
    reasons.push(
      `the extract is not ${kAnonymity.k}-anonymous over ${kAnonymity.columns.join(', ')}: ` +
        `${kAnonymity.groupsBelowK} group(s) of people smaller than ${kAnonymity.k}, the smallest of ${kAnonymity.smallestGroupSize}`,
    );
  }
  if (stability.sampled === 0)
    reasons.push('no pseudonym could be checked for stability: the extract is empty');
  if (!stability.stable)
    reasons.push(
      `pseudonyms are not stable: ${stability.mismatched} of ${stability.sampled} sampled from the written files differ from the reference HMAC`,
    );
  if (!stability.differsAcrossProjects) reasons.push('pseudonyms are shared with another project');
  return {
    passed: reasons.length === 0,
    reasons,
    datasets: datasets.map(({ dataset, scan }) => ({
      dataset,
      residualIdentifiers: scan.findings.map((f) => ({ column: f.column, kind: f.kind, count: f.count })),
    })),
    kAnonymity: kAnonymity && {
      k: kAnonymity.k,
      people: kAnonymity.people,
      groups: kAnonymity.groups,
      smallestGroupSize: kAnonymity.smallestGroupSize,
      groupsBelowK: kAnonymity.groupsBelowK,
      columns: kAnonymity.columns,
    },
    stability,
  };
}

import { ValidationError } from '@tre/core';

export interface DatasetRequestTerms {
  readonly datasetId: string;
  readonly code: string;
  readonly fields: readonly string[];
  readonly legalBasis: string;
}

/** What one approving reviewer agreed to: narrower fields per dataset code, an earlier end, conditions. */
export interface ApprovingVoteTerms {
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  readonly endDate?: string;
  readonly conditions?: readonly string[];
}

export interface ApprovedTerms {
  readonly datasets: DatasetRequestTerms[];
  readonly endDate: string;
  readonly conditions: string[];
}

/**
 * Checks that a reviewer's terms only narrow what was asked: fields within the request, an end date no later
 * than the requested one. Returns the problems, each naming what is wrong.
 */
export function narrowingProblems(
  requested: readonly DatasetRequestTerms[],
  requestedEndDate: string,
  terms: ApprovingVoteTerms,
): string[] {
  const problems: string[] = [];
  for (const [code, fields] of Object.entries(terms.fields ?? {})) {
    const request = requested.find((r) => r.code === code);
    if (!request) {
      problems.push(`dataset ${code} was not requested`);
      continue;
    }
    const extra = fields.filter((field) => !request.fields.includes(field));
    if (extra.length) problems.push(`fields ${extra.join(', ')} of ${code} were not requested`);
  }
  if (terms.endDate && terms.endDate > requestedEndDate) {
    problems.push(`end date ${terms.endDate} is later than the requested ${requestedEndDate}`);
  }
  return problems;
}

/**
 * The approval grants what every approving reviewer agreed to: the intersection of their field sets (a
 * dataset left with no field is not approved), the earliest end date, and all their conditions.
 */
export function combineApprovals(
  requested: readonly DatasetRequestTerms[],
  requestedEndDate: string,
  votes: readonly ApprovingVoteTerms[],
): ApprovedTerms {
  if (votes.length === 0) throw new ValidationError('An approval needs at least one approving vote');
  const datasets = requested
    .map((request) => ({
      ...request,
      fields: request.fields.filter((field) =>
        votes.every((vote) => (vote.fields?.[request.code] ?? request.fields).includes(field)),
      ),
    }))
    .filter((request) => request.fields.length > 0);
  const endDate = votes.reduce(
    (earliest, vote) => (vote.endDate && vote.endDate < earliest ? vote.endDate : earliest),
    requestedEndDate,
  );
  const conditions = [...new Set(votes.flatMap((vote) => vote.conditions ?? []))];
  return { datasets, endDate, conditions };
}

import type { ProjectStatus } from '../domain/project-status';
import type { DatasetRequestTerms } from '../domain/approval-terms';

export interface MemberView {
  readonly subject: string;
  readonly role: 'lead' | 'member';
  readonly accreditationExpiresOn: string;
  readonly accreditationLapsed: boolean;
}

export interface ApprovalView {
  readonly id: string;
  readonly approvalVersion: number;
  readonly applicationVersion: number;
  readonly datasets: DatasetRequestTerms[];
  readonly conditions: string[];
  readonly endDate: string;
  readonly approverIds: string[];
  readonly approvedAt: string;
  /** The workspace the approval fixed; null on approvals made before workspaces were chosen. */
  readonly workspace: { size: string; tool: string } | null;
}

export interface ProjectView {
  readonly id: string;
  readonly title: string;
  readonly laySummary: string;
  readonly scientificPurpose: string;
  readonly publicBenefit: string;
  readonly organisation: string;
  readonly leadId: string;
  readonly status: ProjectStatus;
  readonly applicationVersion: number;
  readonly requestedEndDate: string;
  readonly endDate: string | null;
  readonly approvedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly members: MemberView[];
  readonly datasets: { datasetCode: string; fields: string[]; legalBasis: string }[];
  readonly approval: ApprovalView | null;
  /** Problems a reviewer must see, e.g. `accreditation_lapsed`. */
  readonly flags: string[];
}

export interface ProjectSummary {
  readonly id: string;
  readonly title: string;
  readonly organisation: string;
  readonly status: ProjectStatus;
  readonly applicationVersion: number;
  readonly requestedEndDate: string;
  readonly endDate: string | null;
  readonly updatedAt: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly page: number;
  readonly pageSize: number;
  /** Matches, counted up to LIST_TOTAL_LIMIT: past it, the limit itself and `totalIsLowerBound`. */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}

export interface ProjectVersionView {
  readonly version: number;
  readonly submittedAt: string;
  readonly submittedBy: string;
  readonly content: Record<string, unknown>;
}

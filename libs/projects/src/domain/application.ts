import type { LegalBasis } from '../entities/dataset-request.entity';
import type { WorkspaceChoiceInput } from './workspace-choice';

export interface DatasetRequestInput {
  readonly datasetCode: string;
  readonly fields: string[];
  readonly legalBasis: LegalBasis;
}

export interface MemberInput {
  readonly subject: string;
  readonly accreditationExpiresOn: string;
}

/** What a researcher writes in an application. The lead is the researcher who creates it. */
export interface ApplicationInput {
  readonly title: string;
  readonly laySummary: string;
  readonly scientificPurpose: string;
  readonly publicBenefit: string;
  readonly organisation: string;
  readonly requestedEndDate: string;
  /** The lead's own accreditation. */
  readonly accreditationExpiresOn: string;
  readonly members: MemberInput[];
  readonly datasets: DatasetRequestInput[];
  /** The analysis workspace wanted; the deployment's defaults fill what is left out. */
  readonly workspace?: WorkspaceChoiceInput;
}

export type ApplicationPatch = Partial<ApplicationInput>;

/** Today as YYYY-MM-DD in UTC: end dates and accreditation expiry are whole days. */
export const today = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

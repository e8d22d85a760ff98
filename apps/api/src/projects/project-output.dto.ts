import { ApiProperty } from '@nestjs/swagger';
import { PROJECT_STATUSES, type ProjectStatus } from '@tre/projects';

export class CreatedDto {
  @ApiProperty() id!: string;
}

export class MemberViewDto {
  @ApiProperty() subject!: string;
  @ApiProperty({ enum: ['lead', 'member'] }) role!: 'lead' | 'member';
  @ApiProperty() accreditationExpiresOn!: string;
  @ApiProperty() accreditationLapsed!: boolean;
}

export class RequestedDatasetDto {
  @ApiProperty() datasetCode!: string;
  @ApiProperty({ type: [String] }) fields!: string[];
  @ApiProperty() legalBasis!: string;
}

export class ApprovedDatasetDto {
  @ApiProperty() datasetId!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ type: [String] }) fields!: readonly string[];
  @ApiProperty() legalBasis!: string;
}

export class ApprovedWorkspaceDto {
  @ApiProperty({ example: 'small' }) size!: string;
  @ApiProperty({ example: 'jupyterlab' }) tool!: string;
}

class ApprovalDto {
  @ApiProperty() id!: string;
  @ApiProperty() approvalVersion!: number;
  @ApiProperty() applicationVersion!: number;
  @ApiProperty({ type: [ApprovedDatasetDto] }) datasets!: ApprovedDatasetDto[];
  @ApiProperty({ type: [String] }) conditions!: string[];
  @ApiProperty() endDate!: string;
  @ApiProperty({ type: [String] }) approverIds!: string[];
  @ApiProperty() approvedAt!: string;
  @ApiProperty({ nullable: true, type: ApprovedWorkspaceDto }) workspace!: ApprovedWorkspaceDto | null;
}

export class ProjectDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() laySummary!: string;
  @ApiProperty() scientificPurpose!: string;
  @ApiProperty() publicBenefit!: string;
  @ApiProperty() organisation!: string;
  @ApiProperty() leadId!: string;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: ProjectStatus;
  @ApiProperty() applicationVersion!: number;
  @ApiProperty() requestedEndDate!: string;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [MemberViewDto] }) members!: MemberViewDto[];
  @ApiProperty({ type: [RequestedDatasetDto] }) datasets!: RequestedDatasetDto[];
  @ApiProperty({ type: ApprovalDto, nullable: true }) approval!: ApprovalDto | null;
  @ApiProperty({ type: [String], example: ['accreditation_lapsed'] }) flags!: string[];
}

export class ProjectSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() organisation!: string;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: ProjectStatus;
  @ApiProperty() applicationVersion!: number;
  @ApiProperty() requestedEndDate!: string;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class ProjectPageDto {
  @ApiProperty({ type: [ProjectSummaryDto] }) items!: ProjectSummaryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Matching projects, counted up to 1,000 (see totalIsLowerBound)' })
  total!: number;
  @ApiProperty({ description: 'True when more projects match than total says (counting stops at 1,000)' })
  totalIsLowerBound!: boolean;
}

export class VoteViewDto {
  @ApiProperty() reviewerId!: string;
  @ApiProperty() applicationVersion!: number;
  @ApiProperty({ enum: ['approve', 'reject', 'request_changes'] }) decision!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ type: [String] }) conditions!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    nullable: true,
  })
  fields!: Record<string, string[]> | null;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty() castAt!: string;
}

export class VotesDto {
  @ApiProperty({ description: 'True while the decision is pending: only your own vote is shown' })
  blind!: boolean;
  @ApiProperty({ type: [VoteViewDto] }) items!: VoteViewDto[];
  @ApiProperty({ description: 'Votes this caller may see (the blind rule applies to the count too)' })
  total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class VoteResultDto {
  @ApiProperty({ enum: ['approve', 'reject', 'return', 'pending'] }) outcome!: string;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: string;
}

export class ProjectVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() submittedBy!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) content!: Record<string, unknown>;
}

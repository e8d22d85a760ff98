import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OUTPUT_STATUSES, OUTPUT_VOTES } from '@tre/outputs';

export class CreatedOutputDto {
  @ApiProperty() id!: string;
}

export class SubmittedOutputDto {
  @ApiProperty({ description: 'The submission round now being checked' }) round!: number;
}

export class FileFlagDto {
  @ApiProperty() rule!: string;
  @ApiProperty({ enum: ['fail', 'review'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: Number }) row!: number | null;
  @ApiProperty({ nullable: true, type: Number }) col!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'row label / column label' }) cell!:
    string | null;
  @ApiProperty({ description: 'false when the record already suppresses the cell' }) published!: boolean;
  @ApiProperty() reason!: string;
}

export class EvidenceSourceDto {
  @ApiProperty() extractId!: string;
  @ApiProperty() file!: string;
  @ApiProperty() sha256!: string;
}

export class ExtractEvidenceDto {
  @ApiProperty({
    enum: ['verified', 'mismatch', 'derived'],
    description:
      "verified: rebuilt from the service's copy of the project's extract and equal; mismatch: rebuilt and different (blocked); derived: the record is the researcher's word",
  })
  kind!: 'verified' | 'mismatch' | 'derived';
  @ApiProperty() message!: string;
  @ApiProperty({ nullable: true, type: () => EvidenceSourceDto }) source!: EvidenceSourceDto | null;
}

export class FileCheckDto {
  @ApiProperty({ enum: ['pass', 'review', 'fail', 'manual'] }) status!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ nullable: true, type: String }) recordType!: string | null;
  @ApiProperty({ nullable: true, type: Object }) rules!: { name: string; version: string } | null;
  @ApiProperty() suppressedCells!: number;
  @ApiProperty({ nullable: true, enum: ['match', 'mismatch', 'not_readable'] }) publishedTable!:
    string | null;
  @ApiProperty({ type: [FileFlagDto] }) flags!: FileFlagDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: () => ExtractEvidenceDto,
    description: 'for a table record: whether it was rebuilt from the project’s extract',
  })
  evidence?: ExtractEvidenceDto | null;
}

export class OutputReviewViewDto {
  @ApiProperty() checkerId!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ enum: OUTPUT_VOTES }) vote!: string;
  @ApiProperty() comment!: string;
  @ApiProperty() castAt!: string;
}

export class OutputFileDto {
  @ApiProperty() id!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() mediaType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty() hasRecord!: boolean;
  @ApiProperty({ nullable: true, type: String }) recordType!: string | null;
  @ApiProperty({ enum: ['pending', 'running', 'done'] }) checkState!: string;
  @ApiProperty({ nullable: true, type: FileCheckDto }) check!: FileCheckDto | null;
  @ApiProperty({ enum: ['pending', 'approved', 'changes_requested', 'rejected'] }) decision!: string;
  @ApiProperty() conflicted!: boolean;
  @ApiProperty({ type: [OutputReviewViewDto] }) reviews!: OutputReviewViewDto[];
  @ApiProperty({ nullable: true, type: () => OutputProvenanceDto, description: 'null: uploaded by hand' })
  provenance!: OutputProvenanceDto | null;
  @ApiProperty({ nullable: true, type: String, description: "the researcher's description" })
  context!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'how disclosure was controlled' })
  controls!: string | null;
  @ApiProperty({ nullable: true, type: () => PublishedTableDto }) table!: PublishedTableDto | null;
}

export class OutputProvenanceDto {
  @ApiProperty() workspaceId!: string;
  @ApiProperty() path!: string;
  @ApiProperty() sha256!: string;
  @ApiProperty() collectedAt!: string;
}

export class PublishedTableDto {
  @ApiProperty({ type: [String] }) rows!: string[];
  @ApiProperty({ type: [String] }) cols!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number', nullable: true } },
    description: 'as published; null marks a suppressed cell',
  })
  values!: (number | null)[][];
  @ApiProperty({ nullable: true, type: String }) rounding!: string | null;
}

export class OutputCommentDto {
  @ApiProperty() id!: string;
  @ApiProperty() round!: number;
  @ApiProperty() authorId!: string;
  @ApiProperty({ nullable: true, type: String }) fileId!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty() createdAt!: string;
}

export class OutputCommentThreadDto {
  @ApiProperty({ description: 'some comments are hidden from this caller until the round is decided' })
  private!: boolean;
  @ApiProperty({ type: [OutputCommentDto] }) comments!: OutputCommentDto[];
}

export class OutputSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: OUTPUT_STATUSES }) status!: string;
  @ApiProperty() round!: number;
  @ApiProperty() files!: number;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
}

export class OutputPageDto {
  @ApiProperty({ type: [OutputSummaryDto] }) items!: OutputSummaryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Matching requests, counted up to 1,000 (see totalIsLowerBound)' })
  total!: number;
  @ApiProperty({ description: 'True when more requests match than total says (counting stops at 1,000)' })
  totalIsLowerBound!: boolean;
}

export class CheckProgressDto {
  @ApiProperty() done!: number;
  @ApiProperty() total!: number;
}

export class OutputReleaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() bundleSha256!: string;
  @ApiProperty({ type: Object, additionalProperties: true }) manifest!: object;
}

export class OutputRequestDto extends OutputSummaryDto {
  @ApiProperty() authorId!: string;
  @ApiProperty({ nullable: true, type: String }) checkError!: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: CheckProgressDto }) checkProgress!: CheckProgressDto;
  @ApiProperty({
    description:
      'reviews of this round are hidden from this caller (until enough are in, for checkers; until decided, for others)',
  })
  blind!: boolean;
  @ApiProperty() reviewsRequired!: number;
  @ApiProperty() reviewsIn!: number;
  @ApiProperty({ description: "the caller is on the request's project (a checker there may not vote)" })
  member!: boolean;
  @ApiProperty({
    description: 'the checkers disagreed on at least one file this round (in review: held until they agree)',
  })
  conflicted!: boolean;
  @ApiProperty({ type: [OutputFileDto] }) fileList!: OutputFileDto[];
  @ApiProperty({ nullable: true, type: OutputReleaseDto }) release!: OutputReleaseDto | null;
}

export class ReviewOutcomeDto {
  @ApiProperty({
    enum: ['pending', 'conflicted', 'approve', 'reject', 'return'],
    description: 'conflicted: the checkers disagree, so the request stays in review until they agree',
  })
  outcome!: string;
  @ApiProperty({ enum: OUTPUT_STATUSES }) status!: string;
  @ApiProperty() reviews!: number;
  @ApiProperty() reviewsRequired!: number;
  @ApiProperty({ type: [String], description: 'files the checkers disagree on (held until they agree)' })
  conflictedFiles!: string[];
}

export class DownloadLinkDto {
  @ApiProperty() fileName!: string;
  @ApiProperty() sha256!: string;
  @ApiProperty({ description: 'Path of a one-time link, valid until expiresAt; needs no bearer token' })
  url!: string;
  @ApiProperty() expiresAt!: string;
}

export class DownloadLinksDto {
  @ApiProperty() releaseId!: string;
  @ApiProperty() bundleSha256!: string;
  @ApiProperty({ type: [DownloadLinkDto] }) links!: DownloadLinkDto[];
}

export class OutputFilePreviewDto {
  @ApiProperty({
    enum: ['table', 'text', 'none'],
    description: 'table: a CSV as rows of cells; text: a text or JSON file; none: not shown (see reason)',
  })
  kind!: 'table' | 'text' | 'none';
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
    description: 'The first rows (the header first) and columns, when kind is table',
  })
  rows?: string[][];
  @ApiPropertyOptional({ description: 'Rows in the whole file, the header included' }) totalRows?: number;
  @ApiPropertyOptional({ description: 'Columns of the widest row in the whole file' }) totalCols?: number;
  @ApiPropertyOptional({ description: 'The start of the file, when kind is text' }) text?: string;
  @ApiPropertyOptional({ description: 'More of the file exists than is shown' }) truncated?: boolean;
  @ApiPropertyOptional({ description: 'Why the file is not shown, when kind is none' }) reason?: string;
}

import type { OutputCollectionView, OutputRequestView } from '@tre/outputs';

function conflict(request: OutputRequestView): string {
  if (!request.conflicted) return '';
  return request.status === 'in_review' ? '; CONFLICTED: held until the checkers agree' : '; was conflicted';
}

/** A request as a person reads it in a terminal: per file, its checks and the cells that failed. */
export function describeRequest(request: OutputRequestView): string {
  const lines = [
    `output request ${request.id} (project ${request.projectId}): ${request.status.toUpperCase()}, round ${request.round}`,
    `  "${request.title}"; checks ${request.checkProgress.done}/${request.checkProgress.total}; reviews ${request.reviewsIn}/${request.reviewsRequired}${request.blind ? ' (blind)' : ''}${conflict(request)}`,
  ];
  if (request.checkError) lines.push(`  ${request.checkError}`);
  for (const file of request.fileList) {
    const check = file.check;
    lines.push(
      `  ${file.fileName} (${file.mediaType}, ${file.sizeBytes} bytes, sha256 ${file.sha256.slice(0, 12)}…): ` +
        `check ${check ? check.status : file.checkState}, decision ${file.decision}${file.conflicted ? ' (conflicted)' : ''}`,
    );
    if (check?.evidence) lines.push(`    ${check.evidence.message}`);
    for (const flag of check?.flags ?? []) {
      if (!flag.published && flag.outcome === 'fail') continue;
      lines.push(`    ${flag.outcome} ${flag.rule}${flag.cell ? ` [${flag.cell}]` : ''}: ${flag.reason}`);
    }
    for (const review of file.reviews)
      lines.push(`    vote ${review.vote} (round ${review.round}): ${review.comment || '-'}`);
  }
  if (request.release) lines.push(`  released: bundle sha256 ${request.release.bundleSha256}`);
  return `${lines.join('\n')}\n`;
}

/** `GET /workspaces/:id/outputs` as the API answers it. */
export interface WorkspaceOutputs {
  readonly note?: string;
  readonly files: {
    readonly path: string;
    readonly sizeBytes: number;
    readonly modifiedAt: string;
    readonly recordPath: string | null;
  }[];
  readonly skipped: { readonly path: string; readonly reason: string }[];
  readonly truncated: boolean;
  /** A cluster attached (`--latest`): when the newest listing was made; null before the first. */
  readonly listedAt?: string | null;
  readonly ageSeconds?: number | null;
}

/** A workspace's outputs folder, a file a line: path, size, modified time and the record beside it. */
export function describeOutputs(listing: WorkspaceOutputs): string {
  if (listing.listedAt === null)
    return 'the outputs folder has not been listed yet: run `tre outputs files` without --latest\n';
  const lines = listing.files.length
    ? listing.files.map(
        (f) =>
          `${f.path}  ${f.sizeBytes} bytes  modified ${f.modifiedAt}${f.recordPath ? `  record ${f.recordPath}` : ''}`,
      )
    : ['the outputs folder holds no files'];
  for (const s of listing.skipped) lines.push(`skipped ${s.path}: ${s.reason}`);
  if (listing.truncated) lines.push('(listing cut short: too many entries or folders too deep)');
  if (listing.listedAt && listing.ageSeconds)
    lines.push(`(listed at ${listing.listedAt}, ${listing.ageSeconds} s ago)`);
  if (listing.note) lines.push(`(${listing.note})`);
  return `${lines.join('\n')}\n`;
}

/** One step of a collection as it changes: its state, and its note or error. */
export function describeCollectionStep(step: OutputCollectionView['steps'][number]): string {
  const detail = step.error ?? step.note;
  return `  ${step.name}: ${step.state}${detail ? ` (${detail})` : ''}`;
}

/** Each file of a settled collection: stored with its id, or refused with the reason. */
export function describeCollectionItems(collection: OutputCollectionView): string[] {
  return collection.items.map((item) =>
    item.result?.status === 'stored'
      ? `added ${item.path}: file ${item.result.fileId}, ${item.result.sizeBytes} bytes, sha256 ${item.result.sha256}`
      : `not added ${item.path}: ${item.result?.reason ?? 'no result'}`,
  );
}

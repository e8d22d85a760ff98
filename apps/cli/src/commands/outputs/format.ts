import type { OutputRequestView } from '@tre/outputs';

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

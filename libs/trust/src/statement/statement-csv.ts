import { csvDocument } from '../domain/csv';
import type { TransparencyStatement } from './statement-views';

/**
 * The statement as CSV, one figure a row (`section,item,value`), so a spreadsheet can chart it. Counts of
 * people appear only as the JSON shows them: rounded, or "fewer than 10".
 */
export function statementCsv(s: TransparencyStatement): string {
  const rows: (string | number | null)[][] = [
    ['period', 'from', s.period.from],
    ['period', 'to', s.period.to],
    ['period', 'generated_at', s.generatedAt],
    ['projects', 'approved', s.projects.approved],
    ['projects', 'ended', s.projects.ended],
    ['projects', 'active', s.projects.active],
    ...s.projects.byState.map((x) => ['projects_by_state', x.state, x.projects]),
    ...s.datasetsUsed.map((d) => ['datasets_used', `${d.code} (${d.title})`, d.projects]),
    ['opt_outs_honoured', 'extracts', s.optOutsHonoured.extracts],
    ...s.optOutsHonoured.lists.map((l) => [
      'opt_outs_honoured',
      `${l.list} people removed`,
      l.peopleRemoved.text,
    ]),
    ['outputs_released', 'releases', s.outputsReleased.releases],
    ['outputs_released', 'files', s.outputsReleased.files],
    ['requests_blocked', 'total', s.requestsBlocked.total],
    ...s.requestsBlocked.byRule.map((r) => ['requests_blocked_by_rule', r.rule, r.requests]),
    ...(['extracts', 'unreleasedOutputs', 'releasedOutputs'] as const).flatMap((kind) => [
      ['data_deleted', `${kind} deletions`, s.dataDeleted[kind].deletions],
      ['data_deleted', `${kind} files`, s.dataDeleted[kind].files],
      ['data_deleted', `${kind} bytes`, s.dataDeleted[kind].bytes],
    ]),
    ['transparency', 'tree_size', s.transparency.latestHead?.treeSize ?? null],
    ['transparency', 'root_hash', s.transparency.latestHead?.rootHash ?? null],
    ['transparency', 'signed_at', s.transparency.latestHead?.signedAt ?? null],
    ['transparency', 'key_id', s.transparency.latestHead?.keyId ?? null],
    ['transparency', 'signature', s.transparency.latestHead?.signature ?? null],
    ...s.transparency.keys.map((k) => ['transparency_key', k.keyId, k.publicKey]),
  ];
  return csvDocument(['section', 'item', 'value'], rows);
}

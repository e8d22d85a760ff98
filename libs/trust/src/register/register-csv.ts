import { csvDocument } from '../domain/csv';
import type { OPT_OUT_TITLES } from '../domain/opt-out-lists';
import type { RegisterEntry } from './register-views';

const COLUMNS = [
  'title',
  'lay_summary',
  'organisation',
  'datasets',
  'legal_bases',
  'status',
  'approved_on',
  'end_date',
  'ended_on',
  'national_opt_out_people_removed',
  'type1_opt_out_people_removed',
  'outputs_released',
  'releases',
  'extracts_deleted_on',
  'unreleased_outputs_deleted_on',
  'released_outputs_deleted_on',
  'deletion_paused',
];

/** What a CSV cell says for an opt-out list: the rounded count, "fewer than 10", or why there is none. */
function optOutCell(entry: RegisterEntry, list: keyof typeof OPT_OUT_TITLES): string {
  const optOut = entry.optOuts.find((o) => o.list === list);
  if (!optOut?.applied) return 'not applicable';
  return optOut.peopleRemoved?.text ?? 'not extracted yet';
}

/** The register as CSV, one row per project; counts of people only as the JSON shows them (rounded). */
export function registerCsv(entries: readonly RegisterEntry[]): string {
  return csvDocument(
    COLUMNS,
    entries.map((entry) => [
      entry.title,
      entry.laySummary,
      entry.organisation,
      entry.datasets.map((d) => `${d.code} (${d.title})`).join('; '),
      [...new Set(entry.datasets.map((d) => d.legalBasis))].join('; '),
      entry.status,
      entry.approvedOn,
      entry.endDate,
      entry.endedOn,
      optOutCell(entry, 'national'),
      optOutCell(entry, 'type1'),
      entry.outputsReleased,
      entry.releases.map((r) => `${r.title} (${r.releasedOn}, ${r.files} files)`).join('; '),
      entry.dataDeletion.extractsDeletedOn,
      entry.dataDeletion.unreleasedOutputsDeletedOn,
      entry.dataDeletion.releasedOutputsDeletedOn,
      entry.dataDeletion.paused,
    ]),
  );
}

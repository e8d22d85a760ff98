/** One difference between two frozen versions of an application, in words. */
export interface Change {
  readonly what: string;
  readonly before: string;
  readonly after: string;
}

const NAMES: Record<string, string> = {
  title: 'Title',
  laySummary: 'Lay summary',
  scientificPurpose: 'Scientific purpose',
  publicBenefit: 'Public benefit',
  organisation: 'Organisation',
  requestedEndDate: 'Requested end date',
  accreditationExpiresOn: "Lead's accreditation",
  members: 'Members',
  workspace: 'Workspace',
};

interface DatasetAsked {
  readonly datasetCode: string;
  readonly fields: readonly string[];
  readonly legalBasis: string;
}

const words = (value: unknown): string =>
  value === undefined || value === null
    ? 'nothing'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/**
 * What changed from one frozen version of an application to the next: each field that differs, and for the
 * datasets each one added or removed, each field added or removed, and each change of legal basis.
 */
export function applicationChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Change[] {
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'datasets');
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes.push({ what: NAMES[key] ?? key, before: words(before[key]), after: words(after[key]) });
  }
  const asked = (content: Record<string, unknown>) =>
    new Map(((content.datasets ?? []) as DatasetAsked[]).map((d) => [d.datasetCode, d]));
  const was = asked(before);
  const now = asked(after);
  for (const code of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const a = was.get(code);
    const b = now.get(code);
    if (!a || !b) {
      changes.push({
        what: `Dataset ${code}`,
        before: a ? 'asked for' : 'not asked for',
        after: b ? 'asked for' : 'removed',
      });
      continue;
    }
    const added = b.fields.filter((f) => !a.fields.includes(f));
    const removed = a.fields.filter((f) => !b.fields.includes(f));
    if (added.length || removed.length)
      changes.push({
        what: `Fields of ${code}`,
        before: removed.length ? `also ${removed.join(', ')}` : '–',
        after: added.length ? `also ${added.join(', ')}` : '–',
      });
    if (a.legalBasis !== b.legalBasis)
      changes.push({ what: `Legal basis for ${code}`, before: a.legalBasis, after: b.legalBasis });
  }
  return changes;
}

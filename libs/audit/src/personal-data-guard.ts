/**
 * Audit details must never hold personal identifiers: the trail is kept for ever and shown to auditors.
 * Events name people by their user id and subjects by id; this refuses details whose keys suggest
 * otherwise, so a careless call fails in tests rather than writing a name into an immutable log.
 */
const FORBIDDEN_KEY = new RegExp(
  [
    '^name$',
    'first_?name',
    'last_?name',
    'full_?name',
    'display_?name',
    'surname',
    'e_?mail',
    'phone',
    'address',
    'post_?code',
    'zip',
    'nhs_?number',
    'date_?of_?birth',
    '^dob$',
    'birth_?date',
    'password',
    'token',
    'secret',
  ].join('|'),
  'i',
);

export function findPersonalDataKeys(details: unknown, path = 'details'): string[] {
  if (details === null || typeof details !== 'object') return [];
  if (Array.isArray(details))
    return details.flatMap((item, i) => findPersonalDataKeys(item, `${path}[${i}]`));
  return Object.entries(details as Record<string, unknown>).flatMap(([key, value]) => [
    ...(FORBIDDEN_KEY.test(key) ? [`${path}.${key}`] : []),
    ...findPersonalDataKeys(value, `${path}.${key}`),
  ]);
}

import type { StructuralSchema } from './keda-crds';

const typeOf = (value: unknown): string =>
  Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

/**
 * What an API server does with a custom resource against its CRD's structural schema: a wrong type, a missing
 * required field or a value outside an enum is refused, and an unknown field would be pruned (silently lost),
 * so it is reported too. Returns the problems, empty when the object passes. `metadata` is the server's own.
 */
export function structuralProblems(value: unknown, schema: StructuralSchema, path = ''): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  const actual = typeOf(value);
  if (actual !== (schema.type === 'object' ? 'object' : schema.type) || value === null)
    return [`${path || '.'}: ${actual}, not ${schema.type}`];
  if (schema.enum && !schema.enum.includes(value as string))
    return [`${path}: ${JSON.stringify(value)} not in enum`];
  if (schema.type === 'array')
    return (value as unknown[]).flatMap((item, i) =>
      schema.items ? structuralProblems(item, schema.items, `${path}[${i}]`) : [],
    );
  if (schema.type !== 'object') return [];
  const object = value as Record<string, unknown>;
  const problems = (schema.required ?? [])
    .filter((key) => object[key] === undefined)
    .map((key) => `${path}.${key}: required`);
  if (!schema.properties && !schema.additionalProperties) return problems; // an open object (metadata)
  for (const [key, child] of Object.entries(object)) {
    const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
    if (!childSchema) problems.push(`${path}.${key}: not in the schema (the server would prune it)`);
    else problems.push(...structuralProblems(child, childSchema, `${path}.${key}`));
  }
  return problems;
}

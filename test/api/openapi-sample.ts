/** Just enough of an OpenAPI document to build a plausible request body for each route. */
interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } } | undefined>
  >;
  components?: { schemas?: Record<string, Schema> };
}

function sample(doc: OpenApiDocument, schema: Schema, depth: number): unknown {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return sample(doc, doc.components?.schemas?.[name] ?? {}, depth);
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part) => sample(doc, part, depth) as object));
  }
  switch (schema.type) {
    case 'string':
      return schema.format === 'uuid'
        ? '00000000-0000-4000-8000-000000000000'
        : 'sample text long enough'.padEnd(schema.minLength ?? 0, '.').slice(0, schema.maxLength ?? 200);
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 3 ? [] : [sample(doc, schema.items ?? {}, depth + 1)];
    default:
      if (!schema.properties || depth > 3) return {};
      return Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [key, sample(doc, value, depth + 1)]),
      );
  }
}

/** `/projects/:id` in Nest's spelling is `/projects/{id}` in OpenAPI's. */
export function sampleBody(
  doc: OpenApiDocument,
  method: string,
  path: string,
): { type: string; body: unknown } | undefined {
  const operation = doc.paths[path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
  const content = operation?.requestBody?.content;
  if (!content) return undefined;
  const [type, media] = Object.entries(content)[0];
  return { type, body: media.schema ? sample(doc, media.schema, 0) : {} };
}

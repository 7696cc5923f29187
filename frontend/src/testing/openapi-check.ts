/**
 * Checks the front end's zod response schemas against the server's OpenAPI document: every field
 * the client requires must be in the server's schema, with a compatible type, and every field the
 * server may send as null must be accepted as null. Used by the e2e run against the real backend.
 */
import type * as z from 'zod/mini';

export interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  additionalProperties?: boolean | OpenApiSchema;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  enum?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: OpenApiSchema }> }> }>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  element?: z.ZodMiniType;
  innerType?: z.ZodMiniType;
  in?: z.ZodMiniType;
  options?: z.ZodMiniType[];
  items?: z.ZodMiniType[];
}

function def(schema: z.ZodMiniType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

/** The schema with its wrappers removed, and whether it accepts null / may be absent. */
function unwrap(schema: z.ZodMiniType): { core: z.ZodMiniType; nullable: boolean; optional: boolean } {
  let core = schema;
  let nullable = false;
  let optional = false;
  for (;;) {
    const d = def(core);
    if (d.type === 'nullable' && d.innerType) nullable = true;
    else if (d.type === 'optional' && d.innerType) optional = true;
    else if ((d.type === 'default' || d.type === 'catch' || d.type === 'prefault') && d.innerType) optional = true;
    else if (d.type === 'pipe' && d.in) {
      core = d.in;
      continue;
    } else break;
    core = d.innerType as z.ZodMiniType;
  }
  return { core, nullable, optional };
}

function resolve(schema: OpenApiSchema, doc: OpenApiDocument): OpenApiSchema {
  let current = schema;
  for (let depth = 0; depth < 20; depth += 1) {
    if (current.$ref) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = { ...(doc.components?.schemas?.[name] ?? {}), nullable: current.nullable || doc.components?.schemas?.[name]?.nullable };
    } else if (current.allOf?.length === 1 && current.allOf[0]) {
      current = { ...current.allOf[0], nullable: current.nullable };
    } else break;
  }
  return current;
}

const COMPATIBLE: Record<string, string[]> = {
  string: ['string'],
  number: ['number', 'integer'],
  int: ['integer'],
  boolean: ['boolean'],
  enum: ['string'],
  object: ['object'],
  record: ['object'],
  array: ['array'],
  tuple: ['array'],
};

/** Problems found comparing `zod` (what the client parses) with `api` (what the server documents). */
export function compareSchemas(zod: z.ZodMiniType, api: OpenApiSchema, doc: OpenApiDocument, where = '$'): string[] {
  const server = resolve(api, doc);
  const { core, nullable } = unwrap(zod);
  const problems: string[] = [];
  if (server.nullable && !nullable) problems.push(`${where}: the server may send null, the client does not accept it`);
  // Free-form server schemas (JSONField, oneOf) cannot be checked further.
  if (!server.type || server.oneOf || server.anyOf) return problems;
  const d = def(core);
  if (d.type === 'union') {
    const ok = (d.options ?? []).some((option) => compareSchemas(option, { ...server, nullable: false }, doc, where).length === 0);
    if (!ok) problems.push(`${where}: no client alternative matches the server's ${server.type}`);
    return problems;
  }
  const accepted = COMPATIBLE[d.type];
  if (accepted && !accepted.includes(server.type)) {
    problems.push(`${where}: client expects ${d.type}, server documents ${server.type}`);
    return problems;
  }
  if (d.type === 'object' && d.shape) {
    const required = new Set(server.required ?? []);
    for (const [key, field] of Object.entries(d.shape)) {
      const property = server.properties?.[key];
      const { optional } = unwrap(field);
      if (!property) {
        if (!optional) problems.push(`${where}.${key}: the client requires it, the server does not document it`);
        continue;
      }
      if (!optional && !required.has(key)) problems.push(`${where}.${key}: the client requires it, the server marks it optional`);
      problems.push(...compareSchemas(field, property, doc, `${where}.${key}`));
    }
  }
  if (d.type === 'array' && d.element && server.items) problems.push(...compareSchemas(d.element, server.items, doc, `${where}[]`));
  return problems;
}

/** The documented JSON schema of one response, or null when the document has none. */
export function responseSchema(doc: OpenApiDocument, path: string, method: string, status: string): OpenApiSchema | null {
  const normalise = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
  const entry = Object.entries(doc.paths).find(([p]) => normalise(p) === normalise(path));
  const response = entry?.[1][method]?.responses?.[status];
  return response?.content?.['application/json']?.schema ?? null;
}

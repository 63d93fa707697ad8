import { defaultMetadataStorage } from "class-transformer/cjs/storage";
import type * as Cvjs from "class-validator-jsonschema";
import type { ResponseSpec } from "../decorators/types";
import { loadDriver } from "../utils/load-driver";
import type { AliasInfo, GatewaySettings } from "./types";

export type JsonSchema = Record<string, unknown>;

/** What the document needs to know of an action: its params DTO (local actions) and its options. */
export interface ActionDoc {
  params?: unknown;
  options: Record<string, unknown>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
}

const BODY_METHODS = new Set(["post", "put", "patch"]);

/** `/users/:id` → `/users/{id}`, and the names of its params. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

/**
 * JSON Schemas of every class-validator DTO loaded (nested DTOs by `$ref`,
 * enums, arrays, optional fields), by class-validator-jsonschema: read once per
 * document, then looked up by class name.
 */
function dtoSchemas(): Record<string, JsonSchema> {
  const cvjs = loadDriver<typeof Cvjs>("class-validator-jsonschema", "The gateway's OpenAPI document");
  return cvjs.validationMetadatasToSchemas({
    refPointerPrefix: "#/components/schemas/",
    classTransformerMetadataStorage: defaultMetadataStorage as never,
  }) as Record<string, JsonSchema>;
}

function dtoName(dto: unknown, schemas: Record<string, JsonSchema>): string | null {
  return typeof dto === "function" && dto.name in schemas ? dto.name : null;
}

function responseSchema(spec: ResponseSpec, schemas: Record<string, JsonSchema>): { description: string; schema?: JsonSchema } {
  if (typeof spec === "function") {
    const name = dtoName(spec, schemas);
    return { description: spec.name, ...(name ? { schema: { $ref: `#/components/schemas/${name}` } } : {}) };
  }
  const name = dtoName(spec.type, schemas);
  let schema: JsonSchema | undefined = spec.schema ?? (name ? { $ref: `#/components/schemas/${name}` } : undefined);
  if (schema && spec.isArray) schema = { type: "array", items: schema };
  return { description: spec.description ?? name ?? "Success", ...(schema ? { schema } : {}) };
}

const MULTIPART_BODY: JsonSchema = {
  required: true,
  content: { "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } } } } },
};
const RAW_BODY: JsonSchema = { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } };

function operation(alias: AliasInfo, method: string, pathParams: string[], action: ActionDoc | undefined, schemas: Record<string, JsonSchema>): JsonSchema {
  const opts = action?.options ?? {};
  const name = dtoName(action?.params, schemas);
  const dto = name ? schemas[name] : undefined;
  const props = (dto?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((dto?.required ?? []) as string[]);
  const parameters: JsonSchema[] = pathParams.map((p) => ({ name: p, in: "path", required: true, schema: props[p] ?? { type: "string" } }));
  const op: JsonSchema = {
    operationId: `${alias.action}${method === "get" ? "" : `.${method}`}`.replace(/[^A-Za-z0-9_.-]/g, "_"),
    tags: [alias.action.slice(0, alias.action.lastIndexOf(".")) || alias.action],
    summary: typeof opts.summary === "string" ? opts.summary : alias.action,
  };
  if (alias.type !== undefined) {
    // Uploads: the body is the file(s) or the raw bytes; the DTO's fields come from the query.
    op.requestBody = alias.type === "multipart" ? MULTIPART_BODY : RAW_BODY;
    for (const [prop, schema] of Object.entries(props)) if (!pathParams.includes(prop)) parameters.push({ name: prop, in: "query", required: required.has(prop), schema });
  } else if (BODY_METHODS.has(method)) {
    if (name) op.requestBody = { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } };
  } else {
    for (const [prop, schema] of Object.entries(props)) {
      if (!pathParams.includes(prop)) parameters.push({ name: prop, in: "query", required: required.has(prop), schema });
    }
  }
  if (parameters.length > 0) op.parameters = parameters;
  const responses: Record<string, JsonSchema> = {};
  const declared = opts.responses;
  if (typeof declared === "object" && declared !== null) {
    for (const [status, spec] of Object.entries(declared as Record<string, ResponseSpec>)) {
      const { description, schema } = responseSchema(spec, schemas);
      responses[status] = { description, ...(schema ? { content: { "application/json": { schema } } } : {}) };
    }
  }
  if (Object.keys(responses).length === 0) responses["200"] = { description: "Success" };
  if (name) responses["422"] = { description: "Validation error: the failing fields in `data`" };
  op.responses = responses;
  return op;
}

/**
 * The OpenAPI 3.1 document of a gateway: one operation per alias (a `*`
 * alias as GET and POST), params from the action's DTO (path params, then
 * query params for GET/DELETE or a JSON body for POST/PUT/PATCH), response
 * schemas from `@Action({ responses })`.
 */
export function buildOpenApi(aliases: readonly AliasInfo[], actionDoc: (action: string) => ActionDoc | undefined, settings: GatewaySettings): OpenApiDocument {
  const schemas = dtoSchemas();
  const used = new Set<string>();
  const paths: OpenApiDocument["paths"] = {};
  for (const alias of aliases) {
    const { path, params } = openApiPath(alias.path);
    const action = actionDoc(alias.action);
    const methods = alias.method === "*" ? ["get", "post"] : [alias.method.toLowerCase()];
    for (const method of methods) {
      const entry = (paths[path] ??= {});
      if (entry[method]) continue;
      entry[method] = operation(alias, method, params, action, schemas);
    }
  }
  // Only the schemas the document refers to (and what they refer to).
  const text = JSON.stringify(paths);
  const queue = [...text.matchAll(/#\/components\/schemas\/([A-Za-z0-9_]+)/g)].map((m) => m[1]);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (used.has(name) || !schemas[name]) continue;
    used.add(name);
    for (const m of JSON.stringify(schemas[name]).matchAll(/#\/components\/schemas\/([A-Za-z0-9_]+)/g)) queue.push(m[1]);
  }
  const o = settings.openapi || {};
  return {
    openapi: "3.1.0",
    info: { title: o.title ?? "API", version: o.version ?? "1.0.0", ...(o.description ? { description: o.description } : {}) },
    servers: [{ url: "/" }],
    paths,
    components: { schemas: Object.fromEntries([...used].sort().map((n) => [n, schemas[n]])) },
  };
}

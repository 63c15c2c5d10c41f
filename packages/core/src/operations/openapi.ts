import { defaultRoute, type HttpRoute, httpRoutes } from "../routes.js";
import { errorBody, z } from "../schema.js";

/** The request body and 2xx response of one route, declared where the route's code lives. */
export interface RouteSchemas {
  body?: z.ZodType;
  /** Query parameters: an object schema, one parameter per field. */
  query?: z.ZodObject;
  response: z.ZodType;
  status?: number;
  example?: { request?: unknown; response?: unknown };
}

type JsonSchema = Record<string, unknown>;

const ERROR_STATUSES: Record<string, string> = {
  "400": "Invalid input: malformed JSON, unknown or invalid fields (the message names them)",
  "401": "No API key, or not a valid one",
  "404": "Unknown model, job, catalogue, upload or route",
  "409": "A concurrent change won (an alias moved since it was read): read again and retry",
  "413": "Payload too large",
  "415": "Unsupported Content-Type or media",
  "500": "Internal error (details are only logged)",
  "503": "A model is not installed: run npm run models:pull",
};

/** Converts zod schemas to JSON Schema 2020-12, hoisting named ones into components.schemas. */
class SchemaSet {
  readonly components: Record<string, JsonSchema> = {};

  ref(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
    }) as JsonSchema;
    const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
    const rename = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      const text = JSON.stringify(def);
      const existing = this.components[id];
      rename.set(
        id,
        existing && JSON.stringify(existing) !== text ? `${id}${io === "input" ? "Input" : "Output"}` : id,
      );
    }
    const rewrite = (value: JsonSchema): JsonSchema =>
      JSON.parse(
        JSON.stringify(value).replace(
          /"#\/\$defs\/([^"]+)"/g,
          (_, id: string) => `"#/components/schemas/${rename.get(id) ?? id}"`,
        ),
      ) as JsonSchema;
    for (const [id, def] of Object.entries(defs)) this.components[rename.get(id) ?? id] = rewrite(def);
    const { $schema: _schema, $defs: _defs, ...root } = converted;
    return rewrite(root);
  }
}

function operation(route: HttpRoute, schemas: RouteSchemas | undefined, set: SchemaSet) {
  const errorRef = set.ref(errorBody, "output");
  const responses: Record<string, unknown> = {};
  if (schemas) {
    responses[String(schemas.status ?? 200)] = {
      description: "OK",
      content: {
        "application/json": {
          schema: set.ref(schemas.response, "output"),
          ...(schemas.example?.response !== undefined && { example: schemas.example.response }),
        },
      },
    };
  }
  for (const [status, description] of Object.entries(ERROR_STATUSES)) {
    if (status === "401" && !route.auth) continue;
    responses[status] = { description, content: { "application/json": { schema: errorRef } } };
  }
  const params: Array<Record<string, unknown>> = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  for (const [name, field] of Object.entries(schemas?.query?.shape ?? {})) {
    params.push({ name, in: "query", required: false, schema: set.ref(field as z.ZodType, "input") });
  }
  const content: Record<string, unknown> = {};
  if (schemas?.body) {
    content["application/json"] = {
      schema: set.ref(schemas.body, "input"),
      ...(schemas.example?.request !== undefined && { example: schemas.example.request }),
    };
    if (route.task === "faces")
      content["image/*"] = { schema: { type: "string", contentMediaType: "image/*" } };
  }
  return {
    operationId: route.id,
    summary: route.description,
    ...(route.auth ? {} : { security: [] }),
    ...(params.length > 0 && { parameters: params }),
    ...(schemas?.body && { requestBody: { required: true, content } }),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route in routes.ts, from the schemas each route declares. */
export function openApiDocument(schemasByRoute: Readonly<Record<string, RouteSchemas>>, version = "0.1.0") {
  const set = new SchemaSet();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of httpRoutes) {
    // routes.ts writes parameters as OpenAPI does ({job}), so a route's path is its OpenAPI path.
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(
      route,
      schemasByRoute[route.id],
      set,
    );
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Marquee",
      version,
      description:
        "Self-hosted Model-as-a-Service for the entertainment industry. Errors are always " +
        '{"error":{"code","message"}}. Unknown routes answer 404 and known paths with another method 405 ' +
        `(${defaultRoute.description}).`,
    },
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
      schemas: set.components,
    },
  };
}

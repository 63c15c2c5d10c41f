import type { HttpRoute } from "@marquee/core";
import { apiDocument } from "@marquee/core/registry";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { APIGatewayProxyResultV2 } from "aws-lambda";

const DOC_ID = "https://marquee.local/openapi.json";

/** Every response the twin's handlers gave in this test file that its route's document entry does not allow. */
export const violations: string[] = [];
let checked = 0;
export const checkedResponses = () => checked;

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction | undefined>();

function validatorFor(route: HttpRoute, status: number): ValidateFunction | undefined {
  const key = `${route.id} ${status}`;
  if (validators.has(key)) return validators.get(key);
  const document = apiDocument();
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: false });
    ajv.addSchema({ $id: DOC_ID, components: document.components });
  }
  const path = route.path === "$default" ? undefined : document.paths[route.path];
  const operation = path?.[route.method.toLowerCase()] as
    | { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
    | undefined;
  const schema = operation?.responses[String(status)]?.content?.["application/json"]?.schema;
  const resolved = schema
    ? JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`))
    : undefined;
  const validate = resolved ? ajv.compile(resolved) : undefined;
  validators.set(key, validate);
  return validate;
}

/** Checks one handler answer against the API document: its status is documented and its body fits. */
export function checkResponse(route: HttpRoute, result: APIGatewayProxyResultV2): void {
  if (typeof result !== "object" || route.path === "$default") return;
  const status = result.statusCode ?? 200;
  checked += 1;
  const validate = validatorFor(route, status);
  if (!validate) {
    violations.push(`${route.id}: status ${status} is not in the API document`);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(result.body ?? "");
  } catch {
    violations.push(`${route.id} ${status}: the body is not JSON`);
    return;
  }
  if (!validate(body)) {
    const where = JSON.stringify(validate.errors?.slice(0, 3));
    violations.push(`${route.id} ${status}: ${where} in ${JSON.stringify(body).slice(0, 300)}`);
  }
}

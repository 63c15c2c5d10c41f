/**
 * Request and response shapes are declared once, with zod: the schema gives the TypeScript type, the
 * validation (400 messages naming the field) and, through `z.toJSONSchema`, the OpenAPI document.
 */
import { z } from "zod";
import { InvalidInputError } from "./errors.js";

export { z };

const MAX_ISSUES = 3;
const MAX_LISTED_KEYS = 5;

function pathOf(path: readonly PropertyKey[], root: string): string {
  let out = root;
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part).slice(0, 40)}`;
  }
  return out || "body";
}

/** The object schema at `path`, through optional/default/nullable wrappers (to list valid keys). */
function objectAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let current: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    let inner = s;
    while (inner && "unwrap" in inner && typeof inner.unwrap === "function" && !(inner instanceof z.ZodArray))
      inner = (inner as unknown as { unwrap(): z.ZodType }).unwrap();
    return inner;
  };
  for (const part of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = current.shape[String(part)] as z.ZodType | undefined;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return undefined;
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? current : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, root: string): string {
  const where = pathOf(issue.path, root);
  if (issue.code === "unrecognized_keys") {
    const listed = issue.keys.slice(0, MAX_LISTED_KEYS).map((key) => JSON.stringify(key.slice(0, 40)));
    const more =
      issue.keys.length > MAX_LISTED_KEYS ? ` and ${issue.keys.length - MAX_LISTED_KEYS} more` : "";
    const valid = Object.keys(objectAt(schema, issue.path)?.shape ?? {});
    const noun = where === "body" ? "field(s)" : `field(s) in ${where}`;
    return `Unknown ${noun}: ${listed.join(", ")}${more}. Valid fields: ${valid.join(", ")}`;
  }
  return `${where}: ${issue.message}`;
}

/** Parses `value` with `schema`, or throws InvalidInputError naming the offending fields. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root = ""): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => describeIssue(issue, schema, root));
  throw new InvalidInputError(issues.join("; "));
}

/** A number in [min, max] whose error message says so. */
export function bounded(min: number, max: number, options: { integer?: boolean } = {}) {
  const message = `must be ${options.integer ? "an integer" : "a number"} from ${min} to ${max}`;
  const base = options.integer ? z.int({ error: message }) : z.number({ error: message });
  return base.min(min, { error: message }).max(max, { error: message });
}

export const modelId = z
  .string({ error: "must be a model id string" })
  .min(1, { error: "must be a model id string" })
  .max(200, { error: "must be a model id string" })
  .describe('A catalog model id, e.g. "sentiment/fasttext-amazon-polarity"');

/** A list of 1..max texts, each at most maxChars characters. */
export function textList(max: number, maxChars: number) {
  return z
    .array(
      z
        .string({ error: "must be a string" })
        .max(maxChars, { error: `must be at most ${maxChars} characters` }),
      { error: `must be an array of 1 to ${max} strings` },
    )
    .min(1, { error: `must be an array of 1 to ${max} strings` })
    .max(max, { error: `must be an array of 1 to ${max} strings` });
}

/** A JSON request body: an object with exactly these fields (unknown ones are named in the 400). */
export function requestBody<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, { error: "must be a JSON object" });
}

export const errorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: "Error" });

export const modelRef = z.object({ id: z.string(), version: z.string() }).meta({ id: "ModelRef" });

export const timingsShape = z
  .record(z.string(), z.number())
  .describe("Milliseconds per phase (decode, preprocess, inference, postprocess)");

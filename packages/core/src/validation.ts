import { InvalidInputError } from "./errors.js";

const MAX_LISTED = 5;

/** A JSON object with only the allowed fields, or InvalidInputError naming (a few of) the others. */
export function fieldsOf(body: unknown, allowed: readonly string[], shape: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidInputError(`The body must be a JSON object: ${shape}`);
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, MAX_LISTED).map((key) => JSON.stringify(key.slice(0, 40)));
    const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : "";
    throw new InvalidInputError(
      `Unknown field(s): ${listed.join(", ")}${more}. Valid fields: ${allowed.join(", ")}`,
    );
  }
  return body as Record<string, unknown>;
}

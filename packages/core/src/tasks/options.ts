import { InvalidInputError } from "../errors.js";

type Spec = { type: "number"; min: number; max: number; integer?: boolean } | { type: "boolean" };

/** Validates a flat options object against a spec; unknown keys and wrong types are rejected by name. */
export function parseOptions<T extends Record<string, number | boolean>>(
  raw: unknown,
  spec: Record<keyof T, Spec>,
  defaults: T,
): T {
  if (raw === undefined || raw === null) return { ...defaults };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new InvalidInputError("options must be an object");
  const result: Record<string, number | boolean> = { ...defaults };
  for (const [key, value] of Object.entries(raw)) {
    const rule = Object.hasOwn(spec, key) ? spec[key as keyof T] : undefined;
    if (!rule) {
      const shown = JSON.stringify(key.slice(0, 40));
      throw new InvalidInputError(`Unknown option ${shown}. Valid options: ${Object.keys(spec).join(", ")}`);
    }
    if (rule.type === "boolean") {
      if (typeof value !== "boolean") throw new InvalidInputError(`options.${key} must be a boolean`);
    } else if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value < rule.min ||
      value > rule.max ||
      (rule.integer && !Number.isInteger(value))
    ) {
      const kind = rule.integer ? "an integer" : "a number";
      throw new InvalidInputError(`options.${key} must be ${kind} from ${rule.min} to ${rule.max}`);
    }
    result[key] = value;
  }
  return result as T;
}

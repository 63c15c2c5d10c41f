/**
 * Search filters `{ field: value | [values] }`: an item passes when, for every field, its value equals
 * one of the values or, for a list field such as genres, contains one. Strings compare
 * case-insensitively; numbers and booleans exactly, and never equal a string ("2015" is not 2015).
 */
export type FilterValue = string | number | boolean;
export type Filters = Record<string, FilterValue | readonly FilterValue[]>;

export const MAX_FILTER_FIELDS = 10;
export const MAX_FILTER_VALUES = 50;
export const MAX_FILTER_FIELD_LENGTH = 64;

const describe = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : typeof value === "object"
        ? "an object"
        : typeof value;

function checkValue(value: unknown, where: string): FilterValue {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new Error(`${where}: must be a string, a finite number or a boolean, not ${describe(value)}`);
}

/** Checks the shape of filters, throwing an Error that names the offending field; returns them typed. */
export function validateFilters(filters: unknown): Filters {
  if (typeof filters !== "object" || filters === null || Array.isArray(filters)) {
    throw new Error(`filters: must be an object { field: value | [values] }, not ${describe(filters)}`);
  }
  const entries = Object.entries(filters);
  if (entries.length > MAX_FILTER_FIELDS) {
    throw new Error(`filters: at most ${MAX_FILTER_FIELDS} fields, not ${entries.length}`);
  }
  for (const [field, wanted] of entries) {
    if (field === "" || field.length > MAX_FILTER_FIELD_LENGTH) {
      throw new Error(
        `filters: field names must be 1-${MAX_FILTER_FIELD_LENGTH} characters, not ${field.length}`,
      );
    }
    const where = `filters.${field}`;
    if (!Array.isArray(wanted)) checkValue(wanted, where);
    else if (wanted.length === 0 || wanted.length > MAX_FILTER_VALUES) {
      throw new Error(`${where}: a list of 1-${MAX_FILTER_VALUES} values, not ${wanted.length}`);
    } else {
      for (const [index, value] of wanted.entries()) checkValue(value, `${where}[${index}]`);
    }
  }
  return filters as Filters;
}

type Matcher = (item: Readonly<Record<string, unknown>>) => boolean;

/** A test per field, with the wanted values in sets (strings lowercased) so each item costs O(fields). */
function compile(filters: unknown): Matcher {
  const tests = Object.entries(validateFilters(filters)).map(([field, wanted]) => {
    const strings = new Set<string>();
    const others = new Set<number | boolean>();
    for (const value of Array.isArray(wanted) ? wanted : [wanted]) {
      if (typeof value === "string") strings.add(value.toLowerCase());
      else others.add(value);
    }
    const accepts = (actual: unknown) =>
      typeof actual === "string"
        ? strings.has(actual.toLowerCase())
        : (typeof actual === "number" || typeof actual === "boolean") && others.has(actual);
    return (item: Readonly<Record<string, unknown>>) => {
      const actual = Object.hasOwn(item, field) ? item[field] : undefined;
      return Array.isArray(actual) ? actual.some(accepts) : accepts(actual);
    };
  });
  return (item) => tests.every((test) => test(item));
}

/** Whether one item passes the filters (validated first). */
export function matchFilters(item: Readonly<Record<string, unknown>>, filters: unknown): boolean {
  return compile(filters)(item);
}

/** Once per query: 1 for each item that passes, 0 otherwise, for every ranking to read. */
export function allowMask(
  items: ReadonlyArray<Readonly<Record<string, unknown>>>,
  filters: unknown,
): Uint8Array {
  const passes = compile(filters);
  const mask = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) mask[i] = passes(items[i] as Record<string, unknown>) ? 1 : 0;
  return mask;
}

export type FilterValue = string | number | boolean;
export type Filters = Record<string, FilterValue | FilterValue[]>;

const MAX_FIELDS = 10;

const same = (a: unknown, b: FilterValue) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * Whether an item passes every filter: its field equals the value — or one of a list of values — and a
 * list field (genres, cast) passes if it contains one. Strings compare case-insensitively.
 */
export function matches(item: Record<string, unknown>, filters: Filters): boolean {
  return Object.entries(filters).every(([field, wanted]) => {
    const values = Array.isArray(wanted) ? wanted : [wanted];
    const actual = Object.hasOwn(item, field) ? item[field] : undefined;
    const present = Array.isArray(actual) ? actual : [actual];
    return values.some((value) => present.some((candidate) => same(candidate, value)));
  });
}

/** One byte per item, 1 where the item passes: both rankings read the same mask. */
export function allowMask(items: ReadonlyArray<Record<string, unknown>>, filters: Filters): Uint8Array {
  if (Object.keys(filters).length > MAX_FIELDS) throw new Error(`at most ${MAX_FIELDS} fields`);
  const mask = new Uint8Array(items.length);
  items.forEach((item, index) => {
    mask[index] = matches(item, filters) ? 1 : 0;
  });
  return mask;
}

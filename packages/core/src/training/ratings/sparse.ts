/** Compressed sparse rows over a dataset: by user (a user's items) and by item (an item's users). */
import type { RatingsDataset } from "./dataset.js";

/** Row r's entries are indices/values[indptr[r] .. indptr[r + 1]), indices ascending. */
export interface Csr {
  rows: number;
  columns: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** A CSR from coordinate triples (counting sort: O(nnz + rows), stable, so ascending columns in, ascending out). */
export function csrOf(
  rowOf: Int32Array,
  columnOf: Int32Array,
  values: Float32Array,
  rows: number,
  columns: number,
): Csr {
  const indptr = new Int32Array(rows + 1);
  for (let e = 0; e < rowOf.length; e++)
    indptr[(rowOf[e] as number) + 1] = (indptr[(rowOf[e] as number) + 1] as number) + 1;
  for (let r = 0; r < rows; r++) indptr[r + 1] = (indptr[r + 1] as number) + (indptr[r] as number);
  const next = indptr.slice(0, rows);
  const indices = new Int32Array(rowOf.length);
  const out = new Float32Array(rowOf.length);
  const order = sortedByColumn(columnOf, columns);
  for (const e of order) {
    const r = rowOf[e] as number;
    const at = next[r] as number;
    next[r] = at + 1;
    indices[at] = columnOf[e] as number;
    out[at] = values[e] as number;
  }
  return { rows, columns, indptr, indices, values: out };
}

function sortedByColumn(columnOf: Int32Array, columns: number): Int32Array {
  const start = new Int32Array(columns + 1);
  for (let e = 0; e < columnOf.length; e++)
    start[(columnOf[e] as number) + 1] = (start[(columnOf[e] as number) + 1] as number) + 1;
  for (let c = 0; c < columns; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const order = new Int32Array(columnOf.length);
  for (let e = 0; e < columnOf.length; e++) {
    const c = columnOf[e] as number;
    order[start[c] as number] = e;
    start[c] = (start[c] as number) + 1;
  }
  return order;
}

const byUserCache = new WeakMap<RatingsDataset, Csr>();
const byItemCache = new WeakMap<RatingsDataset, Csr>();

function cachedCsr(cache: WeakMap<RatingsDataset, Csr>, dataset: RatingsDataset, build: () => Csr): Csr {
  let csr = cache.get(dataset);
  if (!csr) {
    csr = build();
    cache.set(dataset, csr);
  }
  return csr;
}

/** users × items: row u holds u's items and values. Cached per dataset object. */
export const byUser = (dataset: RatingsDataset): Csr =>
  cachedCsr(byUserCache, dataset, () =>
    csrOf(dataset.users, dataset.items, dataset.ratings, dataset.userIds.length, dataset.itemIds.length),
  );

/** items × users: row i holds i's users and values. Cached per dataset object. */
export const byItem = (dataset: RatingsDataset): Csr =>
  cachedCsr(byItemCache, dataset, () =>
    csrOf(dataset.items, dataset.users, dataset.ratings, dataset.itemIds.length, dataset.userIds.length),
  );

/** The entries of row r as [start, end) offsets into indices/values. */
export const rowRange = (csr: Csr, r: number): [number, number] => [
  csr.indptr[r] as number,
  csr.indptr[r + 1] as number,
];

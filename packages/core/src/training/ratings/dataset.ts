/**
 * The ingested ratings: one row per (user, item) as parallel typed arrays, ids kept beside them.
 * Users are pseudonyms (HMAC of the uploaded id, see ingest/pseudonym.ts): no uploaded user id is in here.
 * Rows are in canonical order (user index, then item index), so the same content gives the same dataset
 * and the same fingerprint whatever the order of the uploaded file.
 */
import { fingerprintOf } from "./ingest/fingerprint.js";

/** Item metadata from u.item / movies.dat: `genres` is items × genreNames.length, 1 where the film has it. */
export interface ItemMetadata {
  titles: readonly string[];
  /** Release year, 0 when unknown. */
  years: Int32Array;
  genreNames: readonly string[];
  genres: Uint8Array;
}

export interface RatingsDataset {
  /** Row r: user `users[r]` gave item `items[r]` the value `ratings[r]` at `timestamps[r]` (unix s, 0 if none). */
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  timestamps: Float64Array;
  /** userIds[u]: the pseudonym of user index u. */
  userIds: readonly string[];
  /** itemIds[i]: item index i's id as uploaded (MovieLens ids stay strings such as "242"). */
  itemIds: readonly string[];
  /** true for implicit events (`weight`): every row counts as a positive, its value as a confidence. */
  implicit: boolean;
  metadata?: ItemMetadata;
  /** sha256 of the canonical content (see ingest/fingerprint.ts). */
  fingerprint: string;
}

export const userCount = (dataset: RatingsDataset): number => dataset.userIds.length;
export const itemCount = (dataset: RatingsDataset): number => dataset.itemIds.length;

/** The rows at `rows` (ascending), same ids and metadata: train and test parts of a split. */
export function subsetRows(dataset: RatingsDataset, rows: Int32Array): RatingsDataset {
  const pick = <T extends Int32Array | Float32Array | Float64Array>(values: T, out: T): T => {
    for (let r = 0; r < rows.length; r++) out[r] = values[rows[r] as number] as number;
    return out;
  };
  const subset: RatingsDataset = {
    ...dataset,
    users: pick(dataset.users, new Int32Array(rows.length)),
    items: pick(dataset.items, new Int32Array(rows.length)),
    ratings: pick(dataset.ratings, new Float32Array(rows.length)),
    timestamps: pick(dataset.timestamps, new Float64Array(rows.length)),
    fingerprint: "",
  };
  subset.fingerprint = fingerprintOf(subset);
  return subset;
}

/** Number of rows per user (or per item with `"items"`). */
export function countsOf(dataset: RatingsDataset, by: "users" | "items"): Int32Array {
  const counts = new Int32Array(by === "users" ? userCount(dataset) : itemCount(dataset));
  const index = by === "users" ? dataset.users : dataset.items;
  for (let r = 0; r < index.length; r++)
    counts[index[r] as number] = (counts[index[r] as number] as number) + 1;
  return counts;
}

/** Mean value over all rows (0 for an empty dataset). */
export function globalMean(dataset: RatingsDataset): number {
  let sum = 0;
  for (let r = 0; r < dataset.ratings.length; r++) sum += dataset.ratings[r] as number;
  return dataset.ratings.length === 0 ? 0 : sum / dataset.ratings.length;
}

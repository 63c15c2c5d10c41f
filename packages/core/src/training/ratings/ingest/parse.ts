/**
 * Ratings files as people download them, into a RatingsDataset:
 *   - MovieLens-100k `u.data`: TSV, no header, `user item rating timestamp`;
 *   - MovieLens-1M `ratings.dat`: `user::item::rating::timestamp`;
 *   - CSV with a header: `user,item,rating[,timestamp]` (explicit) or `user,item,weight` (implicit events);
 * and item metadata: `u.item` (pipe-separated, latin-1, 19 genre flags) or `movies.dat`
 * (`item::title::Genre|Genre`, latin-1). Users are pseudonymised as they are read; every problem is counted
 * in a ProblemLog with its line (duplicates included: they fail the job, they are never dropped).
 */
import type { ItemMetadata, RatingsDataset } from "../dataset.js";
import { fingerprintOf } from "./fingerprint.js";
import { type ProblemLog, quoted } from "./problems.js";

export type RatingsFormat = "u.data" | "ratings.dat" | "csv";
export type ItemsFormat = "u.item" | "movies.dat";

/** MovieLens-100k's genre columns of u.item, in order (u.genre). */
export const ML100K_GENRES = [
  "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
  "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
] as const; // biome-ignore format: a table

export function ratingsFormatOf(fileName: string): RatingsFormat | undefined {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1).toLowerCase();
  if (base === "u.data" || /^u\d\.(base|test)$/.test(base) || base.endsWith(".tsv")) return "u.data";
  if (base === "ratings.dat") return "ratings.dat";
  if (base.endsWith(".csv")) return "csv";
  return undefined;
}

export function itemsFormatOf(fileName: string): ItemsFormat | undefined {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1).toLowerCase();
  if (base === "u.item") return "u.item";
  if (base === "movies.dat") return "movies.dat";
  return undefined;
}

function* lines(text: string): Generator<[number, string]> {
  let start = 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const value = text.slice(start, end).replace(/\r$/, "");
    if (value.trim() !== "") yield [line, value];
    start = end + 1;
    line++;
  }
}

const latin1 = new TextDecoder("latin1");

/** Text of a file: UTF-8 when it is valid UTF-8, else latin-1 (MovieLens' own encoding). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export interface RawRating {
  user: string;
  item: string;
  value: number;
  timestamp: number;
}

const CSV_USER = ["user", "user_id", "userid"];
const CSV_ITEM = ["item", "item_id", "itemid", "movie", "movie_id", "movieid"];

function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(",").map((cell) => cell.trim());
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      cells.push(cell.trim());
      cell = "";
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/** Reads one ratings file's rows into `out`, problems into `log`; true when the file is implicit. */
export function readRatings(
  bytes: Uint8Array,
  format: RatingsFormat,
  file: string,
  log: ProblemLog,
  out: RawRating[],
): boolean {
  const text = decodeText(bytes);
  let columns = { user: 0, item: 1, value: 2, timestamp: 3 as number | undefined, count: 4 };
  let implicit = false;
  let split = (line: string) => line.split(format === "u.data" ? /\t/ : "::");
  let first = true;
  let rows = 0;
  for (const [line, value] of lines(text)) {
    if (first && format === "csv") {
      first = false;
      const header = splitCsv(value).map((name) => name.toLowerCase());
      const find = (names: readonly string[]) => header.findIndex((name) => names.includes(name));
      const rating = header.indexOf("rating");
      const weight = header.indexOf("weight");
      const user = find(CSV_USER);
      const item = find(CSV_ITEM);
      if (user < 0 || item < 0 || (rating < 0 && weight < 0)) {
        log.add(
          "header",
          file,
          line,
          `found ${header.map(quoted).join(", ")}; need user, item and rating or weight`,
        );
        return false;
      }
      implicit = rating < 0;
      const timestamp = header.indexOf("timestamp");
      columns = {
        user,
        item,
        value: implicit ? weight : rating,
        timestamp: timestamp < 0 ? undefined : timestamp,
        count: header.length,
      };
      split = splitCsv;
      continue;
    }
    first = false;
    rows++;
    const cells = split(value);
    const expected = format === "csv" ? columns.count : 4;
    if (cells.length !== expected) {
      log.add("columns", file, line, `${cells.length} columns, expected ${expected}`);
      continue;
    }
    const user = (cells[columns.user] ?? "").trim();
    const item = (cells[columns.item] ?? "").trim();
    if (user === "" || item === "") {
      log.add("missing-id", file, line, user === "" ? "the user id is empty" : "the item id is empty");
      continue;
    }
    const rawValue = (cells[columns.value] ?? "").trim();
    const rating = Number(rawValue);
    if (rawValue === "" || !Number.isFinite(rating) || (implicit && rating <= 0)) {
      log.add("rating", file, line, `${implicit ? "weight" : "rating"} ${quoted(rawValue)}`);
      continue;
    }
    const rawTime = columns.timestamp === undefined ? "" : (cells[columns.timestamp] ?? "").trim();
    const timestamp = rawTime === "" ? 0 : Number(rawTime);
    if (!Number.isFinite(timestamp)) {
      log.add("timestamp", file, line, `timestamp ${quoted(rawTime)}`);
      continue;
    }
    out.push({ user, item, value: rating, timestamp });
  }
  if (rows === 0) log.add("empty-file", file, 0, "no ratings");
  return implicit;
}

/** Item metadata keyed by item id as uploaded. */
export interface RawItem {
  title: string;
  year: number;
  genres: string[];
}

export function readItems(
  bytes: Uint8Array,
  format: ItemsFormat,
  file: string,
  log: ProblemLog,
): Map<string, RawItem> {
  const items = new Map<string, RawItem>();
  const text = format === "u.item" ? latin1.decode(bytes) : decodeText(bytes);
  for (const [line, value] of lines(text)) {
    const cells = format === "u.item" ? value.split("|") : value.split("::");
    const expected = format === "u.item" ? 5 + ML100K_GENRES.length : 3;
    if (cells.length !== expected) {
      log.add("items-columns", file, line, `${cells.length} fields, expected ${expected}`);
      continue;
    }
    const [id = "", titleAndYear = ""] = cells;
    const match = /^(.*?)\s*\((\d{4})\)\s*$/.exec(titleAndYear);
    const genres =
      format === "u.item"
        ? ML100K_GENRES.filter((_, g) => cells[5 + g] === "1")
        : (cells[2] ?? "").split("|").filter(Boolean);
    items.set(id.trim(), {
      title: (match?.[1] ?? titleAndYear).trim(),
      year: Number(match?.[2] ?? 0),
      genres,
    });
  }
  return items;
}

export interface IngestResult {
  dataset: RatingsDataset | undefined;
  log: ProblemLog;
  rows: number;
}

/** Builds the dataset from raw rows: pseudonyms, canonical order, duplicates and one-value checks. */
export function buildDataset(
  raw: readonly RawRating[],
  implicit: boolean,
  items: Map<string, RawItem> | undefined,
  pseudonym: (userId: string) => string,
  log: ProblemLog,
  file: string,
): RatingsDataset | undefined {
  const userIds = [...new Set(raw.map((row) => pseudonym(row.user)))].sort();
  const userIndex = new Map(userIds.map((id, index) => [id, index]));
  const itemSet = new Set(raw.map((row) => row.item));
  if (items) for (const id of items.keys()) itemSet.add(id);
  const itemIds = [...itemSet].sort(compareIds);
  const itemIndex = new Map(itemIds.map((id, index) => [id, index]));
  const order = raw.map((row, at) => ({
    u: userIndex.get(pseudonym(row.user)) as number,
    i: itemIndex.get(row.item) as number,
    at,
  }));
  order.sort((a, b) => a.u - b.u || a.i - b.i || a.at - b.at);
  const kept = order.filter((row, position) => {
    const previous = order[position - 1];
    if (previous && previous.u === row.u && previous.i === row.i) {
      log.add("duplicate", file, 0, `item ${quoted((raw[row.at] as RawRating).item)} again for one user`);
      return false;
    }
    return true;
  });
  if (
    !implicit &&
    kept.length > 0 &&
    kept.every((row) => raw[row.at]?.value === raw[kept[0]?.at ?? 0]?.value)
  ) {
    log.add("single-rating", file, 0, `every rating is ${raw[kept[0]?.at ?? 0]?.value}`);
  }
  if (log.hasErrors || kept.length === 0) return undefined;
  const dataset: RatingsDataset = {
    users: Int32Array.from(kept, (row) => row.u),
    items: Int32Array.from(kept, (row) => row.i),
    ratings: Float32Array.from(kept, (row) => (raw[row.at] as RawRating).value),
    timestamps: Float64Array.from(kept, (row) => (raw[row.at] as RawRating).timestamp),
    userIds,
    itemIds,
    implicit,
    metadata: items ? metadataOf(itemIds, items) : undefined,
    fingerprint: "",
  };
  dataset.fingerprint = fingerprintOf(dataset);
  return dataset;
}

/** Numeric ids in numeric order ("2" before "10"), then the rest as strings. */
function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isInteger(x) && Number.isInteger(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function metadataOf(itemIds: readonly string[], items: Map<string, RawItem>): ItemMetadata {
  const genreNames = [...new Set([...items.values()].flatMap((item) => item.genres))].sort();
  const genres = new Uint8Array(itemIds.length * genreNames.length);
  itemIds.forEach((id, i) => {
    for (const genre of items.get(id)?.genres ?? [])
      genres[i * genreNames.length + genreNames.indexOf(genre)] = 1;
  });
  return {
    titles: itemIds.map((id) => items.get(id)?.title ?? ""),
    years: Int32Array.from(itemIds, (id) => items.get(id)?.year ?? 0),
    genreNames,
    genres,
  };
}

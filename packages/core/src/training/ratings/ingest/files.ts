/**
 * A data set as uploaded — one ratings file (u.data, ratings.dat or a CSV) and at most one item file
 * (u.item, movies.dat) — into a RatingsDataset, or the problems that stop it (every one counted).
 */
import type { RatingsDataset } from "../dataset.js";
import {
  buildDataset,
  itemsFormatOf,
  type RawItem,
  type RawRating,
  ratingsFormatOf,
  readItems,
  readRatings,
} from "./parse.js";
import { ProblemLog } from "./problems.js";

export interface UploadedFile {
  /** The file's name (the last segment of its key). */
  name: string;
  bytes: Uint8Array;
}

export interface Ingested {
  dataset: RatingsDataset | undefined;
  log: ProblemLog;
  /** Files that are neither ratings nor items (ignored, and said so in the report). */
  ignored: string[];
}

export function ingestFiles(files: readonly UploadedFile[], pseudonym: (id: string) => string): Ingested {
  const log = new ProblemLog();
  const ratingFiles = files.flatMap((file) => {
    const format = ratingsFormatOf(file.name);
    return format ? [{ file, format }] : [];
  });
  const itemFiles = files.flatMap((file) => {
    const format = itemsFormatOf(file.name);
    return format ? [{ file, format }] : [];
  });
  const ignored = files
    .filter((file) => !ratingsFormatOf(file.name) && !itemsFormatOf(file.name))
    .map((file) => file.name);
  const ratings = ratingFiles[0];
  if (!ratings || ratingFiles.length > 1 || itemFiles.length > 1) {
    const found = files.map((file) => file.name).join(", ") || "no files";
    log.add("files", "(data set)", 0, `found ${found}`);
    return { dataset: undefined, log, ignored };
  }
  const raw: RawRating[] = [];
  const implicit = readRatings(ratings.file.bytes, ratings.format, ratings.file.name, log, raw);
  let items: Map<string, RawItem> | undefined;
  const itemFile = itemFiles[0];
  if (itemFile) items = readItems(itemFile.file.bytes, itemFile.format, itemFile.file.name, log);
  const dataset = buildDataset(raw, implicit, items, pseudonym, log, ratings.file.name);
  return { dataset, log, ignored };
}

/**
 * The training-data fingerprint: sha256 over a canonical text of the dataset, one JSON array per row
 * `[userPseudonym, itemId, rating, timestamp]` in the dataset's canonical row order, then (with metadata)
 * one `[itemId, title, year, genre names…]` per item. Same content, same fingerprint, whatever the upload's
 * row order; pseudonyms (not uploaded ids) go in, so it reveals nothing a pseudonym does not.
 */
import { createHash } from "node:crypto";
import type { RatingsDataset } from "../dataset.js";

const CHUNK_ROWS = 8192;

export function fingerprintOf(dataset: RatingsDataset): string {
  const hash = createHash("sha256");
  hash.update(`marquee-ratings/1 ${dataset.implicit ? "implicit" : "explicit"}\n`);
  let lines: string[] = [];
  for (let r = 0; r < dataset.users.length; r++) {
    lines.push(
      JSON.stringify([
        dataset.userIds[dataset.users[r] as number],
        dataset.itemIds[dataset.items[r] as number],
        dataset.ratings[r],
        dataset.timestamps[r],
      ]),
    );
    if (lines.length === CHUNK_ROWS) {
      hash.update(`${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) hash.update(`${lines.join("\n")}\n`);
  const metadata = dataset.metadata;
  if (metadata) {
    hash.update("items\n");
    const genreCount = metadata.genreNames.length;
    for (let i = 0; i < dataset.itemIds.length; i++) {
      const genres = metadata.genreNames.filter((_, g) => metadata.genres[i * genreCount + g] === 1);
      hash.update(
        `${JSON.stringify([dataset.itemIds[i], metadata.titles[i], metadata.years[i], ...genres])}\n`,
      );
    }
  }
  return hash.digest("hex");
}

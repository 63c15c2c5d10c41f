import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { sharedData } from "./shared.js";

export interface Review {
  id: string;
  positive: boolean;
  text: string;
}

/** ../shared/data/reviews/imdb-4000.csv: id, sentiment (1 = positive), review. */
export function imdbReviews(): Review[] {
  const rows = parse(readFileSync(sharedData("reviews/imdb-4000.csv")), { columns: true }) as Array<
    Record<string, string>
  >;
  return rows.map((row) => ({ id: row.id ?? "", positive: row.sentiment === "1", text: row.review ?? "" }));
}

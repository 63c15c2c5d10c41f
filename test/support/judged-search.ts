import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./shared.js";

export interface JudgedQuery {
  query: string;
  relevant: { genres?: string[]; cast?: string; text?: string };
}

export const judgedQueries = (): JudgedQuery[] =>
  (
    JSON.parse(readFileSync(path.join(repoRoot, "test/fixtures/search/judged-queries.json"), "utf8")) as {
      queries: JudgedQuery[];
    }
  ).queries;

type Film = { genres?: string[]; cast?: string[]; extract?: string };

export function isRelevant(film: Film, rule: JudgedQuery["relevant"]): boolean {
  if (rule.genres) return (film.genres ?? []).some((genre) => rule.genres?.includes(genre));
  if (rule.cast) return (film.cast ?? []).includes(rule.cast);
  if (rule.text) return (film.extract ?? "").toLowerCase().includes(rule.text.toLowerCase());
  return false;
}

/** Precision@k and nDCG@k (binary gains; the ideal ranks all `relevantInCatalogue` first) of one list. */
export function scoreRanking(
  films: Film[],
  rule: JudgedQuery["relevant"],
  relevantInCatalogue: number,
  k = 10,
) {
  const gains = films.slice(0, k).map((film) => (isRelevant(film, rule) ? 1 : 0));
  const dcg = gains.reduce((sum: number, gain, index) => sum + gain / Math.log2(index + 2), 0);
  const ideal = Array.from(
    { length: Math.min(k, relevantInCatalogue) },
    (_, index) => 1 / Math.log2(index + 2),
  );
  const idcg = ideal.reduce((sum, value) => sum + value, 0);
  return {
    precision: gains.reduce((sum: number, gain) => sum + gain, 0) / k,
    ndcg: idcg > 0 ? dcg / idcg : 0,
  };
}

import { gaussian, seededRandom } from "../../packages/core/src/training/random.js";
import { buildDataset, type RawRating } from "../../packages/core/src/training/ratings/ingest/parse.js";
import { ProblemLog } from "../../packages/core/src/training/ratings/ingest/problems.js";
import { pseudonymiser } from "../../packages/core/src/training/ratings/ingest/pseudonym.js";

export const TEST_KEY = "a-test-pseudonym-key-0123456789";

/**
 * Ratings with a known latent structure: users and items have `factors`-dimensional tastes and traits,
 * a rating is 3 + 1.5 × (taste · trait) + noise, rounded into 1..5; each user rates `perUser` items chosen
 * at random; timestamps increase with the row. Genres are each item's dominant trait.
 */
export function syntheticRows(users = 200, items = 150, perUser = 40, factors = 3, seed = 3) {
  const random = seededRandom(seed);
  const normal = gaussian(random);
  const taste = Array.from({ length: users }, () => Array.from({ length: factors }, normal));
  const trait = Array.from({ length: items }, () => Array.from({ length: factors }, normal));
  const raw: RawRating[] = [];
  let time = 1_000_000;
  for (let u = 0; u < users; u++) {
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(Math.floor(random() * items));
    for (const i of chosen) {
      const dot = (taste[u] as number[]).reduce(
        (sum, t, d) => sum + t * ((trait[i] as number[])[d] as number),
        0,
      );
      const rating = Math.min(
        5,
        Math.max(1, Math.round(3 + (dot / Math.sqrt(factors)) * 1.5 + normal() * 0.3)),
      );
      raw.push({ user: `u${u}`, item: String(i + 1), value: rating, timestamp: time++ });
    }
  }
  const catalogue = new Map(
    trait.map((t, i) => [
      String(i + 1),
      { title: `Film ${i + 1}`, year: 1990 + (i % 10), genres: [`g${t.indexOf(Math.max(...t))}`] },
    ]),
  );
  return { raw, catalogue };
}

export function syntheticRatings(users = 200, items = 150, perUser = 40, factors = 3, seed = 3) {
  const { raw, catalogue } = syntheticRows(users, items, perUser, factors, seed);
  const log = new ProblemLog();
  const dataset = buildDataset(raw, false, catalogue, pseudonymiser(TEST_KEY), log, "synthetic.csv");
  if (!dataset) throw new Error(JSON.stringify(log.summaries()));
  return dataset;
}

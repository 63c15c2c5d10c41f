/**
 * Class probabilities of texts under any sentiment model, one row per text in the model's label order:
 * pretrained classifiers run their token windows (a long text's windows averaged); a trained hashed-linear
 * version runs its base model first when it is stacked on one, then its linear graph.
 */
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { runSequences } from "../../text/run-sequences.js";
import type { TaskContext } from "../types.js";
import { classifierFor } from "./classifiers.js";
import { linearProbabilities } from "./linear.js";

/** Sequences per session.run: large enough to amortise the call, small enough to bound padding. */
export const MAX_BATCH = 32;
/** Padded positions per session.run: long and short reviews do not share a batch. */
export const MAX_BATCH_TOKENS = 8192;

export interface Probabilities {
  labels: readonly string[];
  rows: Float64Array[];
  /** Every model that ran (a stacked version's base model too). */
  used: ModelEntry[];
}

async function pretrained(entry: ModelEntry, texts: readonly string[], context: TaskContext) {
  const classifier = await classifierFor(entry, context.models);
  const owners: number[] = [];
  const windows: number[][] = [];
  await context.timings.measure("preprocess", () => {
    texts.forEach((text, index) => {
      for (const window of classifier.windows(text)) {
        owners.push(index);
        windows.push(window);
      }
    });
  });
  const rows = await runSequences(context, entry, windows, {
    padId: classifier.padId,
    maxBatch: MAX_BATCH,
    maxTokens: MAX_BATCH_TOKENS,
    rows: classifier.probabilities,
  });
  const sums = texts.map(() => new Float64Array(classifier.labels.length));
  const counts = new Uint32Array(texts.length);
  rows.forEach((row, index) => {
    const owner = owners[index] as number;
    counts[owner] = (counts[owner] as number) + 1;
    const sum = sums[owner] as Float64Array;
    row.forEach((p, label) => {
      sum[label] = (sum[label] as number) + p;
    });
  });
  sums.forEach((sum, index) => {
    const count = Math.max(1, counts[index] as number);
    for (let c = 0; c < sum.length; c++) sum[c] = (sum[c] as number) / count;
  });
  return { labels: classifier.labels, rows: sums, used: [entry] };
}

export async function probabilitiesOf(
  entry: ModelEntry,
  texts: readonly string[],
  context: TaskContext,
): Promise<Probabilities> {
  if (entry.format !== "hashed-linear") return pretrained(entry, texts, context);
  return linearProbabilities(entry, texts, context, pretrained);
}

/** Another model's class probabilities for a job's examples: its stacking feature and its test scores. */
import { classificationReport } from "../sentiment/evaluate.js";
import type { LabelledExample } from "../sentiment/ingest.js";
import { stackFeature } from "../sentiment/linear-file.js";
import type { ClassifierScores } from "./report-classification.js";

export interface Scored {
  labels: readonly string[];
  /** One probability row per text, in the model's label order. */
  rows: Float64Array[];
  model: { id: string; version: string };
}

/** Each example's one extra feature: the base model's logit of `label`. */
export function stackFeatures(
  base: Scored,
  examples: readonly LabelledExample[],
  label: string,
): Map<LabelledExample, Float32Array> {
  const column = base.labels.indexOf(label);
  if (column < 0) throw new Error(`${base.model.id} has no label "${label}"`);
  return new Map(
    examples.map((example, index) => [
      example,
      Float32Array.of(stackFeature((base.rows[index] as Float64Array)[column] as number)),
    ]),
  );
}

/**
 * `scored` (rows for `examples`) as metrics in the data set's label order, overall and per source file;
 * undefined when the model's labels are not the data set's.
 */
export function scoresOn(
  scored: Scored,
  labels: readonly string[],
  examples: readonly LabelledExample[],
): ClassifierScores | undefined {
  const columns = labels.map((label) => scored.labels.indexOf(label));
  if (scored.labels.length !== labels.length || columns.some((column) => column < 0)) return undefined;
  const rows = scored.rows.map((row) => columns.map((column) => row[column] as number));
  const reportOf = (indexes: number[]) =>
    classificationReport(
      labels,
      indexes.map((index) => (examples[index] as LabelledExample).label),
      indexes.map((index) => rows[index] as number[]),
    );
  const bySource: Record<string, number[]> = {};
  examples.forEach((example, index) => {
    const members = bySource[example.source] ?? [];
    members.push(index);
    bySource[example.source] = members;
  });
  return {
    model: { ...scored.model },
    overall: reportOf(examples.map((_, index) => index)),
    bySource: Object.fromEntries(
      Object.entries(bySource).map(([source, indexes]) => [source, reportOf(indexes)]),
    ),
  };
}

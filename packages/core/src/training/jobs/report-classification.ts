/**
 * The classifier part of a training report: the trained version and the current default scored on the
 * same held-out split (overall and per source file), per-class precision / recall / F1, log loss, the
 * confusion matrices and the promotion decision.
 */
import type { ClassificationReport } from "../sentiment/evaluate.js";
import { type ChartList, escapeHtml, figure, table } from "./report-parts.js";

export interface ClassifierScores {
  model: { id: string; version: string };
  overall: ClassificationReport;
  bySource: Record<string, ClassificationReport>;
}

export interface ClassificationSection {
  split: { testFraction: number; seed: number; train: number; test: number };
  trained: ClassifierScores;
  /** The current default on the same test split; absent when there is none with these labels. */
  baseline?: ClassifierScores;
  promotion: { promoted: boolean; reason: string };
}

const nameOf = (scores: ClassifierScores) => `${scores.model.id}@${scores.model.version}`;

/** The models compared, trained first, each with its role. */
function compared(section: ClassificationSection): Array<{ scores: ClassifierScores; role: string }> {
  const trained = { scores: section.trained, role: "trained" };
  return section.baseline ? [trained, { scores: section.baseline, role: "current default" }] : [trained];
}

function metricRows(scored: ClassifierScores[]): unknown[][] {
  const labels = scored[0]?.overall.labels ?? [];
  const rows: unknown[][] = [
    ["accuracy", ...scored.map((s) => figure(s.overall.accuracy))],
    ["macro F1", ...scored.map((s) => figure(s.overall.macroF1))],
    ["log loss", ...scored.map((s) => figure(s.overall.logLoss))],
  ];
  labels.forEach((label, c) => {
    for (const metric of ["precision", "recall", "f1"] as const) {
      rows.push([`${label} ${metric}`, ...scored.map((s) => figure(s.overall.perClass[c]?.[metric]))]);
    }
  });
  return rows;
}

function confusion(scores: ClassifierScores, role: string): string {
  const { labels, confusion: counts } = scores.overall;
  return `<h3>Confusion matrix, ${escapeHtml(role)} (rows: true label; columns: predicted)</h3>${table(
    ["", ...labels],
    labels.map((label, row) => [label, ...(counts[row] ?? [])]),
  )}`;
}

export function classificationHtml(section: ClassificationSection): string {
  const models = compared(section);
  const scored = models.map((model) => model.scores);
  const { split } = section;
  const sources = Object.keys(section.trained.bySource);
  return `<h2>Held-out test split (${Math.round(split.testFraction * 100)} % of each label, seed ${split.seed}: ${
    split.train
  } training, ${split.test} test examples)</h2>${table(
    ["metric", ...models.map(({ scores, role }) => `${role}: ${nameOf(scores)}`)],
    metricRows(scored),
  )}<h3>Accuracy per source file</h3>${table(
    ["file", "test examples", ...models.map((model) => model.role)],
    sources.map((source) => [
      source,
      section.trained.bySource[source]?.examples,
      ...scored.map((s) => figure(s.bySource[source]?.accuracy)),
    ]),
  )}${models.map(({ scores, role }) => confusion(scores, role)).join("")}<p class="promotion">${
    section.promotion.promoted ? "Promoted to default" : "Not promoted"
  }: ${escapeHtml(section.promotion.reason)}</p>`;
}

export function classificationCharts(section: ClassificationSection, charts: ChartList): void {
  const sources = Object.keys(section.trained.bySource);
  charts.bar(
    "Accuracy: trained and current default",
    ["all", ...sources],
    compared(section).map(({ scores: s, role }) => ({
      label: role,
      data: [s.overall.accuracy, ...sources.map((source) => s.bySource[source]?.accuracy ?? 0)],
    })),
  );
}

/**
 * A training job's report: report.json (everything measured) and report.html (the same, readable: tables
 * of each metric beside its baseline, the learning curve and a metric chart drawn by Chart.js, inlined so
 * the page works offline from a presigned URL).
 */
import type { Evaluation } from "../ratings/evaluate.js";
import type { ProblemSummary } from "../ratings/ingest/problems.js";
import {
  type ClassificationSection,
  classificationCharts,
  classificationHtml,
} from "./report-classification.js";
import { ChartList, escapeHtml, figure, table } from "./report-parts.js";
import type { JobStatus } from "./status.js";

export interface TrainingReport {
  job: Pick<
    JobStatus,
    "id" | "kind" | "dataset" | "algorithm" | "params" | "state" | "startedAt" | "timings"
  >;
  /** What was read: files, counts (ratings, users, items; or examples per label), the fingerprint. */
  data?: Record<string, string | number | boolean | string[]>;
  problems: ProblemSummary[];
  evaluation?: Evaluation;
  classification?: ClassificationSection;
  curve: Array<{ epoch: number; value: number; metric: string }>;
  model?: JobStatus["model"];
  error?: JobStatus["error"];
}

function metricTables(evaluation: Evaluation): string {
  const { model, popularity } = evaluation.ranking;
  const ranking = (["precision", "recall", "ndcg", "hitRate", "coverage"] as const).map((name) => [
    `${name}@${model.k}`,
    figure(model[name]),
    figure(popularity[name]),
    popularity[name] > 0 ? (model[name] / popularity[name]).toFixed(2) : "—",
  ]);
  let html = `<h2>Ranking: leave-last-${evaluation.split.holdOut} per user (${model.users} users)</h2>${table(
    ["metric", "model", "popularity", "× popularity"],
    ranking,
  )}`;
  const error = evaluation.ratingError;
  if (error) {
    html += `<h2>Rating error: random ${Math.round((1 - evaluation.split.testFraction) * 100)}/${Math.round(
      evaluation.split.testFraction * 100,
    )} split (${error.model.testRatings} test ratings)</h2>${table(
      ["metric", "model", "popularity"],
      [
        ["RMSE", figure(error.model.rmse), figure(error.popularity.rmse)],
        ["MAE", figure(error.model.mae), figure(error.popularity.mae)],
      ],
    )}`;
  }
  return html;
}

function charts(report: TrainingReport): { html: string; script: string } {
  const charts = new ChartList();
  if (report.evaluation) {
    const { model, popularity } = report.evaluation.ranking;
    const names = ["precision", "recall", "ndcg", "hitRate"] as const;
    charts.bar(
      "Model and baseline",
      names.map((name) => `${name}@${model.k}`),
      [
        { label: report.job.algorithm, data: names.map((name) => model[name]) },
        { label: "popularity", data: names.map((name) => popularity[name]) },
      ],
    );
  }
  if (report.classification) classificationCharts(report.classification, charts);
  if (report.curve.length > 0) {
    charts.add(`Learning curve (${report.curve[0]?.metric})`, {
      type: "line",
      data: {
        labels: report.curve.map((point) => point.epoch),
        datasets: [{ label: report.curve[0]?.metric, data: report.curve.map((point) => point.value) }],
      },
      options: { animation: false, scales: { x: { title: { display: true, text: "epoch" } } } },
    });
  }
  const script = `const configs = ${JSON.stringify(charts.configs).replace(/</g, "\\u003c")};
configs.forEach((config, i) => new Chart(document.getElementById("chart-" + i), config));
document.body.dataset.charts = String(configs.length);`;
  return { html: charts.blocks.join(""), script };
}

/** The page; `chartJs` is Chart.js's UMD bundle (chart.umd.min.js), inlined. */
export function reportHtml(report: TrainingReport, chartJs: string): string {
  const { job } = report;
  const summary = table(
    ["job", "kind", "data set", "algorithm", "state", "model version"],
    [[job.id, job.kind, job.dataset, job.algorithm, job.state, report.model?.version ?? "—"]],
  );
  const problems = report.problems.length
    ? `<h2>Problems in the data</h2>${table(
        ["file", "problem", "count", "rows (first ones)"],
        report.problems.map((p) => [
          p.file,
          p.message,
          p.count,
          p.rows.map((r) => `${r.row}: ${r.detail}`).join("; "),
        ]),
      )}`
    : "";
  const shown = Object.entries(report.data ?? {}).filter(([name]) => name !== "fingerprint");
  const data = shown.length
    ? table(
        shown.map(([name]) => name),
        [shown.map(([, value]) => (Array.isArray(value) ? value.join(", ") : value))],
      )
    : "";
  const { html: chartHtml, script } = charts(report);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Training report ${escapeHtml(job.id)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}canvas{max-height:22em}.error{color:#a00}</style>
</head><body><h1>Training report</h1>${summary}${data}
${report.error ? `<p class="error">${escapeHtml(report.error.code)}: ${escapeHtml(report.error.message)}</p>` : ""}
${problems}${report.evaluation ? metricTables(report.evaluation) : ""}${
  report.classification ? classificationHtml(report.classification) : ""
}${chartHtml}
<script>${chartJs.replace(/<\/script/gi, "<\\/script")}</script><script>${script}</script></body></html>
`;
}

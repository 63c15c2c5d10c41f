/**
 * A training job's report: report.json (everything measured) and report.html (the same, readable: tables
 * of each metric beside its baseline, the learning curve and a metric chart drawn by Chart.js, inlined so
 * the page works offline from a presigned URL).
 */
import type { Evaluation } from "../ratings/evaluate.js";
import type { ProblemSummary } from "../ratings/ingest/problems.js";
import type { JobStatus } from "./status.js";

export interface TrainingReport {
  job: Pick<
    JobStatus,
    "id" | "kind" | "dataset" | "algorithm" | "params" | "state" | "startedAt" | "timings"
  >;
  data?: {
    files: string[];
    ignored: string[];
    ratings: number;
    users: number;
    items: number;
    implicit: boolean;
    fingerprint: string;
  };
  problems: ProblemSummary[];
  evaluation?: Evaluation;
  curve: Array<{ epoch: number; value: number; metric: string }>;
  model?: JobStatus["model"];
  error?: JobStatus["error"];
}

const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const figure = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(4));

function table(head: string[], rows: unknown[][]): string {
  const cells = (row: unknown[], tag: string) =>
    row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join("");
  return `<table><thead><tr>${cells(head, "th")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${cells(row, "td")}</tr>`)
    .join("")}</tbody></table>`;
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
  const blocks: string[] = [];
  const configs: unknown[] = [];
  if (report.evaluation) {
    const { model, popularity } = report.evaluation.ranking;
    const names = ["precision", "recall", "ndcg", "hitRate"] as const;
    blocks.push(`<h2>Model and baseline</h2><canvas id="chart-${configs.length}"></canvas>`);
    configs.push({
      type: "bar",
      data: {
        labels: names.map((name) => `${name}@${model.k}`),
        datasets: [
          { label: report.job.algorithm, data: names.map((name) => model[name]) },
          { label: "popularity", data: names.map((name) => popularity[name]) },
        ],
      },
      options: { animation: false },
    });
  }
  if (report.curve.length > 0) {
    blocks.push(
      `<h2>Learning curve (${escapeHtml(report.curve[0]?.metric)})</h2><canvas id="chart-${configs.length}"></canvas>`,
    );
    configs.push({
      type: "line",
      data: {
        labels: report.curve.map((point) => point.epoch),
        datasets: [{ label: report.curve[0]?.metric, data: report.curve.map((point) => point.value) }],
      },
      options: { animation: false, scales: { x: { title: { display: true, text: "epoch" } } } },
    });
  }
  const script = `const configs = ${JSON.stringify(configs).replace(/</g, "\\u003c")};
configs.forEach((config, i) => new Chart(document.getElementById("chart-" + i), config));
document.body.dataset.charts = String(configs.length);`;
  return { html: blocks.join(""), script };
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
  const data = report.data
    ? table(
        ["files", "ratings", "users", "items", "implicit"],
        [
          [
            report.data.files.join(", "),
            report.data.ratings,
            report.data.users,
            report.data.items,
            report.data.implicit,
          ],
        ],
      )
    : "";
  const { html: chartHtml, script } = charts(report);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Training report ${escapeHtml(job.id)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}canvas{max-height:22em}.error{color:#a00}</style>
</head><body><h1>Training report</h1>${summary}${data}
${report.error ? `<p class="error">${escapeHtml(report.error.code)}: ${escapeHtml(report.error.message)}</p>` : ""}
${problems}${report.evaluation ? metricTables(report.evaluation) : ""}${chartHtml}
<script>${chartJs.replace(/<\/script/gi, "<\\/script")}</script><script>${script}</script></body></html>
`;
}

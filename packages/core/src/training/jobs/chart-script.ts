/**
 * Chart.js's UMD bundle for report.html, read once: beside the Lambda bundle (stacks copy it there, as
 * the `chartjs` asset), else from the installed package.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export const CHART_JS_FILE = "chart.umd.min.js";
let bundle: Promise<string> | undefined;

export function chartJsBundle(): Promise<string> {
  const beside = process.env.LAMBDA_TASK_ROOT && path.join(process.env.LAMBDA_TASK_ROOT, CHART_JS_FILE);
  bundle ??= readFile(
    beside && existsSync(beside)
      ? beside
      : path.join(path.dirname(createRequire(import.meta.url).resolve("chart.js")), CHART_JS_FILE),
    "utf8",
  );
  return bundle;
}

/** Chart.js's UMD bundle for report.html, read once from the installed package (a function ships it). */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

let bundle: Promise<string> | undefined;

export function chartJsBundle(): Promise<string> {
  bundle ??= readFile(
    path.join(path.dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js"),
    "utf8",
  );
  return bundle;
}

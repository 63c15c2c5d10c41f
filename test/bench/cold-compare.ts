/**
 * Packaged cold start to the first faces result, side by side in one run: the baseline commit's faces
 * function, today's, and today's with V8's default WebAssembly tiering (MAAS_WASM_TIERING_BUDGET=0),
 * interleaved run by run so machine noise falls on all three alike.
 */
import type { Twin } from "@marquee/core/twin";
import { BASELINE_COMMIT, baselineCheckout } from "./baseline.js";
import { type ColdOptions, type ColdRun, measureColdStarts } from "./cold.js";
import { median, round } from "./stats.js";

interface Variant {
  name: string;
  options: ColdOptions;
  runs: ColdRun[];
}

export async function compareColdStarts(twin: Twin, rounds: number, progress: (line: string) => void) {
  const variants: Variant[] = [
    { name: `baseline ${BASELINE_COMMIT}`, options: { root: await baselineCheckout() }, runs: [] },
    { name: "current", options: {}, runs: [] },
    { name: "current, V8 default tiering", options: { env: { MAAS_WASM_TIERING_BUDGET: "0" } }, runs: [] },
  ];
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const variant of variants) {
      progress(`cold start ${round_ + 1}/${rounds}: ${variant.name}`);
      variant.runs.push(...(await measureColdStarts(twin, 1, "bundle", variant.options)).runs);
    }
  }
  const rows = variants.map((variant) => ({
    variant: variant.name,
    totalMs: round(median(variant.runs.map((run) => run.totalMs))),
    initMs: round(median(variant.runs.map((run) => run.initMs))),
    firstInvokeMs: round(median(variant.runs.map((run) => run.firstInvokeMs))),
    runsTotalMs: variant.runs.map((run) => round(run.totalMs)),
  }));
  const [baseline, current] = rows;
  return {
    rows,
    currentOverBaseline: baseline && current ? round(current.totalMs / baseline.totalMs, 3) : Number.NaN,
  };
}

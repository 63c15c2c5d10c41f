import { MaasError } from "../../errors.js";
import { runTask } from "../../operations/inference.js";
import { parseWith, z } from "../../schema.js";
import type { Services } from "../../services.js";
import { recommendationsTask } from "../../tasks/recommendations/index.js";
import { RECOMMENDER_NAME } from "../../tasks/recommendations/recommender.js";
import type { ItemError, UnitOutcome } from "../records.js";
import { jobParts, type RowChunk, rowError, rowUnits } from "./row-chunks.js";
import { currentSources } from "./sources.js";
import type { BatchKind, SourceContext } from "./types.js";

/** `manifest.json` of a recommendations job: the recommender, and k for rows that give none. */
const manifestSchema = z.strictObject({
  recommender: z.string().regex(RECOMMENDER_NAME).optional(),
  k: z.int().min(1).max(100).optional(),
});

const ROW_OPTIONS = { required: ["user"], aliases: { user: ["user_id", "userid"] }, maxFieldChars: 200 };

/** Mistakes of a row (unknown user or recommender, bad k) are its own error line; anything else is retried. */
const isRowMistake = (error: unknown) =>
  error instanceof MaasError && (error.category === "not-found" || error.category === "input");

async function recommendChunk(chunk: RowChunk, manifest: unknown, services: Services) {
  const options = parseWith(manifestSchema, manifest ?? {}, "manifest");
  const lines = new Map<number, string>();
  const errors: ItemError[] = chunk.errors.map(rowError);
  const errorLine = (index: number, line: number, code: string, message: string) =>
    lines.set(index, JSON.stringify({ index, line, error: { code, message } }));
  for (const error of chunk.errors) errorLine(error.index, error.line, error.code, error.message);
  const outcome: UnitOutcome = { ok: 0, failed: chunk.errors.length, errors, models: [], timings: {} };
  for (const row of chunk.rows) {
    const user = String(row.fields.user);
    const recommender =
      row.fields.recommender === undefined ? options.recommender : String(row.fields.recommender);
    const k = row.fields.k === undefined || row.fields.k === "" ? (options.k ?? 10) : Number(row.fields.k);
    try {
      // Validated as the HTTP route validates it: a bad k or recommender is the row's own error.
      const request = parseWith(recommendationsTask.body, { recommender, user, k }, `row ${row.index}`);
      const { modelMs, ...result } = await runTask(recommendationsTask, request, services);
      outcome.models = result.models;
      for (const [phase, ms] of Object.entries({ ...result.timings, modelMs }))
        outcome.timings[phase] = (outcome.timings[phase] ?? 0) + ms;
      lines.set(
        row.index,
        JSON.stringify({ index: row.index, line: row.line, user, items: result.items, model: result.model }),
      );
      outcome.ok += 1;
    } catch (error) {
      if (!isRowMistake(error)) throw error;
      const { code, message } = error as MaasError;
      errorLine(row.index, row.line, code, message);
      errors.push({ item: `row ${row.index}`, line: row.line, code, message });
      outcome.failed += 1;
    }
  }
  const jsonl = [...lines.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, line]) => `${line}\n`)
    .join("");
  return { outcome, extra: { jsonl } };
}

/**
 * Users (CSV with a `user` column, optional `k` and `recommender`; or JSONL) under
 * uploads/recs-requests/<job>/, with `manifest.json` `{recommender, k?}` -> results/<job>/recommendations.jsonl:
 * one line per row in input order, `{index, line, user, items, model}` or the row's error.
 */
export const recsRequestsKind: BatchKind = {
  id: "recs-requests",
  expand: (context: SourceContext) =>
    rowUnits<{ jsonl: string }>(context, ROW_OPTIONS, (chunk) =>
      recommendChunk(chunk, context.manifest, context.services),
    ),
  async finalize(job, services) {
    const sources = await currentSources(job, services);
    const lines = (async function* () {
      for await (const part of jobParts<{ jsonl: string }>(job, services, sources)) yield part.extra.jsonl;
    })();
    const key = `results/${job}/recommendations.jsonl`;
    await services.results.putStream(key, lines, { contentType: "application/x-ndjson" });
    return [key];
  },
};

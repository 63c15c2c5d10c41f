import { runTask } from "../../operations/inference.js";
import { modelId, parseWith, z } from "../../schema.js";
import type { Services } from "../../services.js";
import { putJson } from "../../storage/blob-store.js";
import { MAX_TEXT_CHARS, MAX_TEXTS, sentimentTask } from "../../tasks/sentiment/index.js";
import type { ItemError, UnitOutcome } from "../records.js";
import { jobParts, type RowChunk, rowError, rowUnits } from "./row-chunks.js";
import { currentSources } from "./sources.js";
import { addRow, excerptOf, mergeTables, type TitleTable, titlesReport } from "./titles.js";
import type { BatchKind, SourceContext } from "./types.js";

/** `manifest.json` of a text job: the sentiment model to use. */
const manifestSchema = z.strictObject({ model: modelId.optional() });

interface TextPart {
  /** The chunk's lines of sentiment.jsonl, in row order. */
  jsonl: string;
  titles: TitleTable;
  positiveLabel: string;
}

const ROW_OPTIONS = {
  required: ["text"],
  aliases: { text: ["review", "content", "body"] },
  maxFieldChars: MAX_TEXT_CHARS,
};

const positiveOf = (labels: readonly string[]) =>
  labels.find((label) => /^pos/i.test(label)) ?? labels.at(-1) ?? "";
const asText = (value: unknown) =>
  value === undefined || value === null || value === "" ? null : String(value);

async function classifyChunk(chunk: RowChunk, manifest: unknown, services: Services) {
  const { model } = parseWith(manifestSchema, manifest ?? {}, "manifest");
  const lines = new Map<number, string>();
  const errors: ItemError[] = chunk.errors.map(rowError);
  for (const error of chunk.errors) {
    lines.set(
      error.index,
      JSON.stringify({
        index: error.index,
        line: error.line,
        error: { code: error.code, message: error.message },
      }),
    );
  }
  const titles: TitleTable = {};
  const outcome: UnitOutcome = { ok: 0, failed: chunk.errors.length, errors, models: [], timings: {} };
  let positiveLabel = "";
  for (let at = 0; at < chunk.rows.length; at += MAX_TEXTS) {
    const rows = chunk.rows.slice(at, at + MAX_TEXTS);
    const { modelMs, ...result } = await runTask(
      sentimentTask,
      { texts: rows.map((row) => String(row.fields.text)), ...(model !== undefined && { model }) },
      services,
    );
    outcome.models = result.models;
    for (const [phase, ms] of Object.entries({ ...result.timings, modelMs }))
      outcome.timings[phase] = (outcome.timings[phase] ?? 0) + ms;
    rows.forEach((row, position) => {
      const prediction = result.results[position] as (typeof result.results)[number];
      const [id, title] = [asText(row.fields.id), asText(row.fields.title)];
      lines.set(row.index, JSON.stringify({ index: row.index, line: row.line, id, title, ...prediction }));
      positiveLabel = positiveOf(Object.keys(prediction.scores));
      const positive = prediction.scores[positiveLabel] ?? 0;
      const excerpt = { id, line: row.line, score: positive, excerpt: excerptOf(String(row.fields.text)) };
      addRow(titles, title ?? "(untitled)", prediction.label, positive, excerpt);
    });
    outcome.ok += rows.length;
  }
  const jsonl = [...lines.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, line]) => `${line}\n`)
    .join("");
  return { outcome, extra: { jsonl, titles, positiveLabel } satisfies TextPart };
}

/**
 * Reviews as CSV (header with `text` — or `review`, `content`, `body` — and optional `id`, `title`) or
 * JSONL under uploads/text/<job>/ -> results/<job>/sentiment.jsonl (one line per row, input order; a
 * malformed row is a line with its error and line number) and titles.json (per-title aggregates).
 */
export const textKind: BatchKind = {
  id: "text",
  expand: (context: SourceContext) =>
    rowUnits<TextPart>(context, ROW_OPTIONS, (chunk) =>
      classifyChunk(chunk, context.manifest, context.services),
    ),
  async finalize(job, services) {
    const sources = await currentSources(job, services);
    const titles: TitleTable = {};
    let positiveLabel = "positive";
    const lines = (async function* () {
      for await (const part of jobParts<TextPart>(job, services, sources)) {
        mergeTables(titles, part.extra.titles);
        positiveLabel = part.extra.positiveLabel || positiveLabel;
        yield part.extra.jsonl;
      }
    })();
    const jsonlKey = `results/${job}/sentiment.jsonl`;
    const titlesKey = `results/${job}/titles.json`;
    await services.results.putStream(jsonlKey, lines, { contentType: "application/x-ndjson" });
    await putJson(services.results, titlesKey, titlesReport(titles, positiveLabel));
    return [jsonlKey, titlesKey];
  },
};

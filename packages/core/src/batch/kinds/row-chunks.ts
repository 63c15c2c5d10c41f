import { InvalidInputError, isInputError, publicError } from "../../errors.js";
import { type Row, type RowError, readRows, rowFormatOf } from "../../inputs/rows.js";
import { getJson, putJson } from "../../storage/blob-store.js";
import { resultKeys } from "../keys.js";
import type { ItemError, UnitOutcome } from "../records.js";
import type { BatchUnit, SourceContext } from "./types.js";

/** Rows per unit of work: one part file, one deadline check. */
export const CHUNK_ROWS = 512;

export interface RowChunk {
  index: number;
  rows: Row[];
  errors: RowError[];
}

/** A part as written by a row kind: its share of the job's output plus what it counted. */
export interface StoredPart<Extra> {
  source: string;
  chunk: number;
  outcome: UnitOutcome;
  extra: Extra;
}

export const rowError = (error: RowError): ItemError => ({
  item: `row ${error.index}`,
  line: error.line,
  code: error.code,
  message: error.message,
});

const fileFailure = (name: string, error: unknown): UnitOutcome => ({
  ok: 0,
  failed: 1,
  errors: [{ item: name, ...publicError(error) }],
  models: [],
  timings: {},
});

/**
 * The units of a CSV/JSONL upload: chunks of CHUNK_ROWS rows read as a stream, each processed once into
 * `results/<job>/parts/<name>/<etag>/<chunk>.json`. A retry (after a deadline) re-reads the file but skips
 * every chunk whose part exists, so no row is repeated or lost. A file that cannot be read at all
 * (not CSV/JSONL, a bad header) is one error record.
 */
export async function* rowUnits<Extra>(
  context: SourceContext,
  options: { required: string[]; aliases: Record<string, string[]>; maxFieldChars: number },
  processChunk: (chunk: RowChunk) => Promise<{ outcome: UnitOutcome; extra: Extra }>,
): AsyncIterable<BatchUnit> {
  const { job, name, source, services } = context;
  const format = rowFormatOf(name);
  if (!format) {
    const error = new InvalidInputError("Not a row file: upload .csv, .jsonl or .ndjson");
    yield { name, process: async () => fileFailure(name, error) };
    return;
  }
  const prefix = resultKeys.partsPrefix(job, name, source.etag);
  const done = new Set((await services.results.list(prefix)).map((info) => info.key));
  const stream = await services.media.stream(context.item.key);
  if (!stream) return;
  let chunk: RowChunk = { index: 0, rows: [], errors: [] };
  const unitOf = (current: RowChunk): BatchUnit => {
    const key = resultKeys.part(job, name, source.etag, current.index);
    return {
      name: `${name}#${current.index}`,
      process: async () => {
        if (done.has(key))
          return ((await getJson<StoredPart<Extra>>(services.results, key)) as StoredPart<Extra>).outcome;
        const { outcome, extra } = await processChunk(current);
        await putJson(services.results, key, { source: source.key, chunk: current.index, outcome, extra });
        return outcome;
      },
    };
  };
  try {
    for await (const entry of readRows(stream, format, { ...options })) {
      if (entry.kind === "row") chunk.rows.push(entry);
      else chunk.errors.push(entry);
      if (chunk.rows.length + chunk.errors.length >= CHUNK_ROWS) {
        yield unitOf(chunk);
        chunk = { index: chunk.index + 1, rows: [], errors: [] };
      }
    }
  } catch (error) {
    if (!isInputError(error) && !(error instanceof Error && error.name === "InvalidRowsError")) throw error;
    if (chunk.index === 0 && chunk.rows.length === 0) {
      yield { name, process: async () => fileFailure(name, new InvalidInputError((error as Error).message)) };
      return;
    }
    chunk.errors.push({
      kind: "error",
      index: -1,
      line: 0,
      code: "invalid_row",
      message: (error as Error).message,
    } as RowError);
  }
  if (chunk.rows.length + chunk.errors.length > 0) yield unitOf(chunk);
}

/** Every part of a job's current uploads, in upload-key then chunk order (markers name the ETags). */
export async function* jobParts<Extra>(
  job: string,
  services: SourceContext["services"],
  sources: ReadonlyArray<{ name: string; etag: string }>,
): AsyncIterable<StoredPart<Extra>> {
  for (const { name, etag } of sources) {
    for (const info of await services.results.list(resultKeys.partsPrefix(job, name, etag))) {
      const part = await getJson<StoredPart<Extra>>(services.results, info.key);
      if (part) yield part;
    }
  }
}

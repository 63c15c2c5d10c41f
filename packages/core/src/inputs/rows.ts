import { csvRecords } from "./csv-rows.js";
import { jsonlRecords } from "./jsonl-rows.js";

export type RowFormat = "csv" | "jsonl";
/** A CSV field is a string; a JSONL field any JSON value (lists such as genres stay lists). */
export type FieldValue =
  | string
  | number
  | boolean
  | null
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/** A data row. `index`: its 0-based number among the data rows; `line`: the 1-based line where it starts. */
export interface Row {
  kind: "row";
  index: number;
  line: number;
  fields: Record<string, FieldValue>;
  /** JSONL only: the byte offset just past the row's line; resume there with `resume`. */
  byteEnd?: number;
}

/** A data row that could not be read. It has an index too, so indexes never depend on what failed. */
export interface RowError {
  kind: "error";
  index: number;
  line: number;
  code: "invalid_row";
  message: string;
  byteEnd?: number;
}

export interface ReadRowsOptions {
  /** Fields that must have a value (not blank); checked after aliases. Default `["text"]`. */
  required?: string[];
  /** Data rows before this index are read (so lines and indexes stay right) but not yielded. */
  startAt?: number;
  /** A longer string field makes the row an error. Default 100,000. */
  maxFieldChars?: number;
  /** Bound on one row's bytes, hence on memory: see `readRows`. Default 1 MiB. */
  maxRowBytes?: number;
  /** Other names accepted for a field when the file lacks it, matched case-insensitively; merged over DEFAULT_ALIASES. */
  aliases?: Record<string, string[]>;
  /** JSONL only: the chunks start at `byte` of the file, the start of line `line` and of data row `index`. */
  resume?: { byte: number; line: number; index: number };
}

/** The file as a whole cannot be read (CSV: no header row, or a bad one). Thrown from the iterator. */
export class InvalidRowsError extends Error {
  override name = "InvalidRowsError";
}

export const DEFAULT_ALIASES: Readonly<Record<string, string[]>> = { text: ["review", "content", "body"] };
const STRING_FIELDS = new Set(["text", "id", "title"]);

export function rowFormatOf(key: string): RowFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(key)?.[1]?.toLowerCase();
  return ext === "csv" ? "csv" : ext === "jsonl" || ext === "ndjson" ? "jsonl" : undefined;
}

interface Rules {
  required: string[];
  maxFieldChars: number;
  aliases: [string, string[]][];
}

/** The name among `names` that stands for `field`: itself, else the first that matches it or an alias, any case. */
function nameFor(names: string[], field: string, aliases: string[]): string | undefined {
  if (names.includes(field)) return field;
  const wanted = [field, ...aliases].map((name) => name.toLowerCase());
  return names.find((name) => wanted.includes(name.toLowerCase()));
}

function headerOf(values: string[], rules: Rules): string[] {
  if (values.some((value) => value.includes("\r"))) {
    throw new InvalidRowsError("CSV header: lines end with a bare CR; use LF or CRLF line ends");
  }
  const names = values.map((value) => value.trim());
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (name === "") throw new InvalidRowsError(`CSV header: column ${i + 1} has no name`);
    if (seen.has(name)) throw new InvalidRowsError(`CSV header: the column name "${name}" appears twice`);
    seen.add(name);
  }
  for (const [field, aliases] of rules.aliases) {
    const name = nameFor(names, field, aliases);
    if (name !== undefined) names[names.indexOf(name)] = field;
  }
  const missing = rules.required.find((field) => !names.includes(field));
  if (missing !== undefined) {
    const aliases = rules.aliases.find(([field]) => field === missing)?.[1] ?? [];
    const also = aliases.length > 0 ? ` (nor ${aliases.join(", ")})` : "";
    throw new InvalidRowsError(`CSV header: no "${missing}" column${also}; found ${names.join(", ")}`);
  }
  return names;
}

function problemOf(fields: Record<string, FieldValue>, rules: Rules): string | undefined {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string" && value.length > rules.maxFieldChars) {
      return `the field "${name}" is longer than ${rules.maxFieldChars} characters`;
    }
  }
  for (const name of rules.required) {
    const value = fields[name];
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
      return `the required field "${name}" is missing or empty`;
    }
  }
  return undefined;
}

function csvFields(values: string[], header: string[]): Record<string, FieldValue> | string {
  if (values.length !== header.length) return `expected ${header.length} fields, found ${values.length}`;
  const fields: Record<string, FieldValue> = {};
  for (const [i, name] of header.entries()) fields[name] = values[i] ?? "";
  return fields;
}

/** Values are kept as they are; text, id and title must be strings (a numeric id is converted). */
function jsonFields(object: Record<string, unknown>, rules: Rules): Record<string, FieldValue> | string {
  const keys = Object.keys(object);
  const rename = new Map<string, string>();
  for (const [field, aliases] of rules.aliases) {
    const name = nameFor(keys, field, aliases);
    if (name !== undefined && name !== field) rename.set(name, field);
  }
  const fields: Record<string, FieldValue> = {};
  for (const key of keys) {
    const name = rename.get(key) ?? key;
    const value = object[key];
    if (STRING_FIELDS.has(name) && value !== null && typeof value !== "string") {
      if (name !== "id" || typeof value !== "number") return `the field "${name}" must be a string`;
      fields[name] = String(value);
    } else {
      fields[name] = value as FieldValue;
    }
  }
  return fields;
}

/**
 * The rows of an uploaded CSV or JSONL file, read as the consumer pulls (back-pressure: one input chunk of rows
 * at a time; memory is bounded by `maxRowBytes`, not by the file). Every data row, good or bad, takes the next
 * index; a bad row is a RowError and reading goes on. To resume, pass `startAt` = the next index to produce
 * (the file is read from the start, rows before it are skipped cheaply); JSONL can instead be resumed without
 * re-reading with `resume` = `{ byte: row.byteEnd, line: row.line + 1, index: row.index + 1 }`.
 *
 * CSV: the first line is the header (names trimmed; an empty or repeated name, or a required field with no
 * column, throws InvalidRowsError). A row with a different number of fields is an error. Quote errors
 * (csv-parse's recovery) make one error covering the bad record(s). An unclosed quote (still open at the end,
 * or more than `maxRowBytes`) is one error at the line where its row starts, and reading restarts on the next
 * line: the rest of the file is not lost.
 */
export async function* readRows(
  chunks: AsyncIterable<Uint8Array>,
  format: RowFormat,
  options: ReadRowsOptions = {},
): AsyncGenerator<Row | RowError> {
  const rules: Rules = {
    required: options.required ?? ["text"],
    maxFieldChars: options.maxFieldChars ?? 100_000,
    aliases: Object.entries({ ...DEFAULT_ALIASES, ...options.aliases }),
  };
  const maxRowBytes = options.maxRowBytes ?? 1024 * 1024;
  const startAt = options.startAt ?? 0;
  const result = (
    index: number,
    line: number,
    fields: Record<string, FieldValue> | string,
  ): Row | RowError => {
    const problem = typeof fields === "string" ? fields : problemOf(fields, rules);
    if (problem !== undefined) return { kind: "error", index, line, code: "invalid_row", message: problem };
    return { kind: "row", index, line, fields: fields as Record<string, FieldValue> };
  };

  if (format === "jsonl") {
    let index = options.resume?.index ?? 0;
    for await (const batch of jsonlRecords(chunks, maxRowBytes, options.resume)) {
      for (const record of batch) {
        const i = index++;
        if (i < startAt) continue;
        const fields = record.error === undefined ? jsonFields(record.object, rules) : record.error;
        yield { ...result(i, record.line, fields), byteEnd: record.byteEnd };
      }
    }
    return;
  }
  if (options.resume) throw new InvalidRowsError("resume is for JSONL; resume a CSV with startAt");
  let header: string[] | undefined;
  let index = 0;
  for await (const batch of csvRecords(chunks, maxRowBytes)) {
    for (const record of batch) {
      if (header === undefined) {
        if (record.error !== undefined) {
          throw new InvalidRowsError(`CSV header (line ${record.line}): ${record.error}`);
        }
        header = headerOf(record.values, rules);
        continue;
      }
      const i = index++;
      if (i < startAt) continue;
      const fields = record.error === undefined ? csvFields(record.values, header) : record.error;
      yield result(i, record.line, fields);
    }
  }
  if (header === undefined) throw new InvalidRowsError("the CSV file is empty: a header row is required");
}

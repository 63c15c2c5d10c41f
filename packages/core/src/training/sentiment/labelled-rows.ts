/**
 * A labelled CSV or JSONL file (`text,label`; `review`, `content`, `body` are taken for text and
 * `sentiment`, `class`, `polarity`, `target` for label) read through inputs/rows.ts into raw labelled rows,
 * with every problem at its line: rows that cannot be read, an empty text, a missing label, and for the
 * file a missing column or no data rows at all.
 */
import { type FieldValue, InvalidRowsError, type RowFormat, readRows } from "../../inputs/rows.js";

export interface LabelledText {
  text: string;
  /** The label as written in the file (trimmed later). */
  label: string;
  /** 1-based line where the row starts. */
  line: number;
  /** Which file (for a data set of several). */
  source: string;
}

/** Problems of one file; repeats and classes are checked over the whole data set (ingest.ts). */
export type ProblemCode = "empty_file" | "missing_column" | "invalid_row" | "empty_text" | "missing_label";

export interface Problem {
  code: ProblemCode;
  message: string;
  source?: string;
  line?: number;
}

export interface LabelledFile {
  source: string;
  rows: LabelledText[];
  problems: Problem[];
}

export const LABEL_ALIASES = ["sentiment", "class", "polarity", "target"];

function labelText(value: FieldValue | undefined): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export async function readLabelledFile(
  chunks: AsyncIterable<Uint8Array>,
  format: RowFormat,
  source: string,
): Promise<LabelledFile> {
  const rows: LabelledText[] = [];
  const problems: Problem[] = [];
  let dataRows = 0;
  let withText = 0;
  let withLabel = 0;
  let columns: string[] | undefined;
  try {
    for await (const row of readRows(chunks, format, { required: [], aliases: { label: LABEL_ALIASES } })) {
      dataRows += 1;
      if (row.kind === "error") {
        problems.push({ code: "invalid_row", message: row.message, source, line: row.line });
        continue;
      }
      columns ??= Object.keys(row.fields);
      const { text, label } = row.fields;
      if ("text" in row.fields) withText += 1;
      if ("label" in row.fields) withLabel += 1;
      const labelValue = labelText(label);
      if (typeof text !== "string" || text.trim() === "") {
        problems.push({
          code: "empty_text",
          message: "the text is missing or empty",
          source,
          line: row.line,
        });
      } else if (labelValue === undefined) {
        problems.push({
          code: "missing_label",
          message: "the label is missing, empty or not a string, number or boolean",
          source,
          line: row.line,
        });
      } else rows.push({ text, label: labelValue, line: row.line, source });
    }
  } catch (error) {
    if (!(error instanceof InvalidRowsError)) throw error;
    const code = /empty/.test(error.message) ? "empty_file" : "invalid_row";
    return { source, rows: [], problems: [{ code, message: error.message, source }] };
  }
  if (dataRows === 0) {
    problems.push({ code: "empty_file", message: "the file has no data rows", source });
  } else {
    const found = columns ? `; found ${columns.join(", ")}` : "";
    for (const [field, count, also] of [
      ["text", withText, "review, content, body"],
      ["label", withLabel, LABEL_ALIASES.join(", ")],
    ] as const) {
      if (count === 0 && columns !== undefined) {
        problems.unshift({
          code: "missing_column",
          message: `no "${field}" column (nor ${also})${found}`,
          source,
        });
      }
    }
  }
  return { source, rows, problems };
}

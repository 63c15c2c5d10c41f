/**
 * A labelled data set as uploaded — CSV or JSONL files (`text,label`) and line files `*.pos` / `*.neg`
 * (one text per line, the label from the extension, UTF-8 or Windows-1252 as rt-polarity ships) — into
 * examples with class indexes, or the problems that stop it. Every problem is counted with its rows; a text
 * repeated with the same label is a warning and used once, with another label it is an error.
 */
import { createHash } from "node:crypto";
import { rowFormatOf } from "../../inputs/rows.js";
import type { UploadedFile } from "../ratings/ingest/files.js";
import { type ProblemKind, ProblemLog } from "../ratings/ingest/problems.js";
import { type LabelledText, type ProblemCode, readLabelledFile } from "./labelled-rows.js";
import { classNames } from "./labels.js";

export interface LabelledExample {
  text: string;
  label: number;
  /** The corpus: the file's name, or `x` for the line files `x.pos` and `x.neg`. */
  source: string;
  line: number;
}

export interface LabelledDataset {
  labels: string[];
  examples: LabelledExample[];
  /** sha256 over the examples used, in order: `label \t text` lines. */
  fingerprint: string;
}

export interface IngestedLabelled {
  dataset: LabelledDataset | undefined;
  log: ProblemLog;
  ignored: string[];
}

/** More distinct labels than this and the label column is probably not one. */
export const MAX_LABELS = 50;

const LINE_LABELS: Readonly<Record<string, string>> = { pos: "pos", neg: "neg" };
const KIND_OF: Readonly<Record<ProblemCode, ProblemKind>> = {
  empty_file: "empty-file",
  missing_column: "header",
  invalid_row: "unreadable-row",
  empty_text: "empty-text",
  missing_label: "missing-label",
};

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (a superset of Latin-1's printable range). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function lineFile(file: UploadedFile, label: string, log: ProblemLog): LabelledText[] {
  const rows: LabelledText[] = [];
  decodeText(file.bytes)
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line.trim() !== "") rows.push({ text: line, label, line: index + 1, source: file.name });
    });
  if (rows.length === 0) log.add("empty-file", file.name, 0, "no non-blank lines");
  return rows;
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function readFile(file: UploadedFile, log: ProblemLog): Promise<LabelledText[] | undefined> {
  const extension = file.name.slice(file.name.lastIndexOf(".") + 1).toLowerCase();
  const lineLabel = LINE_LABELS[extension];
  if (lineLabel) return lineFile(file, lineLabel, log);
  const format = rowFormatOf(file.name);
  if (!format) return undefined;
  const read = await readLabelledFile(once(file.bytes), format, file.name);
  for (const problem of read.problems) {
    log.add(KIND_OF[problem.code], file.name, problem.line ?? 0, problem.message);
  }
  return read.rows;
}

/** The corpus a file belongs to: `x.pos` and `x.neg` are the halves of `x`; any other file is its own. */
const corpusOf = (file: string) => file.replace(/\.(pos|neg)$/i, "");

const location = (row: LabelledText) => `line ${row.line} of ${row.source}`;

export async function ingestLabelled(files: readonly UploadedFile[]): Promise<IngestedLabelled> {
  const log = new ProblemLog();
  const ignored: string[] = [];
  const rows: LabelledText[] = [];
  let labelled = 0;
  for (const file of files) {
    const read = await readFile(file, log);
    if (read === undefined) ignored.push(file.name);
    else {
      labelled += 1;
      rows.push(...read);
    }
  }
  if (labelled === 0) {
    log.add("labelled-files", "(data set)", 0, `found ${files.map((f) => f.name).join(", ") || "no files"}`);
  }
  const names = classNames(rows.map((row) => row.label));
  const firstOf = new Map<string, LabelledText>();
  const examples: LabelledExample[] = [];
  for (const row of rows) {
    const key = row.text.trim();
    const first = firstOf.get(key);
    if (!first) {
      firstOf.set(key, row);
      examples.push({
        text: row.text,
        label: names.classOf(row.label),
        source: corpusOf(row.source),
        line: row.line,
      });
    } else if (names.classOf(first.label) === names.classOf(row.label)) {
      log.add("duplicate-text", row.source, row.line, `the text of ${location(first)}`, "warning");
    } else {
      log.add("conflicting-labels", row.source, row.line, `labelled ${first.label} at ${location(first)}`);
    }
  }
  checkClasses(names.labels, examples, log);
  if (log.hasErrors) return { dataset: undefined, log, ignored };
  const hash = createHash("sha256").update(`marquee-labelled/1 ${names.labels.join(",")}\n`);
  for (const example of examples) hash.update(`${example.label}\t${example.text}\n`);
  return { dataset: { labels: names.labels, examples, fingerprint: hash.digest("hex") }, log, ignored };
}

function checkClasses(
  labels: readonly string[],
  examples: readonly LabelledExample[],
  log: ProblemLog,
): void {
  if (examples.length === 0) return;
  if (labels.length > MAX_LABELS) {
    log.add("labels", "(data set)", 0, `${labels.length} labels, e.g. ${labels.slice(0, 5).join(", ")}`);
    return;
  }
  const counts = labels.map((_, c) => examples.filter((example) => example.label === c).length);
  const present = counts.filter((count) => count > 0).length;
  if (present < 2) {
    const only = labels[counts.findIndex((count) => count > 0)];
    log.add("one-class", "(data set)", 0, `all ${examples.length} examples are "${only}"`);
    return;
  }
  counts.forEach((count, c) => {
    if (count < 2) log.add("small-class", "(data set)", 0, `"${labels[c]}" has ${count} example(s)`);
  });
}

/**
 * What is wrong with an upload, row by row: every problem is counted, the first `listed` of each kind keep
 * their row (line) number and a detail. Details never quote a user id (it is personal data): they name the
 * column and, for ratings, timestamps and items, the offending value.
 */

export type ProblemKind =
  | "empty-file"
  | "header"
  | "columns"
  | "missing-id"
  | "rating"
  | "timestamp"
  | "duplicate"
  | "single-rating"
  | "items-columns"
  | "genres"
  | "files"
  | "labelled-files"
  | "unreadable-row"
  | "empty-text"
  | "missing-label"
  | "duplicate-text"
  | "conflicting-labels"
  | "one-class"
  | "labels"
  | "small-class";

export type Severity = "error" | "warning";

export interface ListedRow {
  /** 1-based line number in `file`; 0 for a problem of the whole file. */
  row: number;
  detail: string;
}

export interface ProblemSummary {
  kind: ProblemKind;
  severity: Severity;
  file: string;
  message: string;
  /** All occurrences, listed or not. */
  count: number;
  rows: ListedRow[];
}

const MESSAGES: Record<ProblemKind, string> = {
  "empty-file": "the file has no data rows",
  header: "the header row does not name the needed columns",
  columns: "rows with the wrong number of columns",
  "missing-id": "rows with an empty user or item id",
  rating: "rows whose rating (or weight) is not a usable number",
  timestamp: "rows whose timestamp is not a number",
  duplicate: "the same user rated the same item more than once",
  "single-rating": "every rating has the same value: there is no preference to learn",
  "items-columns": "item metadata rows with the wrong number of fields",
  genres: "the genre list does not match the item file",
  files:
    "the data set needs exactly one ratings file (u.data, ratings.dat or *.csv) and at most one item file",
  "labelled-files":
    "the data set needs a labelled file: *.csv or *.jsonl with text and label columns, or *.pos / *.neg with one text per line",
  "unreadable-row": "rows that cannot be read",
  "empty-text": "rows whose text is missing or empty",
  "missing-label": "rows without a label",
  "duplicate-text":
    "the same text appears again with the same label: counted, and used once (so it cannot be both trained on and tested)",
  "conflicting-labels": "the same text appears with different labels",
  "one-class": "every example has the same label: there is nothing to tell apart",
  labels: "more distinct labels than a classifier takes: is the label column the right one?",
  "small-class": "a label with fewer than 2 examples cannot be both trained on and tested",
};

export const DEFAULT_LISTED_ROWS = 20;

export class ProblemLog {
  private readonly byKey = new Map<string, ProblemSummary>();

  constructor(private readonly listed = DEFAULT_LISTED_ROWS) {}

  add(kind: ProblemKind, file: string, row: number, detail: string, severity: Severity = "error"): void {
    const key = `${file}\u0000${kind}`;
    let summary = this.byKey.get(key);
    if (!summary) {
      summary = { kind, severity, file, message: MESSAGES[kind], count: 0, rows: [] };
      this.byKey.set(key, summary);
    }
    summary.count++;
    if (summary.rows.length < this.listed) summary.rows.push({ row, detail });
  }

  get hasErrors(): boolean {
    for (const summary of this.byKey.values()) if (summary.severity === "error") return true;
    return false;
  }

  count(kind: ProblemKind): number {
    let total = 0;
    for (const summary of this.byKey.values()) if (summary.kind === kind) total += summary.count;
    return total;
  }

  summaries(): ProblemSummary[] {
    return [...this.byKey.values()];
  }
}

/** A value quoted for a detail line, cut to 40 characters. */
export const quoted = (value: string): string =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

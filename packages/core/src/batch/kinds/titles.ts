/** Per-title aggregates of sentiment rows, mergeable across chunks (so a job never holds all rows). */
export interface Excerpt {
  id: string | null;
  line: number;
  score: number;
  excerpt: string;
}

export interface TitleStats {
  count: number;
  positiveSum: number;
  labels: Record<string, number>;
  mostPositive: Excerpt[];
  mostNegative: Excerpt[];
}

export type TitleTable = Record<string, TitleStats>;

const TOP = 3;
const EXCERPT_CHARS = 240;

export const excerptOf = (text: string) => {
  const clean = text
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS - 1)}…` : clean;
};

function top(list: Excerpt[], direction: 1 | -1): Excerpt[] {
  return [...list].sort((a, b) => direction * (b.score - a.score) || a.line - b.line).slice(0, TOP);
}

export function addRow(
  table: TitleTable,
  title: string,
  label: string,
  positive: number,
  row: Excerpt,
): void {
  table[title] ??= { count: 0, positiveSum: 0, labels: {}, mostPositive: [], mostNegative: [] };
  const stats = table[title];
  stats.count += 1;
  stats.positiveSum += positive;
  stats.labels[label] = (stats.labels[label] ?? 0) + 1;
  stats.mostPositive = top([...stats.mostPositive, row], 1);
  stats.mostNegative = top([...stats.mostNegative, row], -1);
}

export function mergeTables(into: TitleTable, from: TitleTable): void {
  for (const [title, stats] of Object.entries(from)) {
    const target = into[title];
    if (!target) {
      into[title] = structuredClone(stats);
      continue;
    }
    target.count += stats.count;
    target.positiveSum += stats.positiveSum;
    for (const [label, n] of Object.entries(stats.labels))
      target.labels[label] = (target.labels[label] ?? 0) + n;
    target.mostPositive = top([...target.mostPositive, ...stats.mostPositive], 1);
    target.mostNegative = top([...target.mostNegative, ...stats.mostNegative], -1);
  }
}

const round = (value: number) => Math.round(value * 10000) / 10000;

/** titles.json: one entry per title, most reviewed first. */
export function titlesReport(table: TitleTable, positiveLabel: string) {
  return {
    positiveLabel,
    titles: Object.entries(table)
      .map(([title, stats]) => ({
        title,
        count: stats.count,
        meanPositive: round(stats.positiveSum / stats.count),
        labels: stats.labels,
        mostPositive: stats.mostPositive,
        mostNegative: stats.mostNegative,
      }))
      .sort((a, b) => b.count - a.count || a.title.localeCompare(b.title)),
  };
}

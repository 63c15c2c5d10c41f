/**
 * Class names from the labels of a file. When every label is a polarity word (pos / positive / 1 / true,
 * neg / negative / 0 / false, any case) the classes are ["positive", "negative"], the pretrained default's
 * order; otherwise each distinct label (trimmed) is a class of its own, in sorted order.
 */

const POLARITY: Readonly<Record<string, "positive" | "negative">> = {
  pos: "positive",
  positive: "positive",
  "1": "positive",
  true: "positive",
  neg: "negative",
  negative: "negative",
  "0": "negative",
  false: "negative",
};

export const POLARITY_LABELS = ["positive", "negative"] as const;

export interface ClassNames {
  labels: string[];
  /** The class index of a raw label of the file. */
  classOf(raw: string): number;
}

export function classNames(rawLabels: Iterable<string>): ClassNames {
  const distinct = [...new Set(Array.from(rawLabels, (label) => label.trim()))];
  const polarity = distinct.length > 0 && distinct.every((label) => POLARITY[label.toLowerCase()]);
  if (polarity) {
    const labels = [...POLARITY_LABELS];
    return {
      labels,
      classOf: (raw) =>
        labels.indexOf(POLARITY[raw.trim().toLowerCase()] as (typeof POLARITY_LABELS)[number]),
    };
  }
  const labels = distinct.sort();
  const index = new Map(labels.map((label, position) => [label, position]));
  return { labels, classOf: (raw) => index.get(raw.trim()) ?? -1 };
}

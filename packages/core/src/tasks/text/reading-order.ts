import type { TextBox } from "./detect.js";

const top = (box: TextBox) => Math.min(...box.quad.map((point) => point[1]));
const bottom = (box: TextBox) => Math.max(...box.quad.map((point) => point[1]));
const left = (box: TextBox) => Math.min(...box.quad.map((point) => point[0]));

/**
 * Top to bottom, then left to right within a row: a box joins the current row when its vertical centre
 * lies within the row's first box's top and bottom.
 */
export function readingOrder(boxes: readonly TextBox[]): TextBox[] {
  const byTop = [...boxes].sort((a, b) => top(a) - top(b) || left(a) - left(b));
  const rows: TextBox[][] = [];
  for (const box of byTop) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    const centre = (top(box) + bottom(box)) / 2;
    if (row && first && centre >= top(first) && centre <= bottom(first)) row.push(box);
    else rows.push([box]);
  }
  return rows.flatMap((row) => row.sort((a, b) => left(a) - left(b)));
}

/** The report page's building blocks: escaped text, figures, tables and Chart.js configurations. */

export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export const figure = (value: number | undefined): string => (value === undefined ? "—" : value.toFixed(4));

export function table(head: unknown[], rows: unknown[][]): string {
  const cells = (row: unknown[], tag: string) =>
    row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join("");
  return `<table><thead><tr>${cells(head, "th")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${cells(row, "td")}</tr>`)
    .join("")}</tbody></table>`;
}

/** Charts of a page: each a heading, a canvas and its Chart.js configuration. */
export class ChartList {
  readonly blocks: string[] = [];
  readonly configs: unknown[] = [];

  add(title: string, config: unknown): void {
    this.blocks.push(`<h2>${escapeHtml(title)}</h2><canvas id="chart-${this.configs.length}"></canvas>`);
    this.configs.push(config);
  }

  bar(title: string, labels: string[], datasets: Array<{ label: string; data: number[] }>): void {
    this.add(title, { type: "bar", data: { labels, datasets }, options: { animation: false } });
  }
}

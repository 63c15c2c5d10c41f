/**
 * Item texts from a film catalogue uploaded beside the ratings — a JSON array of `{title, year, extract}`
 * (also `plot`, `overview` or `description`), such as the Wikipedia extracts in ../shared/data/catalog —
 * joined to the items by normalised title and year. MovieLens writes "Usual Suspects, The" and adds
 * alternative titles in brackets; both are undone before the match.
 */

export interface CatalogFilm {
  title: string;
  year: number;
  text: string;
}

const TEXT_FIELDS = ["extract", "plot", "overview", "description"] as const;
const ARTICLES = /^(.*), (The|A|An|La|Le|Les|L'|Il|El|Das|Der|Die)$/;

/** Lowercase ASCII letters and digits, single-spaced: accents and punctuation do not matter. */
export function normaliseTitle(title: string): string {
  const bare = title.replace(/\s*\([^)]*\)\s*$/, "");
  const article = ARTICLES.exec(bare);
  const ordered = article ? `${article[2]} ${article[1]}` : bare;
  return ordered
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The films of a catalogue file, or undefined when the bytes are not one. */
export function readCatalog(bytes: Uint8Array): CatalogFilm[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const films: CatalogFilm[] = [];
  for (const entry of parsed as Array<Record<string, unknown>>) {
    if (typeof entry !== "object" || entry === null) continue;
    const text = TEXT_FIELDS.map((field) => entry[field]).find((value) => typeof value === "string");
    if (typeof entry.title === "string" && typeof entry.year === "number" && typeof text === "string") {
      if (text.trim() !== "") films.push({ title: entry.title, year: entry.year, text });
    }
  }
  return films.length > 0 ? films : undefined;
}

/** Each item's text (by its title and year), undefined where the catalogue has no such film. */
export function joinCatalog(
  titles: readonly string[],
  years: ArrayLike<number>,
  films: readonly CatalogFilm[],
): Array<string | undefined> {
  const byKey = new Map<string, string>();
  for (const film of films) {
    const key = `${normaliseTitle(film.title)}\u0000${film.year}`;
    if (!byKey.has(key)) byKey.set(key, film.text);
  }
  return titles.map((title, item) => byKey.get(`${normaliseTitle(title)}\u0000${years[item]}`));
}

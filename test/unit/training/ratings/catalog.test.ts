import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  joinCatalog,
  normaliseTitle,
  readCatalog,
} from "../../../../packages/core/src/training/ratings/ingest/catalog.js";
import { hasShared, sharedData } from "../../../support/shared.js";

describe("item texts from a film catalogue", () => {
  it("normalises MovieLens titles: trailing articles, alternative titles, accents and punctuation", () => {
    expect(normaliseTitle("Usual Suspects, The")).toBe("the usual suspects");
    expect(normaliseTitle("City of Lost Children, The (Cité des enfants perdus, La)")).toBe(
      "the city of lost children",
    );
    expect(normaliseTitle("Léon: The Professional")).toBe("leon the professional");
    expect(normaliseTitle("Postino, Il")).toBe("il postino");
  });

  it("reads {title, year, extract|plot|overview|description} arrays and refuses anything else", () => {
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(readCatalog(bytes([{ title: "Heat", year: 1995, plot: "A heist." }, { title: "x" }]))).toEqual([
      { title: "Heat", year: 1995, text: "A heist." },
    ]);
    expect(readCatalog(bytes({ title: "Heat" }))).toBeUndefined();
    expect(readCatalog(new TextEncoder().encode("not json"))).toBeUndefined();
    const films = [{ title: "The Usual Suspects", year: 1995, text: "Five criminals." }];
    expect(joinCatalog(["Usual Suspects, The", "Usual Suspects, The"], [1995, 1996], films)).toEqual([
      "Five criminals.",
      undefined,
    ]);
  });

  it.runIf(hasShared)("joins about 900 of MovieLens-100k's films to the 1990s Wikipedia extracts", () => {
    const items = readFileSync(sharedData("movielens-100k/u.item"), "latin1")
      .split("\n")
      .filter(Boolean)
      .map((line) => /^(.*?)\s*\((\d{4})\)\s*$/.exec(line.split("|")[1] ?? ""));
    const titles = items.map((match) => match?.[1] ?? "");
    const years = items.map((match) => Number(match?.[2] ?? 0));
    const films = readCatalog(readFileSync(sharedData("catalog/wikipedia-movies-1990s.json"))) ?? [];
    const joined = joinCatalog(titles, years, films);
    const count = joined.filter((text) => text !== undefined).length;
    expect(count).toBeGreaterThanOrEqual(898);
    expect(count).toBeLessThanOrEqual(910);
    expect(joined[titles.indexOf("Usual Suspects, The")]).toMatch(/Usual Suspects/);
  });
});

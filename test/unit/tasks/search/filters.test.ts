import { describe, expect, it } from "vitest";
import {
  allowMask,
  matchFilters,
  validateFilters,
} from "../../../../packages/core/src/tasks/search/filters.js";

const film = { id: "1", title: "Scary Movie", year: 2018, genres: ["Horror", "Comedy"], released: true };

describe("filters", () => {
  it("match a scalar field exactly, strings case-insensitively", () => {
    expect(matchFilters(film, { title: "SCARY movie" })).toBe(true);
    expect(matchFilters(film, { title: "Scary" })).toBe(false);
    expect(matchFilters(film, { year: 2018 })).toBe(true);
    expect(matchFilters(film, { year: 2019 })).toBe(false);
    expect(matchFilters(film, { year: "2018" })).toBe(false);
    expect(matchFilters(film, { released: true })).toBe(true);
    expect(matchFilters(film, { released: "true" })).toBe(false);
  });

  it("match a list field that contains the value, and any of a list of values", () => {
    expect(matchFilters(film, { genres: "horror" })).toBe(true);
    expect(matchFilters(film, { genres: "Drama" })).toBe(false);
    expect(matchFilters(film, { genres: ["Drama", "COMEDY"] })).toBe(true);
    expect(matchFilters(film, { year: [2010, 2018] })).toBe(true);
  });

  it("need every field to match; a missing or inherited field never does", () => {
    expect(matchFilters(film, { genres: "Horror", year: 2018 })).toBe(true);
    expect(matchFilters(film, { genres: "Horror", year: 2017 })).toBe(false);
    expect(matchFilters(film, { director: "Wayans" })).toBe(false);
    expect(matchFilters(film, { toString: "x" })).toBe(false);
    expect(matchFilters(film, {})).toBe(true);
  });

  it("give a mask over the catalogue", () => {
    const items = [film, { id: "2", genres: ["Drama"], year: 2018 }, { id: "3" }];
    expect(Array.from(allowMask(items, { year: 2018 }))).toEqual([1, 1, 0]);
    expect(Array.from(allowMask(items, { genres: ["drama", "horror"], year: 2018 }))).toEqual([1, 1, 0]);
    expect(Array.from(allowMask([], { year: 1 }))).toEqual([]);
  });

  it("refuse bad shapes with messages that say what is wrong", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(() => validateFilters(null)).toThrow(
      "filters: must be an object { field: value | [values] }, not null",
    );
    expect(() => validateFilters(["genres"])).toThrow("not a list");
    expect(() => validateFilters("genres")).toThrow("not string");
    expect(() => validateFilters({ [`f${"x".repeat(64)}`]: 1 })).toThrow("1-64 characters, not 65");
    expect(() => validateFilters({ "": 1 })).toThrow("1-64 characters, not 0");
    expect(() => validateFilters(Object.fromEntries(many(11).map((i) => [`f${i}`, i])))).toThrow(
      "at most 10 fields, not 11",
    );
    expect(() => validateFilters({ year: many(51) })).toThrow("filters.year: a list of 1-50 values, not 51");
    expect(() => validateFilters({ year: [] })).toThrow("not 0");
    expect(() => validateFilters({ year: { gte: 2010 } })).toThrow("filters.year: must be a string");
    expect(() => validateFilters({ year: [2010, null] })).toThrow(
      "filters.year[1]: must be a string, a finite number or a boolean, not null",
    );
    expect(() => validateFilters({ year: Number.NaN })).toThrow("finite");
    expect(() => allowMask([film], { genres: [["Horror"]] })).toThrow("filters.genres[0]");
    const ok = { year: many(50), genres: "Horror" };
    expect(validateFilters(ok)).toBe(ok);
  });
});

import { readFileSync } from "node:fs";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRelevant, judgedQueries, scoreRanking } from "../support/judged-search.js";
import { hasShared, sharedData } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

type Film = { title: string; year: number; genres: string[]; cast: string[]; extract: string };
interface SearchResponse {
  results: Array<{ id: string; score: number; ranks: Record<string, number>; item: Film & { id: string } }>;
  catalog: { name: string; version: string; size: number };
}

const FILES = ["wikipedia-movies-2010s.json", "wikipedia-movies-2020s.json"];
const MODES = ["hybrid", "semantic", "keyword"] as const;

describe.skipIf(!hasShared)("catalogue search through the local twin", () => {
  let twin: Twin;
  let s3: S3Client;
  const films: Film[] = [];
  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
    const put = (key: string, body: string | Buffer) =>
      s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
    await put(
      "uploads/catalogs/movies/manifest.json",
      JSON.stringify({ textFields: ["title", "extract", "genres", "cast"], idTemplate: "{title} ({year})" }),
    );
    for (const file of FILES) {
      const bytes = readFileSync(sharedData(`catalog/${file}`));
      films.push(...(JSON.parse(bytes.toString("utf8")) as Film[]));
      await put(`uploads/catalogs/movies/${file}`, bytes);
    }
    await twin.idle();
  }, 300_000);
  afterAll(() => twin?.close());

  const post = (path: string, body: unknown) =>
    fetch(`${twin.apiUrl}${path}`, {
      method: "POST",
      headers: authed(twin, { "content-type": "application/json" }),
      body: JSON.stringify(body),
    });
  const search = async (body: Record<string, unknown>) => {
    const response = await post("/v1/search", body);
    expect(response.status).toBe(200);
    return (await response.json()) as SearchResponse;
  };

  it("builds the demo catalogue from uploads to S3 and describes it", async () => {
    const unique = new Set(films.map((film) => `${film.title} (${film.year})`)).size;
    const job = (await (
      await fetch(`${twin.apiUrl}/v1/jobs/movies`, { headers: authed(twin) })
    ).json()) as JobSummary;
    expect(job).toMatchObject({
      kind: "catalogs",
      status: "completed_with_errors",
      counts: { total: films.length },
    });
    expect(job.counts.failed).toBe(films.length - unique);
    const info = await (await fetch(`${twin.apiUrl}/v1/catalogs/movies`, { headers: authed(twin) })).json();
    expect(info).toMatchObject({
      name: "movies",
      size: unique,
      textFields: ["title", "extract", "genres", "cast"],
      model: { id: "embeddings/glove-100d-30k-int8", version: "1.0.0" },
      dimensions: 100,
    });
  });

  it.each([
    ["a superhero team saves the world", "Superhero"],
    ["a haunted house horror film", "Horror"],
    ["a romantic comedy in New York", "Romance"],
  ])("finds mostly %s films of the matching genre in the top 10", async (query, genre) => {
    const { results } = await search({ catalog: "movies", query, k: 10 });
    const matching = results.filter((result) => result.item.genres.includes(genre)).length;
    console.info(
      `${query}: ${matching}/10 ${genre}; top 5: ${results
        .slice(0, 5)
        .map((result) => `${result.id} [${result.item.genres.join(", ")}]`)
        .join("; ")}`,
    );
    expect(matching).toBeGreaterThanOrEqual(6);
  });

  it("measures each mode on the judged query set", async () => {
    const table: Record<string, { precision: number; ndcg: number }> = {};
    for (const mode of MODES) {
      let [precision, ndcg] = [0, 0];
      for (const { query, relevant } of judgedQueries()) {
        const { results } = await search({ catalog: "movies", query, k: 10, mode });
        const total = films.filter((film) => isRelevant(film, relevant)).length;
        const score = scoreRanking(
          results.map((result) => result.item),
          relevant,
          total,
        );
        precision += score.precision;
        ndcg += score.ndcg;
      }
      const n = judgedQueries().length;
      table[mode] = {
        precision: Math.round((precision / n) * 1000) / 1000,
        ndcg: Math.round((ndcg / n) * 1000) / 1000,
      };
    }
    console.info(
      `judged queries (${judgedQueries().length}), mean P@10 / nDCG@10 by mode: ${JSON.stringify(table)}`,
    );
    expect(table.hybrid?.ndcg ?? 0).toBeGreaterThanOrEqual(
      Math.max(table.semantic?.ndcg ?? 0, table.keyword?.ndcg ?? 0) - 0.05,
    );
    expect(table.hybrid?.precision ?? 0).toBeGreaterThan(0.5);
  });

  it("filters by a list field and by a scalar, and reports each ranking's rank", async () => {
    const { results } = await search({
      catalog: "movies",
      query: "a masked killer",
      k: 20,
      filters: { genres: ["Horror", "Slasher"], year: 2018 },
    });
    expect(results.length).toBeGreaterThan(0);
    for (const { item } of results) {
      expect(item.year).toBe(2018);
      expect(item.genres.some((genre) => genre === "Horror" || genre === "Slasher")).toBe(true);
    }
    const top = (await search({ catalog: "movies", query: "Ryan Gosling", k: 5, mode: "keyword" })).results;
    expect(top.every((result) => result.item.cast.includes("Ryan Gosling"))).toBe(true);
    expect(top[0]?.ranks).toEqual({ keyword: 1 });
  });

  it("builds a small catalogue synchronously, versioned, and rejects bad requests", async () => {
    const items = [
      {
        id: "heat",
        title: "Heat",
        extract: "A crew of professional thieves plans one last bank heist.",
        year: 1995,
      },
      {
        id: "nh",
        title: "Notting Hill",
        extract: "A bookseller falls in love with a film star.",
        year: 1999,
      },
    ];
    const built = await post("/v1/catalogs/small", { items, textFields: ["title", "extract"] });
    expect(built.status).toBe(201);
    const first = (await built.json()) as { version: string; size: number };
    expect(first.size).toBe(2);
    const { results } = await search({ catalog: "small", query: "bank robbery", k: 1, mode: "semantic" });
    expect(results[0]?.id).toBe("heat");
    const again = (await (await post("/v1/catalogs/small", { items: items.slice(0, 1) })).json()) as {
      version: string;
      textFields: string[];
    };
    expect(again.version).not.toBe(first.version);
    expect(again.textFields).toEqual(["title", "extract"]);

    for (const [path, body, status, message] of [
      ["/v1/search", { catalog: "nope", query: "x" }, 404, 'No catalogue "nope"'],
      ["/v1/search", { catalog: "movies", query: "x", k: 101 }, 400, "k: must be an integer from 1 to 100"],
      ["/v1/search", { catalog: "movies", query: "" }, 400, "query: must not be empty"],
      ["/v1/search", { catalog: "movies", query: "x", mode: "fuzzy" }, 400, "mode:"],
      ["/v1/search", { catalog: "movies", query: "x", filters: { genres: { $ne: 1 } } }, 400, "filters"],
      ["/v1/catalogs/bad%2Fname", { items }, 400, "name:"],
      ["/v1/catalogs/dup", { items: [items[0], items[0]] }, 400, "duplicate id"],
      ["/v1/catalogs/noid", { items: [{ title: "x" }] }, 400, "items[0].id"],
    ] as const) {
      const response = await post(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
    }
  });
});

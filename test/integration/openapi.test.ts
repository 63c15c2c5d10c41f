import { httpRoutes } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedResponses } from "../support/conformance.js";
import { facePhoto, hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

describe.skipIf(!hasShared)("GET /v1/openapi.json", () => {
  let twin: Twin;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
  };
  beforeAll(async () => {
    twin = await startTestTwin();
    const response = await fetch(`${twin.apiUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });
  afterAll(() => twin?.close());

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("describes every route of routes.ts with its responses and request body", () => {
    for (const route of httpRoutes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      const created = ["Uploads", "CatalogBuild"].includes(route.id);
      const accepted = ["JobReprocess", "TrainingJobs"].includes(route.id);
      const ok = accepted ? "202" : created ? "201" : "200";
      expect(Object.keys(operation?.responses ?? {})).toContain(ok);
      expect(Object.keys(operation?.responses ?? {})).toContain("400");
      if (route.method === "POST" && route.id !== "JobReprocess") {
        expect(operation?.requestBody, route.id).toBeDefined();
      }
    }
  });

  it("is what real answers of every route conform to (checked on every twin response)", async () => {
    const json = (path: string, body: unknown) =>
      fetch(`${twin.apiUrl}${path}`, {
        method: "POST",
        headers: authed(twin, { "content-type": "application/json" }),
        body: JSON.stringify(body),
      });
    const get = (path: string) => fetch(`${twin.apiUrl}${path}`, { headers: authed(twin) });
    const before = checkedResponses();
    const answers = [
      await get("/v1/health"),
      await get("/v1/models"),
      await json("/v1/faces", { image: facePhoto("2.jpg").toString("base64") }),
      await json("/v1/faces", { image: "AAAA" }),
      await json("/v1/sentiment", { texts: ["A fine film."] }),
      await json("/v1/sentiment", { texts: [] }),
      await json("/v1/embeddings", { texts: ["a heist film"] }),
      await json("/v1/catalogs/tiny", {
        items: [
          { id: "1", title: "Heat", genres: ["Crime"], year: 1995 },
          { id: "2", title: "Notting Hill", genres: ["Romance"], year: 1999 },
        ],
        textFields: ["title", "genres"],
      }),
      await get("/v1/catalogs/tiny"),
      await get("/v1/catalogs/none"),
      await json("/v1/search", { catalog: "tiny", query: "crime heist", k: 1 }),
      await json("/v1/search", { catalog: "tiny", query: "x", k: 0 }),
      await json("/v1/uploads", { filename: "a.jpg" }),
      await get("/v1/jobs/none"),
      await fetch(`${twin.apiUrl}/v1/sentiment`, { method: "POST", body: "{}" }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([
      200, 200, 200, 415, 200, 400, 200, 201, 200, 404, 200, 400, 201, 404, 401,
    ]);
    expect(checkedResponses() - before).toBe(answers.length);
  });
});

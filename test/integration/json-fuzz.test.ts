import type { Twin } from "@marquee/core/twin";
import { apiGatewayEvent, lambdaContext } from "@marquee/core/twin";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const RUNS = Math.max(50, Math.floor(Number(process.env.FUZZ_RUNS ?? 1000) / 4));

const ROUTES: Array<{
  load: () => Promise<unknown>;
  path: string;
  fields: string[];
  params: Record<string, string>;
}> = [
  {
    load: () => import("../../functions/http/sentiment.js"),
    path: "/v1/sentiment",
    fields: ["texts", "model"],
    params: {},
  },
  {
    load: () => import("../../functions/http/embeddings.js"),
    path: "/v1/embeddings",
    fields: ["texts", "model"],
    params: {},
  },
  {
    load: () => import("../../functions/http/search.js"),
    path: "/v1/search",
    fields: ["catalog", "query", "k", "mode", "filters"],
    params: {},
  },
  {
    load: () => import("../../functions/http/catalog-build.js"),
    path: "/v1/catalogs/fuzz",
    fields: ["items", "textFields", "model"],
    params: { name: "fuzz" },
  },
];

describe.skipIf(!hasShared)("fuzzing the JSON task handlers", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTestTwin();
    await fetch(`${twin.apiUrl}/v1/catalogs/fuzz`, {
      method: "POST",
      headers: authed(twin, { "content-type": "application/json" }),
      body: JSON.stringify({ items: [{ id: "1", title: "Heat", genres: ["Crime"] }] }),
    });
  });
  afterAll(() => twin?.close());

  it.each(ROUTES)(
    `answers $path with JSON 2xx/4xx for ${RUNS} random bodies, never 5xx`,
    async (route) => {
      const handler = ((await route.load()) as { handler: Handler }).handler;
      const text = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({ unit: "grapheme", maxLength: 50 }),
        fc.constant("<br />"),
      );
      const value = fc.oneof(
        { arbitrary: fc.jsonValue(), weight: 2 },
        { arbitrary: fc.array(text, { maxLength: 40 }), weight: 3 },
        { arbitrary: text, weight: 1 },
        { arbitrary: fc.integer({ min: -5, max: 300 }), weight: 1 },
        {
          arbitrary: fc.constantFrom("fuzz", "hybrid", "keyword", "embeddings/glove-100d-30k-int8", "x/y"),
          weight: 2,
        },
        {
          arbitrary: fc.array(fc.record({ id: fc.oneof(fc.string(), fc.integer()), title: text }), {
            maxLength: 5,
          }),
          weight: 1,
        },
        {
          arbitrary: fc.dictionary(
            fc.string({ maxLength: 8 }),
            fc.oneof(text, fc.array(text, { maxLength: 3 })),
          ),
          weight: 1,
        },
      );
      const keys = route.fields;
      const body = fc.oneof(
        { arbitrary: fc.dictionary(fc.constantFrom(...keys, "extra"), value), weight: 5 },
        { arbitrary: fc.jsonValue(), weight: 1 },
        { arbitrary: fc.string(), weight: 1 },
      );
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(body, fc.boolean(), async (payload, asJson) => {
          const event = apiGatewayEvent(
            {
              method: "POST",
              url: route.path,
              headers: authed(twin, { "content-type": asJson ? "application/json" : "text/plain" }),
              body: Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)),
              sourceIp: "127.0.0.1",
            },
            `POST ${route.path}`,
            route.params,
          );
          const response = await handler(event, lambdaContext("fuzz", 1769, 29));
          const status = response.statusCode ?? 0;
          seen.set(status, (seen.get(status) ?? 0) + 1);
          const parsed = JSON.parse(response.body ?? "null");
          expect(status, JSON.stringify(parsed)).toBeLessThan(500);
          if (status >= 400)
            expect(parsed).toMatchObject({
              error: { code: expect.any(String), message: expect.any(String) },
            });
        }),
        { numRuns: RUNS },
      );
      expect(seen.get(400) ?? 0).toBeGreaterThan(0);
      expect(seen.get(415) ?? 0).toBeGreaterThan(0);
    },
    300_000,
  );
});

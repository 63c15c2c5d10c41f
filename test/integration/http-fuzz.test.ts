import type { Twin } from "@marquee/core/twin";
import { apiGatewayEvent, lambdaContext } from "@marquee/core/twin";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { facePhoto, hasShared } from "../support/shared.js";
import { startTestTwin } from "../support/twin.js";

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/gif",
  "application/octet-stream",
  "text/plain",
  "multipart/form-data; boundary=x",
  "",
];

describe.skipIf(!hasShared)("fuzzing the faces HTTP handler", () => {
  let twin: Twin;
  let handler: Handler;
  let photo: Buffer;

  beforeAll(async () => {
    twin = await startTestTwin();
    handler = ((await import("../../functions/http/faces.js")) as { handler: Handler }).handler;
    photo = facePhoto("2.jpg");
  });
  afterAll(() => twin?.close());

  it(`answers ${RUNS} random requests with JSON 4xx or a valid result, never 5xx`, async () => {
    const truncatedImage = fc.oneof(
      { arbitrary: fc.nat({ max: photo.length }).map((end) => photo.subarray(0, end)), weight: 4 },
      { arbitrary: fc.constant(photo), weight: 1 },
    );
    const jsonBody = fc
      .record(
        {
          image: fc.oneof(
            fc.string(),
            fc.base64String(),
            truncatedImage.map((bytes) => bytes.toString("base64")),
            fc.record({ s3Key: fc.string() }),
            fc.jsonValue(),
          ),
          model: fc.oneof(
            fc.string(),
            fc.constantFrom("face-detection/ultraface-slim-320", "x/y"),
            fc.jsonValue(),
          ),
          options: fc.oneof(
            fc.jsonValue(),
            fc.record({ minScore: fc.double(), maxFaces: fc.integer() }, { requiredKeys: [] }),
          ),
          extra: fc.jsonValue(),
        },
        { requiredKeys: [] },
      )
      .map((value) => Buffer.from(JSON.stringify(value)));
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
      fc.string().map((text) => Buffer.from(text)),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
      { arbitrary: jsonBody, weight: 2 },
      { arbitrary: truncatedImage, weight: 3 },
    );
    const seen = new Map<string, number>();
    const headers = fc.record({
      contentType: fc.oneof(
        { arbitrary: fc.constantFrom(...contentTypes), weight: 5 },
        { arbitrary: fc.string(), weight: 1 },
      ),
      key: fc.oneof(
        { arbitrary: fc.constant("valid"), weight: 6 },
        { arbitrary: fc.constantFrom("missing", "wrong", "bearer"), weight: 1 },
      ),
      extra: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.string(), { maxKeys: 3 }),
    });

    await fc.assert(
      fc.asyncProperty(body, headers, async (payload, { contentType, key, extra }) => {
        const requestHeaders: Record<string, string> = { ...extra, "content-type": contentType };
        delete requestHeaders["x-api-key"];
        delete requestHeaders.authorization;
        if (key === "valid") requestHeaders["x-api-key"] = twin.apiKey;
        if (key === "wrong") requestHeaders["x-api-key"] = "mq_wrong";
        if (key === "bearer") requestHeaders.authorization = `Bearer ${twin.apiKey}`;
        const event = apiGatewayEvent(
          { method: "POST", url: "/v1/faces", headers: requestHeaders, body: payload, sourceIp: "127.0.0.1" },
          "POST /v1/faces",
          {},
        );
        const response = await handler(event, lambdaContext("fuzz", 1769, 29));
        const status = response.statusCode ?? 0;
        const parsed = JSON.parse(response.body ?? "null") as Record<string, unknown>;
        const outcome =
          status === 200 ? "200" : `${status} ${(parsed.error as { code?: string } | undefined)?.code}`;
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        if (status === 200) {
          expect(Array.isArray(parsed.faces)).toBe(true);
          expect(typeof parsed.width).toBe("number");
        } else {
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(parsed).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
        }
      }),
      { numRuns: RUNS },
    );
    // The fuzz must reach every layer: auth, parsing, sniffing, decoding and the models.
    for (const outcome of [
      "200",
      "401 unauthorized",
      "400 invalid_input",
      "400 invalid_image",
      "415 unsupported_media",
    ]) {
      expect(seen.get(outcome) ?? 0, `${outcome} in ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    }
  }, 300_000);

  it("answers random methods and paths through the gateway with JSON, never 5xx", async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        "v1",
        "faces",
        "jobs",
        "models",
        "health",
        "uploads",
        "sentiment",
        "embeddings",
        "search",
        "catalogs",
        "openapi.json",
        "..",
        "%",
        "%E0%A4%A",
        "%2F",
        "",
      ),
      fc.string({ maxLength: 12 }).map((text) => encodeURIComponent(text)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
        fc.array(segment, { maxLength: 5 }),
        fc.boolean(),
        async (method, segments, withKey) => {
          const response = await fetch(`${twin.apiUrl}/${segments.join("/")}`, {
            method,
            headers: withKey ? { "x-api-key": twin.apiKey } : {},
            ...(method === "POST" || method === "PUT" ? { body: "{}" } : {}),
          });
          expect(response.status).toBeLessThan(500);
          expect(response.headers.get("content-type")).toMatch(/^application\/json/);
          await response.json();
        },
      ),
      { numRuns: Math.min(RUNS, 300) },
    );
  });
});

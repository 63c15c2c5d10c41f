import { InvalidInputError, PayloadTooLargeError, toTaskRequest, UnsupportedMediaError } from "@marquee/core";
import { facesOptions, facesTask } from "@marquee/core/tasks/faces";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { eventFixture } from "../../support/shared.js";

const limits = { maxImageBytes: 1024 };
const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

function jsonEvent(body: unknown, contentType = "application/json"): APIGatewayProxyEventV2 {
  const event = eventFixture<APIGatewayProxyEventV2>("apigw-v2-faces-json.json");
  event.headers["content-type"] = contentType;
  event.body = typeof body === "string" ? body : JSON.stringify(body);
  return event;
}

describe("toTaskRequest", () => {
  it("reads a base64 image, model and options from a JSON body", () => {
    const request = toTaskRequest(
      facesTask,
      jsonEvent({
        image: png.toString("base64"),
        model: "face-detection/ultraface-slim-320",
        options: { minScore: 0.8 },
      }),
      limits,
    );
    expect(request.model).toBe("face-detection/ultraface-slim-320");
    expect(request.options).toEqual({ ...facesOptions.parse({}), minScore: 0.8 });
    expect(request.image).toEqual({ kind: "inline", bytes: png });
  });

  it("accepts a data URL and an s3Key reference", () => {
    const dataUrl = `data:image/png;base64,${png.toString("base64")}`;
    expect(toTaskRequest(facesTask, jsonEvent({ image: dataUrl }), limits).image).toEqual({
      kind: "inline",
      bytes: png,
    });
    expect(
      toTaskRequest(facesTask, jsonEvent({ image: { s3Key: "uploads/media/a/b.jpg" } }), limits).image,
    ).toEqual({
      kind: "stored",
      key: "uploads/media/a/b.jpg",
    });
  });

  it("reads a raw image body that API Gateway base64-encoded, with the model from the query", () => {
    const event = eventFixture<APIGatewayProxyEventV2>("apigw-v2-faces-raw.json");
    event.body = png.toString("base64");
    const request = toTaskRequest(facesTask, event, limits);
    expect(request.image).toEqual({ kind: "inline", bytes: png });
    expect(request.model).toBe("face-detection/ultraface-slim-320");
  });

  it.each([
    ["not json", "The body is not valid JSON"],
    ["[]", "body: must be a JSON object"],
    [JSON.stringify({ image: "!!!" }), "base64"],
    [JSON.stringify({ image: 42 }), "image: must be base64"],
    [JSON.stringify({}), "image: must be base64"],
    [
      JSON.stringify({ image: "AAAA", extra: 1 }),
      'Unknown field(s): "extra". Valid fields: image, model, options',
    ],
    [JSON.stringify({ image: "AAAA", model: 7 }), "model: must be a model id"],
    [
      JSON.stringify({ image: "AAAA", options: { minScore: 2 } }),
      "options.minScore: must be a number from 0 to 1",
    ],
    [JSON.stringify({ image: "AAAA", options: { speed: 1 } }), 'Unknown field(s) in options: "speed"'],
  ])("rejects JSON body %s with InvalidInputError", (body, message) => {
    expect(() => toTaskRequest(facesTask, jsonEvent(body), limits)).toThrow(InvalidInputError);
    expect(() => toTaskRequest(facesTask, jsonEvent(body), limits)).toThrow(message);
  });

  it("rejects an empty body, unsupported content types and oversized images", () => {
    expect(() => toTaskRequest(facesTask, jsonEvent(""), limits)).toThrow(InvalidInputError);
    expect(() => toTaskRequest(facesTask, jsonEvent("hello", "text/plain"), limits)).toThrow(
      UnsupportedMediaError,
    );
    expect(() => toTaskRequest(facesTask, jsonEvent("x", "image/gif"), limits)).toThrow(
      UnsupportedMediaError,
    );
    const big = Buffer.alloc(2048).toString("base64");
    expect(() => toTaskRequest(facesTask, jsonEvent({ image: big }), limits)).toThrow(PayloadTooLargeError);
    const raw = eventFixture<APIGatewayProxyEventV2>("apigw-v2-faces-raw.json");
    raw.body = big;
    expect(() => toTaskRequest(facesTask, raw, limits)).toThrow(PayloadTooLargeError);
  });
});

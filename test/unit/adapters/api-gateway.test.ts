import {
  InvalidInputError,
  PayloadTooLargeError,
  toInferenceRequest,
  UnsupportedMediaError,
} from "@marquee/core";
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

describe("toInferenceRequest", () => {
  it("reads a base64 image, model and options from a JSON body", () => {
    const request = toInferenceRequest(
      "faces",
      jsonEvent({
        image: png.toString("base64"),
        model: "face-detection/ultraface-slim-320",
        options: { minScore: 0.8 },
      }),
      limits,
    );
    expect(request.task).toBe("faces");
    expect(request.model).toBe("face-detection/ultraface-slim-320");
    expect(request.options).toEqual({ minScore: 0.8 });
    expect(request.media).toEqual({ kind: "inline", bytes: png });
  });

  it("accepts a data URL and an s3Key reference", () => {
    const dataUrl = `data:image/png;base64,${png.toString("base64")}`;
    expect(toInferenceRequest("faces", jsonEvent({ image: dataUrl }), limits).media).toEqual({
      kind: "inline",
      bytes: png,
    });
    expect(
      toInferenceRequest("faces", jsonEvent({ image: { s3Key: "uploads/media/a/b.jpg" } }), limits).media,
    ).toEqual({
      kind: "stored",
      key: "uploads/media/a/b.jpg",
    });
  });

  it("reads a raw image body that API Gateway base64-encoded, with the model from the query", () => {
    const event = eventFixture<APIGatewayProxyEventV2>("apigw-v2-faces-raw.json");
    event.body = png.toString("base64");
    const request = toInferenceRequest("faces", event, limits);
    expect(request.media).toEqual({ kind: "inline", bytes: png });
    expect(request.model).toBe("face-detection/ultraface-slim-320");
  });

  it.each([
    ["not json", "The body is not valid JSON"],
    ["[]", "must be a JSON object"],
    [JSON.stringify({ image: "!!!" }), "base64"],
    [JSON.stringify({ image: 42 }), "image is required"],
    [JSON.stringify({}), "image is required"],
    [JSON.stringify({ image: "AAAA", extra: 1 }), 'Unknown field(s): "extra"'],
    [JSON.stringify({ image: "AAAA", model: 7 }), "model must be"],
  ])("rejects JSON body %s with InvalidInputError", (body, message) => {
    expect(() => toInferenceRequest("faces", jsonEvent(body), limits)).toThrow(InvalidInputError);
    expect(() => toInferenceRequest("faces", jsonEvent(body), limits)).toThrow(message);
  });

  it("rejects an empty body, unsupported content types and oversized images", () => {
    expect(() => toInferenceRequest("faces", jsonEvent(""), limits)).toThrow(InvalidInputError);
    expect(() => toInferenceRequest("faces", jsonEvent("hello", "text/plain"), limits)).toThrow(
      UnsupportedMediaError,
    );
    expect(() => toInferenceRequest("faces", jsonEvent("x", "image/gif"), limits)).toThrow(
      UnsupportedMediaError,
    );
    const big = Buffer.alloc(2048).toString("base64");
    expect(() => toInferenceRequest("faces", jsonEvent({ image: big }), limits)).toThrow(
      PayloadTooLargeError,
    );
    const raw = eventFixture<APIGatewayProxyEventV2>("apigw-v2-faces-raw.json");
    raw.body = big;
    expect(() => toInferenceRequest("faces", raw, limits)).toThrow(PayloadTooLargeError);
  });
});

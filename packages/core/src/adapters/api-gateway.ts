import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { InvalidInputError, PayloadTooLargeError, UnsupportedMediaError } from "../errors.js";
import { SUPPORTED_IMAGE_TYPES } from "../media/sniff.js";
import type { InferenceRequest } from "../operations/inference.js";
import { fieldsOf } from "../validation.js";
import { toHttpError } from "./http-errors.js";

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export interface BodyLimits {
  maxImageBytes: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const JSON_FIELDS = ["image", "model", "options"];

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1];
}

function mediaType(event: APIGatewayProxyEventV2): string {
  return (header(event, "content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
}

function checkSize(bytes: number, limits: BodyLimits): void {
  if (bytes > limits.maxImageBytes) {
    throw new PayloadTooLargeError(
      `The image is ${bytes} bytes; the limit for a synchronous call is ${limits.maxImageBytes}. ` +
        "Upload larger media with POST /v1/uploads and pass its s3Key.",
    );
  }
}

export function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  try {
    return JSON.parse(rawBody(event).toString("utf8"));
  } catch {
    throw new InvalidInputError("The body is not valid JSON");
  }
}

function decodeBase64Image(value: string, limits: BodyLimits): Uint8Array {
  const payload = value.replace(/^data:[\w/+.-]+;base64,/, "").replace(/\s/g, "");
  if (payload.length === 0 || payload.length % 4 === 1 || !BASE64.test(payload)) {
    throw new InvalidInputError("image must be base64-encoded bytes or an object { s3Key }");
  }
  checkSize(Math.floor((payload.length * 3) / 4), limits);
  return Buffer.from(payload, "base64");
}

function fromJson(task: string, body: unknown, limits: BodyLimits): InferenceRequest {
  const fields = fieldsOf(
    body,
    JSON_FIELDS,
    '{ "image": <base64> | { "s3Key": ... }, "model"?, "options"? }',
  );
  const { image, model, options } = fields;
  if (model !== undefined && (typeof model !== "string" || model.length === 0 || model.length > 200)) {
    throw new InvalidInputError("model must be a model id string");
  }
  let media: InferenceRequest["media"];
  if (typeof image === "string") media = { kind: "inline", bytes: decodeBase64Image(image, limits) };
  else if (
    typeof image === "object" &&
    image !== null &&
    typeof (image as { s3Key?: unknown }).s3Key === "string"
  ) {
    media = { kind: "stored", key: (image as { s3Key: string }).s3Key };
  } else throw new InvalidInputError("image is required: base64 bytes or an object { s3Key }");
  return { task, media, model: model as string | undefined, options };
}

/** An API Gateway v2 event -> the internal inference request. JSON bodies and raw image bodies. */
export function toInferenceRequest(
  task: string,
  event: APIGatewayProxyEventV2,
  limits: BodyLimits,
): InferenceRequest {
  const type = mediaType(event);
  const bodyLength = event.body ? event.body.length : 0;
  if (bodyLength === 0) throw new InvalidInputError("The request body is empty");
  if (type === "application/json" || type.endsWith("+json"))
    return fromJson(task, parseJsonBody(event), limits);
  if (SUPPORTED_IMAGE_TYPES[type] || type === "application/octet-stream") {
    const bytes = rawBody(event);
    checkSize(bytes.byteLength, limits);
    return {
      task,
      media: { kind: "inline", bytes },
      model: event.queryStringParameters?.model,
      options: undefined,
    };
  }
  throw new UnsupportedMediaError(
    `Unsupported Content-Type "${type || "(none)"}": send application/json or an image (${Object.keys(SUPPORTED_IMAGE_TYPES).join(", ")})`,
  );
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: unknown): HttpResult {
  const { status, body } = toHttpError(error);
  return jsonResponse(status, body);
}

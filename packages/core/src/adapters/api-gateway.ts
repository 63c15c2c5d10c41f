import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { InvalidInputError, PayloadTooLargeError, UnsupportedMediaError } from "../errors.js";
import { SUPPORTED_IMAGE_TYPES } from "../media/sniff.js";
import type { TaskRequest } from "../operations/inference.js";
import { parseWith } from "../schema.js";
import type { MediaSource, Task, TaskResult } from "../tasks/types.js";
import { toHttpError } from "./http-errors.js";

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export interface BodyLimits {
  maxImageBytes: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

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

const isJson = (type: string) => type === "application/json" || type.endsWith("+json");

export function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) throw new InvalidInputError("The request body is empty");
  const type = mediaType(event);
  if (type && !isJson(type)) {
    throw new UnsupportedMediaError(`Unsupported Content-Type "${type}": send application/json`);
  }
  try {
    return JSON.parse(rawBody(event).toString("utf8"));
  } catch {
    throw new InvalidInputError("The body is not valid JSON");
  }
}

function decodeBase64Image(value: string, limits: BodyLimits): Uint8Array {
  const payload = value.replace(/^data:[\w/+.-]+;base64,/, "").replace(/\s/g, "");
  if (payload.length === 0 || payload.length % 4 === 1 || !BASE64.test(payload)) {
    throw new InvalidInputError("image must be base64-encoded bytes (or a data URL) or an object { s3Key }");
  }
  checkSize(Math.floor((payload.length * 3) / 4), limits);
  return Buffer.from(payload, "base64");
}

function mediaOf(image: unknown, limits: BodyLimits): MediaSource {
  if (typeof image === "string") return { kind: "inline", bytes: decodeBase64Image(image, limits) };
  return { kind: "stored", key: (image as { s3Key: string }).s3Key };
}

/**
 * An API Gateway v2 event -> the task's validated request. JSON bodies for every task; image tasks also
 * take a raw image body (the model in `?model=`). The task's schema names any invalid field.
 */
export function toTaskRequest<Body>(
  task: Task<Body, TaskResult>,
  event: APIGatewayProxyEventV2,
  limits: BodyLimits,
): TaskRequest<Body> {
  const type = mediaType(event);
  if (!event.body) throw new InvalidInputError("The request body is empty");
  if (isJson(type)) {
    const body = parseWith(task.body, parseJsonBody(event)) as Body & { image?: unknown };
    if (task.input !== "image") return body as TaskRequest<Body>;
    return { ...body, image: mediaOf(body.image, limits) } as TaskRequest<Body>;
  }
  if (task.input === "image" && (SUPPORTED_IMAGE_TYPES[type] || type === "application/octet-stream")) {
    const bytes = rawBody(event);
    checkSize(bytes.byteLength, limits);
    const model = event.queryStringParameters?.model;
    parseWith(task.body, { image: "", ...(model !== undefined && { model }) });
    return { image: { kind: "inline", bytes }, ...(model !== undefined && { model }) } as TaskRequest<Body>;
  }
  const accepted =
    task.input === "image" ? ` or an image (${Object.keys(SUPPORTED_IMAGE_TYPES).join(", ")})` : "";
  throw new UnsupportedMediaError(
    `Unsupported Content-Type "${type || "(none)"}": send application/json${accepted}`,
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

/**
 * Real API Gateway v2 events and Lambda contexts for POST /v1/faces, as the twin's gateway builds them.
 * Imports nothing from @marquee/core, so the cold-start child can build its event before Init starts.
 */

// Not re-exported by @marquee/core/twin; the twin's gateway uses the same builders.
import { apiGatewayEvent, lambdaContext } from "@marquee/core/twin";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { serverTiming } from "./stats.js";

export const FACES_DIR = "/work/shared/data/images/faces";
export const IMAGE = `${FACES_DIR}/2.jpg`;

export interface RouteInfo {
  id: string;
  method: string;
  path: string;
  memoryMb: number;
  timeoutSeconds: number;
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** A raw JPEG body, as API Gateway (HTTP API, payload 2.0) hands it to Lambda: base64, isBase64Encoded. */
export function facesEvent(route: RouteInfo, image: Buffer, apiKey: string): APIGatewayProxyEventV2 {
  return apiGatewayEvent(
    {
      method: route.method,
      url: route.path,
      headers: {
        host: "localtwin.execute-api.us-east-1.amazonaws.com",
        "content-type": "image/jpeg",
        "content-length": String(image.length),
        "user-agent": "marquee-bench",
        "x-api-key": apiKey,
      },
      body: image,
      sourceIp: "127.0.0.1",
    },
    `${route.method} ${route.path}`,
    {},
  );
}

export function facesContext(route: RouteInfo): Context {
  return lambdaContext(`marquee-bench-${route.id}`, route.memoryMb, route.timeoutSeconds);
}

export interface FacesResponse {
  status: number;
  /** From `server-timing: model;dur=<ms>`: time inside `session.run` only. */
  modelMs: number;
  faces: number;
  timings: Record<string, number>;
}

/** What the bench needs from a handler result; call it outside any timed section. */
export function readResponse(result: APIGatewayProxyResultV2): FacesResponse {
  if (typeof result !== "object" || result === null || !("statusCode" in result)) {
    throw new Error("the handler returned no structured response");
  }
  const body = JSON.parse(result.body ?? "{}") as { faces?: unknown[]; timings?: Record<string, number> };
  return {
    status: result.statusCode ?? 0,
    modelMs: serverTiming(String(result.headers?.["server-timing"] ?? "")),
    faces: body.faces?.length ?? 0,
    timings: body.timings ?? {},
  };
}

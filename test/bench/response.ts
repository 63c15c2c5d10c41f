/**
 * Lambda contexts and handler responses for the faces route. Light on purpose (no @marquee/core, no
 * twin): the cold-start child imports it before the Init phase it measures.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
// The module alone, not @marquee/core/twin, whose index would load the S3 server.
import { lambdaContext } from "../../packages/core/src/twin/api-event.js";
import { serverTiming } from "./stats.js";

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

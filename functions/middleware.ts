import {
  config,
  defaultRoute,
  errorResponse,
  type HttpResult,
  header,
  httpRoutes,
  InvalidInputError,
  jsonResponse,
  log,
  logWarmupFailure,
  type MaasError,
  runTask,
  SSE_HEADERS,
  services,
  sseBody,
  streamRoutes,
  type Task,
  type TaskResult,
  toTaskRequest,
  verifyApiKey,
  warmTask,
} from "@marquee/core";
import middy from "@middy/core";
import httpCors from "@middy/http-cors";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";

type Request = middy.Request<APIGatewayProxyEventV2, HttpResult, Error, Context>;
/** Turns the event into the route's validated input (through a core adapter); throws named errors. */
export type Parse<T> = (event: APIGatewayProxyEventV2) => T;
export type Endpoint<T> = (input: T, event: APIGatewayProxyEventV2) => Promise<HttpResult>;

const started = new WeakMap<object, number>();

/** One JSON log line per request, with API Gateway's request id. */
const requestLog: middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> = {
  before: (request) => {
    started.set(request.event, performance.now());
  },
  after: (request) => logLine(request as Request),
  onError: (request) => logLine(request as Request),
};

function logLine(request: Request): void {
  const error = request.error as (Error & Partial<MaasError>) | null;
  const entry = {
    requestId: request.event.requestContext?.requestId ?? request.context.awsRequestId,
    method: request.event.requestContext?.http?.method,
    path: request.event.rawPath,
    status: request.response?.statusCode,
    ms: Math.round(performance.now() - (started.get(request.event) ?? performance.now())),
    ...(error && {
      error: error.code ?? error.name,
      message: error.message,
      cause: String(error.cause ?? ""),
    }),
  };
  log(entry.status && entry.status >= 500 ? "error" : "info", entry);
}

/** Every error becomes `{ error: { code, message } }`; unknown errors are a generic 500. */
const errorEnvelope: middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> = {
  onError: (request) => {
    request.response = errorResponse(request.error);
  },
};

const apiKey: middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> = {
  before: (request) => {
    verifyApiKey(
      header(request.event, "x-api-key") ?? header(request.event, "authorization"),
      config().apiKeyHashes,
    );
  },
};

/** A function URL takes any method and path: answer as API Gateway would for anything but the route. */
function onlyRoute(route: {
  method: string;
  path: string;
}): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    before: (request) => {
      const { method, path } = request.event.requestContext.http;
      if (path !== route.path) {
        return jsonResponse(404, {
          error: {
            code: "not_found",
            message: `No route for ${method} ${path}: this URL serves ${route.method} ${route.path}`,
          },
        });
      }
      if (method !== route.method) {
        return jsonResponse(
          405,
          { error: { code: "method_not_allowed", message: `${path} accepts ${route.method}` } },
          { allow: route.method },
        );
      }
      return undefined;
    },
  };
}

const parsed = new WeakMap<object, unknown>();

/** Body parsing and validation, after the key check: the handler only ever sees valid input. */
function parseInput<T>(parse: Parse<T>): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    before: (request) => {
      parsed.set(request.event, parse(request.event));
    },
  };
}

/**
 * The shared middy chain for a route of routes.ts: request log, CORS, error envelope, the API key if
 * the route says so, then (given `parse`) body parsing and validation; the endpoint gets the input.
 */
export function httpEndpoint(routeId: string, endpoint: Endpoint<undefined>): middy.MiddyfiedHandler;
export function httpEndpoint<T>(
  routeId: string,
  parse: Parse<T>,
  endpoint: Endpoint<T>,
): middy.MiddyfiedHandler;
export function httpEndpoint<T>(routeId: string, ...args: [Endpoint<undefined>] | [Parse<T>, Endpoint<T>]) {
  const route = [...httpRoutes, ...streamRoutes, defaultRoute].find((candidate) => candidate.id === routeId);
  if (!route) throw new Error(`routes.ts has no route "${routeId}"`);
  // A streaming route's handler is wrapped in awslambda.streamifyResponse (Lambda's response streaming).
  const chain = middy<APIGatewayProxyEventV2, HttpResult>({ streamifyResponse: route.invoke === "stream" })
    .use(requestLog)
    .use(
      httpCors({ origin: "*", headers: "content-type,x-api-key,authorization", methods: "GET,POST,OPTIONS" }),
    )
    .use(errorEnvelope);
  if (route.auth) chain.use(apiKey);
  if (route.invoke === "stream") chain.use(onlyRoute(route));
  if (args.length === 2) chain.use(parseInput(args[0]));
  const endpoint = (args.length === 2 ? args[1] : args[0]) as Endpoint<unknown>;
  return chain.handler((event) => endpoint(parsed.get(event), event));
}

const wantsStream = (request: unknown) => (request as { stream?: unknown }).stream === true;

/**
 * A task's route: the request is parsed and validated by the task's own schema, the task runs on the
 * shared services, and `Server-Timing` carries the time spent inside the model alone. The default models
 * are loaded and run once first, so that happens in Lambda's Init phase (top-level await).
 *
 * On a streaming route (a function URL in RESPONSE_STREAM mode), `stream: true` answers server-sent
 * events written by the same task run through its sink; through API Gateway, which buffers, it is a 400
 * that says where streaming is served.
 */
export async function taskEndpoint<Body, Result extends TaskResult>(
  routeId: string,
  task: Task<Body, Result>,
): Promise<middy.MiddyfiedHandler> {
  await warmTask(task, services()).catch(logWarmupFailure);
  const streaming = streamRoutes.some((route) => route.id === routeId);
  return httpEndpoint(
    routeId,
    (event) => toTaskRequest(task, event, { maxImageBytes: config().maxSyncImageBytes }),
    async (request, event) => {
      if (wantsStream(request)) {
        if (!streaming) {
          throw new InvalidInputError(
            "stream: API Gateway buffers responses; send streaming requests to the streaming URL (stack output generateStreamUrl; `npm start` prints the local one)",
          );
        }
        return streamResponse(task, request, event);
      }
      const { modelMs, ...result } = await runTask(task, request, services());
      return jsonResponse(200, result, { "server-timing": `model;dur=${modelMs.toFixed(2)}` });
    },
  );
}

function streamResponse<Body, Result extends TaskResult>(
  task: Task<Body, Result>,
  request: Parameters<typeof runTask<Body, Result>>[1],
  event: APIGatewayProxyEventV2,
): HttpResult {
  const begun = performance.now();
  const body = sseBody(
    async (sink) => {
      const { modelMs: _, ...result } = await runTask(task, request, services(), sink);
      return result;
    },
    ({ outcome, error }) =>
      log(outcome === "error" ? "error" : "info", {
        requestId: event.requestContext?.requestId,
        path: event.rawPath,
        stream: outcome,
        ms: Math.round(performance.now() - begun),
        ...(error !== undefined && { error: String(error) }),
      }),
  );
  // middy pipes a stream body into Lambda's response stream (after the status and headers).
  return { statusCode: 200, headers: { ...SSE_HEADERS }, body } as unknown as HttpResult;
}

export { jsonResponse };

import {
  config,
  defaultRoute,
  errorResponse,
  type HttpResult,
  header,
  httpRoutes,
  jsonResponse,
  log,
  type MaasError,
  verifyApiKey,
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
  const route = [...httpRoutes, defaultRoute].find((candidate) => candidate.id === routeId);
  if (!route) throw new Error(`routes.ts has no route "${routeId}"`);
  const chain = middy<APIGatewayProxyEventV2, HttpResult>()
    .use(requestLog)
    .use(
      httpCors({ origin: "*", headers: "content-type,x-api-key,authorization", methods: "GET,POST,OPTIONS" }),
    )
    .use(errorEnvelope);
  if (route.auth) chain.use(apiKey);
  if (args.length === 2) chain.use(parseInput(args[0]));
  const endpoint = (args.length === 2 ? args[1] : args[0]) as Endpoint<unknown>;
  return chain.handler((event) => endpoint(parsed.get(event), event));
}

export { jsonResponse };

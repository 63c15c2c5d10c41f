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
export type Endpoint = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

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

/** The shared middy chain for a route of routes.ts: logging, CORS, error envelope, then the API key if the route says so. */
export function httpEndpoint(routeId: string, endpoint: Endpoint) {
  const route = [...httpRoutes, defaultRoute].find((candidate) => candidate.id === routeId);
  if (!route) throw new Error(`routes.ts has no route "${routeId}"`);
  const chain = middy<APIGatewayProxyEventV2, HttpResult>()
    .use(requestLog)
    .use(
      httpCors({ origin: "*", headers: "content-type,x-api-key,authorization", methods: "GET,POST,OPTIONS" }),
    )
    .use(errorEnvelope);
  if (route.auth) chain.use(apiKey);
  return chain.handler((event) => endpoint(event));
}

export { jsonResponse };

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { defaultRoute, type HttpRoute, matchRoute } from "../routes.js";
import { apiGatewayEvent, lambdaContext, requestUrl } from "./api-event.js";

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * Lambda's synchronous invocation payload limit: larger requests never reach the function. (In AWS the
 * refusal comes from API Gateway/Lambda with their own message; the twin answers in the API's envelope.)
 */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...extra });
  res.end(JSON.stringify({ error: { code, message } }));
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on("error", reject);
  });
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result !== "object" || result === null || !("statusCode" in result)) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(typeof result === "string" ? result : JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined);
}

const TIMED_OUT = Symbol("timed out");

/** Lambda stops a function at its timeout (and API Gateway at 30 s); the twin answers 504 then. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET,POST,OPTIONS",
  "access-control-allow-headers": "content-type,x-api-key,authorization",
};

/** The local HTTP gateway: each request becomes a real API Gateway v2 event for the route's handler. */
export async function startGateway(options: {
  port: number;
  handlers: Map<string, HttpHandler>;
  /** Sees every handler's answer (tests check them against the API document). */
  onResponse?: (route: HttpRoute, result: APIGatewayProxyResultV2) => void;
  log: (line: string) => void;
}): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    try {
      const url = requestUrl(req.url ?? "/");
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS);
        res.end();
        return;
      }
      const match = matchRoute(req.method ?? "GET", url.pathname);
      const route: HttpRoute = match.route ?? defaultRoute;
      const tooLarge = () =>
        sendJson(
          res,
          413,
          "payload_too_large",
          "The request exceeds Lambda's 6 MB payload limit; use POST /v1/uploads",
        );
      const body = await readBody(req, LAMBDA_SYNC_PAYLOAD_BYTES);
      if (!body) return tooLarge();
      const handler = options.handlers.get(route.id);
      if (!handler) throw new Error(`no handler loaded for ${route.id}`);
      const event = apiGatewayEvent(
        {
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        },
        match.route ? `${route.method} ${route.path}` : "$default",
        match.route ? match.params : {},
      );
      // Lambda measures the serialized event: a binary body travels base64-encoded, a third larger.
      if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_SYNC_PAYLOAD_BYTES) return tooLarge();
      const context = lambdaContext(`marquee-local-${route.id}`, route.memoryMb, route.timeoutSeconds);
      const result = await withTimeout(handler(event, context), route.timeoutSeconds * 1000);
      if (result === TIMED_OUT) {
        sendJson(res, 504, "timeout", `The function did not answer within ${route.timeoutSeconds} s`);
        return;
      }
      options.onResponse?.(route, result);
      writeResult(res, result);
    } catch (error) {
      options.log(`gateway: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, "internal_error", "Internal server error");
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { HttpRoute } from "../routes.js";
import { apiGatewayEvent, lambdaContext } from "./api-event.js";
import { LAMBDA_SYNC_PAYLOAD_BYTES, readBody, sendJson } from "./gateway.js";

/** What Lambda's Node runtime marks an HTTP response with: JSON metadata, 8 NUL bytes, then the body. */
const PRELUDE_TYPE = "application/vnd.awslambda.http-integration-response";
const DELIMITER = Buffer.alloc(8);
const STREAMING = Symbol.for("marquee.twin.streamifyResponse");

export type StreamingHandler = (
  event: APIGatewayProxyEventV2,
  responseStream: Writable,
  context: Context,
) => Promise<void>;

interface Prelude {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/**
 * Lambda's response stream as its Node runtime gives it to a streamed handler: `setContentType`, and
 * the hook `HttpResponseStream.from` uses to write the HTTP metadata before the first body byte. The
 * twin reads that prelude back into a status line and headers, exactly as a function URL does.
 */
class ResponseStream extends Writable {
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;
  private contentType = "application/octet-stream";
  private begun = false;
  private pending = Buffer.alloc(0);
  private headersSent = false;

  constructor(private readonly res: ServerResponse) {
    super();
  }

  setContentType(type: string): void {
    this.contentType = type;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.begin();
    this.forward(chunk);
    done();
  }

  override _final(done: (error?: Error) => void): void {
    this.begin();
    if (!this.headersSent) this.sendHeaders({});
    this.res.end();
    done();
  }

  private begin(): void {
    if (this.begun) return;
    this.begun = true;
    this._onBeforeFirstWrite?.((chunk) => this.forward(Buffer.from(chunk)));
  }

  private forward(chunk: Buffer): void {
    if (this.headersSent) {
      this.res.write(chunk);
      return;
    }
    if (this.contentType !== PRELUDE_TYPE) {
      this.sendHeaders({ headers: { "content-type": this.contentType } });
      this.res.write(chunk);
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    const end = this.pending.indexOf(DELIMITER);
    if (end < 0) return;
    this.sendHeaders(JSON.parse(this.pending.subarray(0, end).toString("utf8")) as Prelude);
    const rest = this.pending.subarray(end + DELIMITER.length);
    if (rest.length > 0) this.res.write(rest);
  }

  private sendHeaders(prelude: Prelude): void {
    this.headersSent = true;
    const headers: Record<string, string | string[]> = { ...(prelude.headers ?? {}) };
    if (prelude.cookies?.length) headers["set-cookie"] = prelude.cookies;
    this.res.writeHead(prelude.statusCode ?? 200, headers);
    this.res.flushHeaders();
  }
}

/** Defines `awslambda` as Lambda's runtime does, before any streamed handler module is loaded. */
export function installStreamingRuntime(): void {
  // The AWS SDK's invoke store may already have created the object: add to it.
  const scope = globalThis as { awslambda?: Record<string, unknown> };
  scope.awslambda ??= {};
  if (typeof scope.awslambda.streamifyResponse === "function") return;
  Object.assign(scope.awslambda, {
    streamifyResponse: (handler: StreamingHandler) => Object.assign(handler, { [STREAMING]: true }),
    HttpResponseStream: {
      from(stream: Writable, prelude: Prelude) {
        const target = stream as ResponseStream;
        target.setContentType(PRELUDE_TYPE);
        target._onBeforeFirstWrite = (write) => {
          write(JSON.stringify(prelude));
          write(DELIMITER);
        };
        return target;
      },
    },
  });
}

/** A function URL in RESPONSE_STREAM mode: its own origin, any path, the body streamed as written. */
export async function startFunctionUrl(options: {
  route: HttpRoute;
  handler: StreamingHandler;
  port: number;
  log: (line: string) => void;
}): Promise<{ url: string; server: Server }> {
  const { route } = options;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const body = await readBody(req, LAMBDA_SYNC_PAYLOAD_BYTES);
      if (!body) {
        sendJson(res, 413, "payload_too_large", "The request exceeds Lambda's 6 MB payload limit");
        return;
      }
      const raw = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body };
      const event = apiGatewayEvent(
        { ...raw, sourceIp: req.socket.remoteAddress ?? "127.0.0.1" },
        "$default",
        {},
      );
      event.requestContext.apiId = `local-${route.id.toLowerCase()}`;
      const stream = new ResponseStream(res);
      res.on("close", () => {
        if (!res.writableFinished) stream.destroy(new Error("client disconnected"));
      });
      const context = lambdaContext(`marquee-local-${route.id}`, route.memoryMb, route.timeoutSeconds);
      await options.handler(event, stream, context);
    } catch (error) {
      if (res.destroyed) return;
      options.log(`function url ${route.id}: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 502, "bad_gateway", "The function failed");
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

import { PassThrough } from "node:stream";
import { isMaasError } from "../errors.js";
import type { StreamSink } from "../tasks/types.js";
import { toHttpError } from "./http-errors.js";

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
});

/** One server-sent event: a name and one line of JSON. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface SseOutcome {
  /** "done" with the result, "error" with the public error, or "aborted" when the client went away. */
  outcome: "done" | "error" | "aborted";
  error?: unknown;
}

/**
 * A response body of server-sent events written by `work` through its sink, ending with `done` (the
 * result) or `error` (the public `{ error: { code, message } }`: internals never leak). When the reader
 * goes away the body is destroyed and the sink's signal aborts, so the work stops.
 */
export function sseBody(
  work: (sink: StreamSink) => Promise<unknown>,
  finished: (outcome: SseOutcome) => void,
): PassThrough {
  const body = new PassThrough();
  const controller = new AbortController();
  body.on("close", () => {
    if (!body.writableFinished) controller.abort();
  });
  const sink: StreamSink = {
    emit: (event, data) => {
      if (!body.destroyed) body.write(sseEvent(event, data));
    },
    signal: controller.signal,
  };
  work(sink).then(
    (result) => {
      body.end(sseEvent("done", result));
      finished({ outcome: "done" });
    },
    (error: unknown) => {
      if (controller.signal.aborted || (isMaasError(error) && error.category === "cancelled")) {
        finished({ outcome: "aborted", error });
        return;
      }
      body.end(sseEvent("error", toHttpError(error).body));
      finished({ outcome: "error", error });
    },
  );
  return body;
}

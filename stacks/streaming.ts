/**
 * Streaming routes: one Lambda per `streamRoutes` entry behind its own function URL in RESPONSE_STREAM
 * mode. API Gateway's HTTP API buffers every integration response (and stops at 29 s), so tokens could
 * only arrive all at once there; a function URL passes each write through as it happens (up to 200 MB
 * and the function's own timeout). Auth is the same API key check as the API's, done by the handler.
 */
import { streamRoutes } from "../packages/core/src/routes";
import { functionProps } from "./functions";

export const streamFunctions = streamRoutes.map(
  (route) =>
    new sst.aws.Function(route.id, {
      ...functionProps(route),
      streaming: true,
      url: {
        authorization: "none",
        cors: {
          allowOrigins: ["*"],
          allowMethods: [route.method],
          allowHeaders: ["content-type", "x-api-key", "authorization"],
          maxAge: "1 hour",
        },
      },
    }),
);

/** Stack outputs: `generateStreamUrl` for GenerateStream (POST <url>/v1/generate with "stream": true). */
export const outputs = Object.fromEntries(
  streamRoutes.map((route, index) => [
    `${route.id.replace(/Stream$/, "").replace(/^./, (c) => c.toLowerCase())}StreamUrl`,
    streamFunctions[index]?.url,
  ]),
);

/** Real API Gateway v2 events for POST /v1/faces, built by the same code as the twin's gateway. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { apiGatewayEvent } from "@marquee/core/twin";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { RouteInfo } from "./response.js";

export type { FacesResponse, HttpHandler, RouteInfo } from "./response.js";
export { facesContext, readResponse } from "./response.js";

/** The real photos in the shared data folder beside the repository (../shared). */
export const FACES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../shared/data/images/faces",
);
export const IMAGE = `${FACES_DIR}/2.jpg`;

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

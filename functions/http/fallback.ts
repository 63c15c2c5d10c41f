import { jsonResponse, matchRoute } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

/** API Gateway's $default route: unknown paths get a JSON 404, known paths with another method a 405. */
export const handler = httpEndpoint("Fallback", async (_input, event) => {
  const { method, path } = event.requestContext.http;
  const match = matchRoute(method, path);
  const allowed = match.route ? [match.route.method] : match.allowed;
  if (allowed.length > 0) {
    return jsonResponse(
      405,
      { error: { code: "method_not_allowed", message: `${path} accepts ${allowed.join(", ")}` } },
      { allow: allowed.join(", ") },
    );
  }
  return jsonResponse(404, { error: { code: "not_found", message: `No route for ${method} ${path}` } });
});

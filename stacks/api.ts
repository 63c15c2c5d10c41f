/**
 * The HTTP API: one API Gateway v2 route and Lambda per `httpRoutes` entry, plus `$default` for
 * everything else (JSON 404/405). Routes come from packages/core/src/routes.ts, the same table the local
 * twin serves, so what is deployed and what is tested cannot drift.
 */
import { defaultRoute, httpRoutes } from "../packages/core/src/routes";
import { functionProps } from "./functions";

export const api = new sst.aws.ApiGatewayV2("Api", {
  // API Gateway answers preflight (OPTIONS) requests itself and sets these headers on every response;
  // the handlers' own CORS middleware (functions/middleware.ts) says the same for the local twin.
  cors: {
    allowOrigins: ["*"],
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["content-type", "x-api-key", "authorization"],
    exposeHeaders: ["server-timing"],
    maxAge: "1 hour",
  },
});

for (const route of httpRoutes) {
  // `name` keeps the route's (and its function's) logical name stable: ApiRouteFaces, ApiRouteFacesHandler.
  api.route(`${route.method} ${route.path}`, functionProps(route), { name: route.id });
}

api.route("$default", functionProps(defaultRoute), { name: defaultRoute.id });

/** The Faces route and its handler module, loaded the way the twin loads it. */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { httpRoutes } from "@marquee/core";
import type { HttpHandler, RouteInfo } from "./event.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function routeNamed(id: string): RouteInfo & { handler: string; assets: readonly string[] } {
  const route = httpRoutes.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`routes.ts has no ${id} route`);
  return route;
}

export const facesRoute = () => routeNamed("Faces");

/** `functions/http/faces.handler` -> the module file URL and export name. */
export function handlerLocation(handlerPath: string, root = ROOT): { url: string; name: string } {
  const [file, name] = handlerPath.split(/\.(?=[^.]+$)/) as [string, string];
  return { url: pathToFileURL(path.join(root, `${file}.ts`)).href, name };
}

/** Same module URL as the twin's loader, so this is the very instance the twin's gateway calls. */
export async function loadHandler(handlerPath: string): Promise<HttpHandler> {
  const { url, name } = handlerLocation(handlerPath);
  const module = (await import(url)) as Record<string, unknown>;
  const handler = module[name];
  if (typeof handler !== "function") throw new Error(`${handlerPath}: no exported function ${name}`);
  return handler as HttpHandler;
}

import path from "node:path";
import { pathToFileURL } from "node:url";

/** A handler by its routes.ts path (`functions/s3/frames.handler`), relative to the repository root. */
export async function loadHandler<T>(root: string, handlerPath: string): Promise<T> {
  const [file, name] = handlerPath.split(/\.(?=[^.]+$)/) as [string, string];
  const module = (await import(pathToFileURL(path.join(root, `${file}.ts`)).href)) as Record<string, T>;
  const handler = module[name];
  if (!handler) throw new Error(`${handlerPath} exports no ${name}`);
  return handler;
}

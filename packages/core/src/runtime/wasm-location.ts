import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";

/** The one `.wasm`/`.mjs` pair onnxruntime-web needs in Node (SIMD, threads-capable build). */
export const ORT_WASM_FILES = ["ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.mjs"] as const;

function hasPair(dir: string): boolean {
  return ORT_WASM_FILES.every((file) => existsSync(path.join(dir, file)));
}

function packageDist(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve("onnxruntime-web"));
  } catch {
    return undefined;
  }
}

/**
 * Where the pair lives: an explicit folder, else beside the Lambda bundle (SST copies it there),
 * else the installed package. Never a CDN.
 */
export function resolveWasmDir(env: Record<string, string | undefined> = process.env): string {
  const candidates = [env.MAAS_ORT_WASM_DIR, env.LAMBDA_TASK_ROOT, packageDist()].filter(
    (dir): dir is string => Boolean(dir),
  );
  const found = candidates.find(hasPair);
  if (!found) {
    throw new ConfigError(`onnxruntime-web WASM files not found in: ${candidates.join(", ")}`);
  }
  return found;
}

export function wasmPaths(dir: string): { wasm: string; mjs: string } {
  return {
    wasm: pathToFileURL(path.join(dir, ORT_WASM_FILES[0])).href,
    mjs: pathToFileURL(path.join(dir, ORT_WASM_FILES[1])).href,
  };
}

/**
 * Packages one function as stacks/functions.ts has SST do it: a single ESM bundle (sharp left external,
 * npm-installed for the target platform) plus, for functions that run models, only the onnxruntime-web
 * .wasm/.mjs pair at the package root, where the runtime finds it through LAMBDA_TASK_ROOT.
 */
import { copyFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ORT_WASM_FILES } from "@marquee/core";
import { build } from "esbuild";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * A route or trigger of routes.ts -> its package in `outDir`; returns the bundle's file. `root` is the
 * checkout to package (another commit's, for side-by-side benchmarks); default this one.
 */
export async function bundleFunction(
  entry: { handler: string; assets: readonly string[] },
  outDir: string,
  root = repoRoot,
): Promise<string> {
  const source = entry.handler.replace(/\.[^.]+$/, "");
  const outfile = path.join(outDir, `${source}.mjs`);
  await build({
    entryPoints: [path.join(root, `${source}.ts`)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    external: ["sharp"],
    logLevel: "silent",
    banner: {
      js: "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);",
    },
  });
  if (entry.assets.includes("ort")) {
    const dist = path.join(root, "node_modules/onnxruntime-web/dist");
    for (const file of ORT_WASM_FILES) copyFileSync(path.join(dist, file), path.join(outDir, file));
  }
  return outfile;
}

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError } from "../errors.js";
import type { BlobStore } from "../storage/blob-store.js";
import { putJson } from "../storage/blob-store.js";
import { modelFileKey } from "./catalog.js";
import type { ModelEntry, ModelFormat } from "./catalog-types.js";
import { MODEL_ID, manifestKey } from "./registry.js";
import { sha256Hex } from "./sha256.js";

export interface RegisterOptions {
  id: string;
  format: Extract<
    ModelFormat,
    | "fasttext"
    | "glove"
    | "hf-text-classification"
    | "hf-feature-extraction"
    | "hf-causal-lm"
    | "hf-image-classification"
  >;
  description?: string;
  licence?: string;
  source?: string;
}

async function filesUnder(root: string, dir = root): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(root, full)));
    else if (entry.isFile()) found.push(path.relative(root, full).split(path.sep).join("/"));
  }
  return found.sort();
}

/**
 * Copies a model folder (e.g. a Hugging Face export: config.json, tokenizer.json, onnx/model.onnx) into
 * the models bucket and writes its manifest. The version is content-addressed: the first 12 hex digits
 * of the sha256 over its files' names and digests, so the same folder always gets the same version.
 */
export async function registerModelFolder(
  dir: string,
  options: RegisterOptions,
  target: BlobStore,
): Promise<ModelEntry> {
  if (!MODEL_ID.test(options.id)) throw new InvalidInputError(`model id must look like <task>/<name>`);
  const names = await filesUnder(dir);
  const hf = options.format.startsWith("hf-");
  const graph = hf ? "onnx/model.onnx" : "model.onnx";
  if (!names.includes(graph)) throw new InvalidInputError(`${dir} has no ${graph}`);
  const contents = await Promise.all(names.map((name) => readFile(path.join(dir, name))));
  const files = names.map((name, index) => {
    const bytes = contents[index] as Buffer;
    return { name, sha256: sha256Hex(bytes), bytes: bytes.byteLength, url: undefined };
  });
  const listing = new TextEncoder().encode(files.map((file) => `${file.name}:${file.sha256}`).join("\n"));
  const version = sha256Hex(listing).slice(0, 12);
  const entry: ModelEntry = {
    id: options.id,
    task: options.id.split("/")[0] as string,
    format: options.format,
    version,
    description: options.description ?? `Registered from ${path.basename(dir)}`,
    licence: options.licence ?? "as stated by the model's publisher",
    source: options.source ?? `registered folder ${path.basename(dir)}`,
    files,
    graph,
    inputs: [],
    outputs: [],
    preprocess: {},
    postprocess: {},
    labels: [],
    origin: "registered",
  };
  for (const [index, file] of files.entries()) {
    await target.put(modelFileKey(entry, file.name), contents[index] as Buffer, {
      contentType: "application/octet-stream",
    });
  }
  await putJson(target, manifestKey(entry.id), entry);
  return entry;
}

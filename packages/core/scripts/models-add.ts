/**
 * `npm run models:add -- --dir <folder> --id <task>/<name> --format <format>`: registers a model folder
 * (e.g. a Hugging Face export with config.json, tokenizer.json, onnx/model.onnx) in the models bucket
 * (MAAS_MODELS_BUCKET, or a folder with --to <path>). Its version is the hash of its files; the model is
 * then usable by id in requests (`"model": "<task>/<name>"`) without a redeploy.
 */
import { parseArgs } from "node:util";
import {
  config,
  createS3Client,
  FsBlobStore,
  type ModelFormat,
  registerModelFolder,
  S3BlobStore,
} from "@marquee/core";

const FORMATS = [
  "hf-text-classification",
  "hf-feature-extraction",
  "hf-causal-lm",
  "hf-image-classification",
  "fasttext",
  "glove",
] as const;
const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    id: { type: "string" },
    format: { type: "string" },
    to: { type: "string" },
    licence: { type: "string" },
    source: { type: "string" },
    description: { type: "string" },
  },
});
const format = values.format as (typeof FORMATS)[number] & ModelFormat;
if (!values.dir || !values.id || !FORMATS.includes(format)) {
  console.error(
    `usage: npm run models:add -- --dir <folder> --id <task>/<name> --format ${FORMATS.join("|")}`,
  );
  process.exit(2);
}
const settings = config();
const target = values.to
  ? new FsBlobStore(values.to)
  : new S3BlobStore(createS3Client(settings), settings.modelsBucket);
try {
  const entry = await registerModelFolder(
    values.dir,
    {
      id: values.id,
      format,
      ...(values.licence && { licence: values.licence }),
      ...(values.source && { source: values.source }),
      ...(values.description && { description: values.description }),
    },
    target,
  );
  console.log(`registered ${entry.id}@${entry.version} (${entry.files.length} files) in ${target.name}`);
} catch (error) {
  console.error(`models:add failed: ${(error as Error).message}`);
  process.exit(1);
}

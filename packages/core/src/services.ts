import type { S3Client } from "@aws-sdk/client-s3";
import { type Config, config as readConfig } from "./config.js";
import { ModelRegistry } from "./model-store/registry.js";
import { ModelStore } from "./model-store/store.js";
import { OnnxRuntime } from "./runtime/onnx-runtime.js";
import type { BlobStore } from "./storage/blob-store.js";
import { FsBlobStore } from "./storage/fs-store.js";
import { createS3Client } from "./storage/s3-client.js";
import { S3BlobStore } from "./storage/s3-store.js";
import { CatalogCache } from "./tasks/search/catalog-store.js";
import type { ModelAccess } from "./tasks/types.js";

/** Everything a request needs, built once per process (Lambda container or twin). */
export interface Services {
  config: Config;
  s3: S3Client;
  media: BlobStore;
  results: BlobStore;
  models: ModelStore;
  registry: ModelRegistry;
  /** What tasks use to find models and read their files. */
  modelAccess: ModelAccess;
  /** Search catalogues in the results bucket, cached per version. */
  catalogs: CatalogCache;
  runtime: OnnxRuntime;
}

export interface ServiceOverrides {
  s3?: S3Client;
  media?: BlobStore;
  results?: BlobStore;
  modelsBucket?: BlobStore;
}

export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
  const s3 = overrides.s3 ?? createS3Client(config);
  const modelsBucket = overrides.modelsBucket ?? new S3BlobStore(s3, config.modelsBucket);
  const models = new ModelStore(new FsBlobStore(config.modelCacheDir), modelsBucket);
  const registry = new ModelRegistry(modelsBucket, undefined, config.aliasTtlMs);
  let runtime: OnnxRuntime | undefined;
  const results = overrides.results ?? new S3BlobStore(s3, config.resultsBucket);
  return {
    config,
    s3,
    media: overrides.media ?? new S3BlobStore(s3, config.mediaBucket),
    results,
    catalogs: new CatalogCache(results),
    models,
    registry,
    modelAccess: {
      resolve: (id) => registry.resolve(id),
      file: (entry, name) => models.file(entry, name),
      promoted: (id) => registry.promoted(id),
    },
    // Created on first use: only functions that run models ship the WASM pair it needs.
    get runtime() {
      runtime ??= new OnnxRuntime(models, {
        threads: config.threads,
        wasmTieringBudget: config.wasmTieringBudget,
      });
      return runtime;
    },
  };
}

let shared: Services | undefined;

export function services(): Services {
  shared ??= createServices(readConfig());
  return shared;
}

/** Replaces the process-wide services (tests, bench). */
export function setServices(next: Services | undefined): void {
  shared = next;
}

export * from "./adapters/api-gateway.js";
export * from "./adapters/http-errors.js";
export * from "./adapters/s3-batch.js";
export * from "./adapters/sse.js";
export * from "./auth.js";
export { readJobSummary, refreshJobSummary } from "./batch/job-summary.js";
export { assertJobId, parseUploadKey, resultKeys } from "./batch/keys.js";
export type { BatchKind, BatchUnit, SourceContext } from "./batch/kinds/types.js";
export { type BatchQueues, setLocalQueues } from "./batch/queues.js";
export type { JobSummary, SourceMarker, UnitOutcome } from "./batch/records.js";
export { type BatchItem, processSource, type UploadOutcome } from "./batch/source.js";
export { type Config, config, LOCAL_WEBHOOK_SECRET, readConfig, resetConfig } from "./config.js";
export * from "./errors.js";
export { type LogLevel, log } from "./log.js";
export { catalog, modelFileKey } from "./model-store/catalog.js";
export type { ModelEntry, ModelFormat } from "./model-store/catalog-types.js";
export { missingModelsMessage, pullModels } from "./model-store/pull.js";
export { registerModelFolder } from "./model-store/register.js";
export { ModelRegistry, manifestKey } from "./model-store/registry.js";
export { ModelStore } from "./model-store/store.js";
export { buildCatalog, catalogInfoOf } from "./operations/catalogs.js";
export { health } from "./operations/health.js";
export {
  logWarmupFailure,
  runTask,
  type TaskRequest,
  taskContext,
  warmTask,
} from "./operations/inference.js";
export { listJobResults, parseJobResultsQuery } from "./operations/job-results.js";
export { listModelVersions, moveModelAlias, recommenderInfoOf } from "./operations/model-versions.js";
export { pendingUploads } from "./operations/reconcile.js";
export { reprocessJob } from "./operations/reprocess.js";
export { startTrainingJob, trainingJobStatus, trainingUpload } from "./operations/training-jobs.js";
export { createUpload } from "./operations/uploads.js";
export * from "./routes.js";
export { ORT_WASM_FILES } from "./runtime/wasm-location.js";
export { parseWith, z } from "./schema.js";
export { createServices, type Services, services, setServices } from "./services.js";
export * from "./storage/blob-store.js";
export { FsBlobStore } from "./storage/fs-store.js";
export { MemoryBlobStore } from "./storage/memory-store.js";
export { createS3Client } from "./storage/s3-client.js";
export { S3BlobStore } from "./storage/s3-store.js";
export type { MediaSource, StreamSink, Task, TaskContext, TaskResult } from "./tasks/types.js";

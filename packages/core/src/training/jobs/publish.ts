/**
 * Publishing a job's model: one content-addressed version whose manifest records the job, its parameters,
 * the data's fingerprint, the metrics and the parent (where `default` pointed when the job read it); and
 * promotion, one conditional move of `default`.
 */
import type { AliasRecord, ModelVersions, VersionManifest } from "../../model-store/versions.js";
import { dataPrefix, type TrainingJob } from "./job-spec.js";

export interface VersionContent {
  task: string;
  format: VersionManifest["format"];
  description: string;
  inputs?: VersionManifest["inputs"];
  outputs?: VersionManifest["outputs"];
  preprocess?: Record<string, unknown>;
  postprocess?: Record<string, unknown>;
  labels?: string[];
  files: Record<string, Uint8Array>;
}

export interface VersionTraining {
  params: Record<string, unknown>;
  dataFingerprint: string;
  metrics: Record<string, number>;
  current: AliasRecord | undefined;
  now: () => Date;
}

export async function publishVersion(
  versions: ModelVersions,
  job: TrainingJob,
  content: VersionContent,
  training: VersionTraining,
): Promise<VersionManifest> {
  const { current } = training;
  const { manifest } = await versions.publish(
    {
      id: job.modelId,
      task: content.task,
      format: content.format,
      description: content.description,
      licence: "Trained on the deployer's own data",
      source: dataPrefix(job.kind, job.dataset),
      graph: "model.onnx",
      inputs: content.inputs ?? [],
      outputs: content.outputs ?? [],
      preprocess: content.preprocess ?? {},
      postprocess: content.postprocess ?? {},
      labels: content.labels ?? [],
      training: {
        job: job.id,
        kind: job.kind,
        algorithm: job.algorithm,
        params: training.params,
        dataFingerprint: training.dataFingerprint,
        metrics: training.metrics,
        createdAt: training.now().toISOString(),
        parent: current ? { model: current.model, version: current.version } : null,
      },
    },
    content.files,
  );
  return manifest;
}

/** Points `default` at the new version unless it is there already; `current` is what the job read. */
export async function promoteVersion(
  versions: ModelVersions,
  modelId: string,
  version: string,
  current: AliasRecord | undefined,
): Promise<void> {
  if (current?.model === modelId && current.version === version) return;
  await versions.moveAlias(modelId, "default", { model: modelId, version }, current?.seq ?? 0);
}

import type { ModelEntry } from "../model-store/catalog-types.js";
import type { OnnxRuntime } from "../runtime/onnx-runtime.js";
import type { z } from "../schema.js";
import type { LoadedCatalog } from "./search/catalog-store.js";
import type { Timings } from "./timings.js";

export interface ModelRef {
  id: string;
  version: string;
}

/** Model lookup and model-file access (tokenizers, vocabularies), whatever store they come from. */
export interface ModelAccess {
  resolve(id: string): Promise<ModelEntry>;
  file(entry: ModelEntry, name: string): Promise<Uint8Array>;
  /** Where a trained model's `default` alias points (a task's promoted model), if anywhere. */
  promoted?(id: string): Promise<ModelEntry | undefined>;
}

/** Catalogues built for search, loaded by name (the current version). */
export interface CatalogAccess {
  load(name: string): Promise<LoadedCatalog>;
}

/**
 * Where a streaming request's partial results go (server-sent events at the edge): the same `run`
 * writes to it when it is there. `signal` aborts when the client has gone.
 */
export interface StreamSink {
  emit(event: string, data: unknown): void;
  signal: AbortSignal;
}

export interface TaskContext {
  runtime: OnnxRuntime;
  models: ModelAccess;
  catalogs?: CatalogAccess;
  timings: Timings;
  limits: { maxImagePixels: number };
  stream?: StreamSink;
  /** The deployment's user-id pseudonymiser (HMAC with the training key), when it has a key. */
  pseudonym?: (userId: string) => string;
}

/**
 * How the edge reads a task's request: `image` tasks take `{ image: <base64> | { s3Key }, … }` or a raw
 * image body, and receive the image's bytes; `json` tasks take their JSON body as it is.
 */
export type InputKind = "image" | "json";

/** Media given inline (bytes of the request) or by key of an object already uploaded to the media bucket. */
export type MediaSource = { kind: "inline"; bytes: Uint8Array } | { kind: "stored"; key: string };

export interface TaskResult {
  models: ModelRef[];
  timings: Record<string, number>;
  /** Time inside `session.run` alone, for overhead measurements; not part of the response body. */
  modelMs: number;
}

/** A task's input once the edge resolved its media: for image tasks, `image` holds the bytes. */
export type Resolved<Body> = Body extends { image: unknown }
  ? Omit<Body, "image"> & { image: Uint8Array }
  : Body;

export interface Task<Body = unknown, Result extends TaskResult = TaskResult> {
  readonly id: string;
  readonly description: string;
  readonly input: InputKind;
  /** The JSON request body: gives the type, the 400 messages and the API document. */
  readonly body: z.ZodType<Body>;
  /** The response body (without modelMs), for the API document and conformance tests. */
  readonly result: z.ZodType;
  /** Roles this task needs a model for, with the default model id of each. */
  readonly defaultModels: Readonly<Record<string, string>>;
  /** A documented request and response, shown in the API document. */
  readonly example: { request: unknown; response: unknown };
  run(input: Resolved<Body>, context: TaskContext): Promise<Result>;
  /** Loads the default models and runs each once, so the first real request is warm. */
  warm(context: TaskContext): Promise<void>;
}

export type ModelsByRole = Record<string, ModelEntry>;

/** Declares a task with its types inferred from its schema. */
export function defineTask<S extends z.ZodType, Result extends TaskResult>(
  task: Omit<Task<z.output<S>, Result>, "body"> & { body: S },
): Task<z.output<S>, Result> {
  return Object.freeze(task) as Task<z.output<S>, Result>;
}

/** The part of every task result that says which models ran and where the time went. */
export function resultEnvelope(context: TaskContext, used: ReadonlyArray<ModelRef>) {
  return {
    models: used.map(({ id, version }) => ({ id, version })),
    timings: context.timings.toJSON(),
    modelMs: context.timings.modelMs,
  };
}

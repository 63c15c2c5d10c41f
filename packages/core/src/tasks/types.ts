import type { ModelEntry } from "../model-store/catalog-types.js";
import type { OnnxRuntime } from "../runtime/onnx-runtime.js";
import type { Timings } from "./timings.js";

export interface ModelRef {
  id: string;
  version: string;
}

export interface TaskContext {
  runtime: OnnxRuntime;
  timings: Timings;
  maxImagePixels: number;
}

/** What every task receives, whatever the trigger (HTTPS call or batch item). */
export interface TaskInput {
  bytes: Uint8Array;
  /** A catalog model id that replaces the task's default model of the same role. */
  model: string | undefined;
  options: unknown;
}

export interface TaskResult {
  models: ModelRef[];
  timings: ReturnType<Timings["toJSON"]>;
  /** Time inside `session.run` alone, for overhead measurements. */
  modelMs: number;
}

export interface Task<TResult extends TaskResult = TaskResult> {
  readonly id: string;
  readonly description: string;
  /** Roles this task needs a model for, with the default model id of each. */
  readonly defaultModels: Readonly<Record<string, string>>;
  /** Validates options and model choice before any work; throws InvalidInputError. */
  validate(input: TaskInput): void;
  run(input: TaskInput, context: TaskContext): Promise<TResult>;
  /** Loads the default models and runs each once, so the first real request is warm. */
  warm(runtime: OnnxRuntime): Promise<void>;
}

export type ModelsByRole = Record<string, ModelEntry>;

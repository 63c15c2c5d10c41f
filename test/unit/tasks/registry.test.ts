import {
  InvalidInputError,
  MemoryBlobStore,
  ModelNotFoundError,
  ModelRegistry,
  parseWith,
} from "@marquee/core";
import { getTask, tasks } from "@marquee/core/registry";
import { facesTask } from "@marquee/core/tasks/faces";
import { describe, expect, it } from "vitest";
import { chooseModels } from "../../../packages/core/src/tasks/model-choice.js";

const registry = new ModelRegistry(new MemoryBlobStore());
const access = { resolve: (id: string) => registry.resolve(id), file: async () => new Uint8Array() };

describe("task registry", () => {
  it("is frozen and finds tasks by id", () => {
    expect(Object.isFrozen(tasks)).toBe(true);
    expect(getTask("faces").id).toBe("faces");
    for (const [id, task] of Object.entries(tasks)) expect(task.id).toBe(id);
  });

  it("fails on an unknown task with the list of valid ones", () => {
    expect(() => getTask("nope")).toThrow(/Valid tasks: faces, .*sentiment, embeddings, search/);
    expect(() => getTask("toString")).toThrow("Unknown task");
  });

  it("validates options by name and range through the task's schema", () => {
    const body = (options: unknown) => ({ image: "AAAA", options });
    expect(parseWith(facesTask.body, body({ minScore: 0.5, maxFaces: 3, emotions: false })).options).toEqual({
      minScore: 0.5,
      maxFaces: 3,
      emotions: false,
      iouThreshold: 0.3,
      detector: "auto",
      hdMinSide: 1280,
      tiledMinSide: 3200,
    });
    expect(() => parseWith(facesTask.body, body({ minScore: 2 }))).toThrow("options.minScore");
    expect(() => parseWith(facesTask.body, body({ maxFaces: 1.5 }))).toThrow("integer");
    expect(() => parseWith(facesTask.body, body({ speed: 1 }))).toThrow('"speed"');
    expect(() => parseWith(facesTask.body, body("fast"))).toThrow(InvalidInputError);
    for (const inherited of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(() => parseWith(facesTask.body, body(JSON.parse(`{"${inherited}":1}`)))).toThrow(
        "Unknown field",
      );
    }
  });

  it("replaces the default model of the same role", async () => {
    const defaults = {
      detector: "face-detection/ultraface-rfb-320",
      emotion: "face-emotion/mini-xception-fer2013",
    };
    expect((await chooseModels(defaults, "face-detection/ultraface-slim-320", access)).detector?.id).toBe(
      "face-detection/ultraface-slim-320",
    );
    await expect(chooseModels(defaults, "nope/model", access)).rejects.toThrow(ModelNotFoundError);
    await expect(chooseModels(defaults, "sentiment/fasttext-amazon-polarity", access)).rejects.toThrow(
      "is a sentiment model",
    );
  });
});

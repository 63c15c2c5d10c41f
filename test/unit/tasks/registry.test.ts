import { getTask, InvalidInputError, ModelNotFoundError, tasks, UnknownTaskError } from "@marquee/core";
import { describe, expect, it } from "vitest";
import { chooseModels } from "../../../packages/core/src/tasks/model-choice.js";
import { parseOptions } from "../../../packages/core/src/tasks/options.js";

describe("task registry", () => {
  it("is frozen and finds tasks by id", () => {
    expect(Object.isFrozen(tasks)).toBe(true);
    expect(getTask("faces").id).toBe("faces");
  });

  it("fails on an unknown task with the list of valid ones", () => {
    expect(() => getTask("sentiment")).toThrow(UnknownTaskError);
    expect(() => getTask("toString")).toThrow("Valid tasks: faces");
  });

  it("validates options by name and range", () => {
    const faces = getTask("faces");
    const input = { bytes: new Uint8Array(), model: undefined };
    expect(() =>
      faces.validate({ ...input, options: { minScore: 0.5, maxFaces: 3, emotions: false } }),
    ).not.toThrow();
    expect(() => faces.validate({ ...input, options: { minScore: 2 } })).toThrow("options.minScore");
    expect(() => faces.validate({ ...input, options: { maxFaces: 1.5 } })).toThrow("integer");
    expect(() => faces.validate({ ...input, options: { speed: 1 } })).toThrow('Unknown option "speed"');
    expect(() => faces.validate({ ...input, options: "fast" })).toThrow(InvalidInputError);
    for (const inherited of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(() => faces.validate({ ...input, options: JSON.parse(`{"${inherited}":1}`) })).toThrow(
        "Unknown option",
      );
    }
    expect(parseOptions(undefined, { n: { type: "number", min: 0, max: 1 } }, { n: 0.5 })).toEqual({
      n: 0.5,
    });
  });

  it("replaces the default model of the same role", () => {
    const defaults = {
      detector: "face-detection/ultraface-rfb-320",
      emotion: "face-emotion/mini-xception-fer2013",
    };
    expect(chooseModels(defaults, "face-detection/ultraface-slim-320").detector?.id).toBe(
      "face-detection/ultraface-slim-320",
    );
    expect(() => chooseModels(defaults, "nope/model")).toThrow(ModelNotFoundError);
  });
});

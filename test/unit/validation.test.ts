import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../packages/core/src/validation.js";

describe("fieldsOf", () => {
  it("returns an object with allowed fields only", () => {
    expect(fieldsOf({ a: 1 }, ["a", "b"], "{ a }")).toEqual({ a: 1 });
    for (const body of [null, [], "x", 3])
      expect(() => fieldsOf(body, ["a"], "{ a }")).toThrow("JSON object: { a }");
  });

  it("names a few unknown fields, not all of them", () => {
    const body = Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`field${i}`, i]));
    let message = "";
    try {
      fieldsOf(body, ["a"], "{ a }");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'Unknown field(s): "field0", "field1", "field2", "field3", "field4" and 299995 more. Valid fields: a',
    );
  });
});

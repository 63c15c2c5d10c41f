import { InvalidInputError, parseWith, z } from "@marquee/core";
import { describe, expect, it } from "vitest";
import { bounded, requestBody, textList } from "../../packages/core/src/schema.js";

const body = requestBody({
  texts: textList(3, 10),
  options: z.strictObject({ k: bounded(1, 5, { integer: true }).default(2) }).optional(),
});

describe("parseWith", () => {
  it("returns the parsed value with defaults", () => {
    expect(parseWith(body, { texts: ["a"], options: {} })).toEqual({ texts: ["a"], options: { k: 2 } });
  });

  it.each([
    [[], "body: must be a JSON object"],
    [{}, "texts: must be an array of 1 to 3 strings"],
    [{ texts: [] }, "texts: must be an array of 1 to 3 strings"],
    [{ texts: ["a", 1] }, "texts[1]: must be a string"],
    [{ texts: ["01234567890"] }, "texts[0]: must be at most 10 characters"],
    [{ texts: ["a"], options: { k: 9 } }, "options.k: must be an integer from 1 to 5"],
    [{ texts: ["a"], options: { k: 1, fast: true } }, 'Unknown field(s) in options: "fast". Valid fields: k'],
  ])("names the field in %j", (value, message) => {
    expect(() => parseWith(body, value)).toThrow(InvalidInputError);
    expect(() => parseWith(body, value)).toThrow(message);
  });

  it("names a few unknown fields, not all of them, and never echoes long keys whole", () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${"x".repeat(100)}${i}`, i]));
    const message = (() => {
      try {
        parseWith(body, { texts: ["a"], ...many });
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(message).toContain("and 45 more");
    expect(message).toContain("Valid fields: texts, options");
    expect(message.length).toBeLessThan(600);
  });
});

import { describe, expect, it } from "vitest";
import { StopMatcher } from "../../../../packages/core/src/tasks/generate/stops.js";

describe("StopMatcher", () => {
  const stops = new StopMatcher(["The End", "\n\n"]);

  it("finds a stop sequence that grew across pieces, only in the new text", () => {
    expect(stops.find("and they lived. The E", 0)).toBeUndefined();
    expect(stops.find("and they lived. The End", 21)).toBe(16);
    expect(stops.find("a\n\nb", 2)).toBe(1);
    expect(stops.find("The End. More text", 18)).toBeUndefined();
  });

  it("holds back an ending that may still become a stop sequence", () => {
    expect(stops.safeLength("happily. The E")).toBe("happily. ".length);
    expect(stops.safeLength("happily.\n")).toBe("happily.".length);
    expect(stops.safeLength("happily. Th")).toBe("happily. ".length);
    expect(stops.safeLength("happily ever")).toBe("happily ever".length);
    expect(new StopMatcher([]).safeLength("anything")).toBe(8);
  });
});

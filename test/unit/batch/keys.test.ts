import { describe, expect, it } from "vitest";
import { assertJobId, parseUploadKey, resultKeys } from "../../../packages/core/src/batch/keys.js";

describe("batch keys", () => {
  it("parses uploads/<kind>/<job>/<name>", () => {
    expect(parseUploadKey("uploads/frames/job1/a.jpg")).toEqual({
      kind: "frames",
      job: "job1",
      name: "a.jpg",
    });
    expect(parseUploadKey("uploads/frames/job1/reel/a b.jpg")).toEqual({
      kind: "frames",
      job: "job1",
      name: "reel/a b.jpg",
    });
    // Every key is its own item: dot segments and backslashes are spelled out, never dropped or merged.
    expect(parseUploadKey("uploads/frames/jt/../../zz.jpg").name).toBe("%2E%2E/%2E%2E/zz.jpg");
    expect(parseUploadKey("uploads/frames/jt/a\\b.jpg").name).toBe("a%5Cb.jpg");
    expect(parseUploadKey("uploads/frames/j/..").name).toBe("%2E%2E");
  });

  it("rejects keys outside the layout", () => {
    for (const key of [
      "uploads/frames/a.jpg",
      "results/job1/x.json",
      "uploads/frames/../x/a.jpg",
      "uploads/frames/j!b/a.jpg",
    ]) {
      expect(() => parseUploadKey(key)).toThrow();
    }
    expect(() => assertJobId("a/b")).toThrow();
    expect(assertJobId("trailer-2026_v2")).toBe("trailer-2026_v2");
  });

  it("puts every result under results/<job>/", () => {
    expect(resultKeys.job("j")).toBe("results/j/job.json");
    expect(resultKeys.frame("j", "a.jpg")).toBe("results/j/frames/a.jpg.json");
    expect(resultKeys.error("j", "a.jpg")).toBe("results/j/errors/a.jpg.json");
    const long = resultKeys.source("j", "x".repeat(2000));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(1024);
    expect(long).toMatch(/^results\/j\/sources\/x+!~[0-9a-f]{16}\.json$/);
  });
});
